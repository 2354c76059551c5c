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
  /** When the last call was let through (or was due to be, if that is later). */
  private last = Number.NEGATIVE_INFINITY;
  /** Callers are let through one after another, each deciding its wait once the one before is through. */
  private turn: Promise<void> = Promise.resolve();

  constructor(
    perSecond: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    if (!(perSecond > 0)) throw new RangeError('the Mode request rate must be a positive number');
    this.intervalMs = 1000 / perSecond;
  }

  /**
   * Resolves when this call may start: `1/rate` after the call before it was let through. Each
   * caller measures its wait when its turn comes, not when it asks, so a stalled event loop (a
   * loaded machine) never lets several callers whose slots passed meanwhile through at once.
   */
  wait(): Promise<void> {
    const mine = this.turn.then(async () => {
      const gap = this.last + this.intervalMs - this.now();
      if (gap > 0) await this.sleep(gap);
      this.last = Math.max(this.now(), this.last + this.intervalMs);
    });
    this.turn = mine;
    return mine;
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
