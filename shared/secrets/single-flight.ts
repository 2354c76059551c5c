/**
 * Concurrent callers asking for the same key share one read in flight: when a cached value
 * expires under a burst of requests, the store is read once, not once per request. The entry is
 * dropped when the read settles (a failure is not kept, so the next caller tries again).
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Promise<T>>();

  run(key: string, read: () => Promise<T>): Promise<T> {
    const inFlight = this.flights.get(key);
    if (inFlight) return inFlight;
    const flight = read().finally(() => {
      this.flights.delete(key);
    });
    this.flights.set(key, flight);
    return flight;
  }

  /** How many reads are in flight (for tests). */
  get size(): number {
    return this.flights.size;
  }
}
