/**
 * When the outage scenario takes the workspace down: after the answer that ends the first third of
 * the push's requests, and back up after the one that ends the second third.
 */
export interface OutageWindow {
  /** The workspace goes down once this many requests are answered. */
  from: number;
  /** …and comes back once this many are. */
  to: number;
}

export function outageWindow(requests: number): OutageWindow {
  if (requests < 3) throw new Error('an outage in the middle third needs at least 3 requests');
  const from = Math.floor(requests / 3);
  return { from, to: Math.max(from + 1, Math.floor((2 * requests) / 3)) };
}
