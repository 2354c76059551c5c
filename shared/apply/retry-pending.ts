/**
 * The retry pass: applies again what the stream-fed apply left pending or failed, with backoff
 * (pending.ts: 1 s after the first failure, doubling to 15 s), so that a change that met a
 * workspace outage is applied soon after the workspace is back, without waiting for the full sync.
 *
 * On AWS an EventBridge schedule starts it every minute; it then keeps passing while anything is
 * pending, sleeping until the next resource is due, for up to `maxMs` (so recovery is noticed
 * within seconds, and an idle deployment costs one short invocation a minute). Each pass ends early
 * after a few `unavailable` outcomes in a row: the workspace is still down, and probing it with
 * every pending resource would only add load. What the rollout settings hold back is not pending
 * (an operator's decision, not a change waiting): it neither keeps the pass going nor ages the
 * alarm. Locally the apply runner calls it on a timer.
 */
import { runAudited } from '../audit/audit-context';
import { logger } from '../http/logger';
import type { Connection } from '../secrets/connection';
import { reconcilePending } from './reconcile-pending';
import type { ReconcileCounts, ReconcileDeps } from './reconcile-pending';

export interface RetryCounts extends ReconcileCounts {
  passes: number;
  /** How long the oldest change still pending after the last pass has waited (0: none). */
  oldestPendingSeconds: number;
}

export interface RetryOptions {
  /** Keep passing while something is pending, for at most this long (default: one pass). */
  maxMs?: number;
  /** Sleep between passes (default 2 s). */
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const OUTAGE_PROBES = 3;

/** What the pass writes is stamped as the apply's (shared/audit/). */
export function retryPending(
  deps: ReconcileDeps,
  connections: readonly Connection[],
  options: RetryOptions = {},
): Promise<RetryCounts> {
  return runAudited({ actor: 'apply', ref: 'retry' }, () => retryPasses(deps, connections, options));
}

async function retryPasses(
  deps: ReconcileDeps,
  connections: readonly Connection[],
  options: RetryOptions,
): Promise<RetryCounts> {
  const now = deps.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now().getTime();
  const total: RetryCounts = {
    applied: 0,
    failed: 0,
    stillPending: 0,
    held: 0,
    passes: 0,
    oldestPendingSeconds: 0,
  };
  for (;;) {
    const pass: ReconcileCounts = { applied: 0, failed: 0, stillPending: 0, held: 0 };
    for (const connection of connections) {
      try {
        const counts = await reconcilePending(deps, connection, {
          due: now(),
          stopAfterUnavailable: OUTAGE_PROBES,
          maxResources: 1_000,
        });
        pass.applied += counts.applied;
        pass.failed += counts.failed;
        pass.stillPending += counts.stillPending;
        pass.held += counts.held;
        if (
          counts.oldestSince !== undefined &&
          (pass.oldestSince === undefined || counts.oldestSince < pass.oldestSince)
        )
          pass.oldestSince = counts.oldestSince;
      } catch (error) {
        // One connection's table or directory failure must not starve the others.
        logger.error('retry pass failed for a connection', {
          connectionId: connection.id,
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
    }
    total.passes++;
    total.applied += pass.applied;
    total.failed += pass.failed;
    total.stillPending = pass.stillPending;
    total.held = pass.held;
    total.oldestPendingSeconds =
      pass.oldestSince === undefined
        ? 0
        : Math.max(0, Math.round((now().getTime() - Date.parse(pass.oldestSince)) / 1000));
    const interval = options.intervalMs ?? 2_000;
    const left = (options.maxMs ?? 0) - (now().getTime() - started);
    if (pass.stillPending + pass.failed === 0 || left <= interval) return total;
    await sleep(interval);
  }
}
