/**
 * How far the full-sync function lets V8's heap grow past what is alive: 30% after each full
 * collection (`--heap-growing-percent`), instead of V8's own factor, which rises to 4× while a
 * program allocates fast. A sync allocates fast and keeps little: it reads pages of items, turns
 * them into a shard's link state and plan, and drops them.
 *
 * Measured on the 2-core machine (2026-12-08, dry runs of the bench's worlds, bench/sync/sync-child.ts,
 * 10 shards at 100,000 users):
 *
 * | growth | 10,000 users | 100,000 users | ratio | time at 100,000 |
 * |---|---|---|---|---|
 * | V8's own | 137.3 MiB | 259.5 / 261.5 MiB | 1.89 | 50.9 / 51.2 s |
 * | 50% | 133.1 MiB | 178.1 MiB | 1.34 | 52.0 s |
 * | 30% | 139.5 MiB | 167.5 MiB | 1.20 | 51.8 s |
 * | 20% | 138.6 / 135.8 MiB | 168.2 / 173.9 MiB | 1.21 / 1.28 | 60.6 / 50.6 s |
 *
 * The cost is time: the step that routes the users into shards, whose live set grows as it reads,
 * took 19.4–22.4 s with a bound against 16.6–17.0 s without, and the bench's 100,000-user run 97–100
 * s against 86 s (docs/benchmarks.md). For that, a 1,000,000-user sync needs about 400–500 MiB
 * rather than 1.6 GiB. A cap (`--max-old-space-size`) would also bound the RSS at 100,000 users,
 * but it would fail a 1,000,000-user sync, whose read keeps about 150 MiB alive: a growth bound
 * follows what is alive, however large.
 *
 * The flag is read at every full collection, so setting it when the function loads applies to
 * every run of the process. `SYNC_HEAP_GROWING_PERCENT=0` leaves V8's own growth.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 30;

/** The growth to apply: `SYNC_HEAP_GROWING_PERCENT` when it is a whole number from 0 to 400. */
export function heapGrowingPercent(env: NodeJS.ProcessEnv = process.env): number {
  const configured = env.SYNC_HEAP_GROWING_PERCENT;
  if (configured === undefined || configured.trim() === '') return HEAP_GROWING_PERCENT;
  const percent = Number(configured);
  if (!Number.isInteger(percent) || percent < 0 || percent > 400) {
    throw new Error(`SYNC_HEAP_GROWING_PERCENT must be a whole number from 0 to 400, not "${configured}"`);
  }
  return percent;
}

/** Applies the growth bound to this process; 0 applies nothing. Returns the percent applied. */
export function boundHeapGrowth(percent: number = heapGrowingPercent()): number {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
