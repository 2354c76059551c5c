/**
 * Spaces the calls one process makes to Mode at most `perSecond` apart, so that a full sync stays
 * under Mode's rate limit instead of running into it. Mode publishes no figure (docs/mode.md); the
 * connector still honours 429 and `Retry-After` whatever the pacer allows. Calls are given slots in
 * the order they ask, so concurrent callers share the rate fairly. A hand-written leaky bucket:
 * the rate libraries on npm either poll with timers or bring their own clock, and the connector
 * needs an injected clock and sleep for its tests.
 */
export class RequestPacer {
  private readonly intervalMs: number;
  private nextSlot = 0;

  constructor(
    perSecond: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    if (!(perSecond > 0)) throw new RangeError('the Mode request rate must be a positive number');
    this.intervalMs = 1000 / perSecond;
  }

  /** Resolves when this call may start. */
  async wait(): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await this.sleep(slot - now);
  }
}

/** The rate from `MODE_MAX_REQUESTS_PER_SECOND`, when it is set to a positive number. */
export function rateFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const rate = Number(value);
  if (!(rate > 0))
    throw new RangeError(`MODE_MAX_REQUESTS_PER_SECOND must be a positive number, not ${value}`);
  return rate;
}
