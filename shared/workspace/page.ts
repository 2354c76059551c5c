/** One page of a workspace listing. `next` is opaque: pass it back unchanged to read the next page. */
export interface Page<T> {
  items: T[];
  next?: string;
}
