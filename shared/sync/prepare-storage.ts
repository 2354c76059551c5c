/**
 * The full sync's first step after taking its lease: the adapter's storage upkeep (the port's
 * optional `prepareForSync`), which for the built-in workspace moves grants still in the old
 * single partition to their groups' partitions (workspace/builtin/grants-migration.ts).
 *
 * It runs here because the full sync runs on every deployment, on a schedule and on demand
 * (`roster sync`), with the table access the move needs, and reads the whole workspace right
 * after: nothing for an operator to remember or to grant, and anything the move raced with is
 * observed (and repaired) by the same run. Dry runs write nothing, so they do not run it.
 *
 * Bounded: at most two minutes, and never more than half of what the invocation can spare beyond
 * the run's own reserve; the next run goes on where it stopped. It never fails the sync: the reads
 * are correct in either layout, so a failed upkeep is a warning and the run goes on.
 */
import { logger } from '../http/logger';
import type { WorkspaceConnector } from '../workspace/port';

export const PREPARATION_BUDGET_MS = 120_000;

export async function prepareStorage(deps: {
  connector: WorkspaceConnector;
  connectionId: string;
  remainingMs?: () => number;
  reserveMs: number;
}): Promise<void> {
  const prepare = deps.connector.prepareForSync;
  if (prepare === undefined) return;
  const spare =
    deps.remainingMs === undefined ? Number.POSITIVE_INFINITY : (deps.remainingMs() - 2 * deps.reserveMs) / 2;
  const budget = Math.min(PREPARATION_BUDGET_MS, spare);
  if (budget <= 0) return;
  try {
    // The wall clock, not the run's `now`: the budget is real time, whatever clock a test gives the run.
    const report = await prepare.call(deps.connector, Date.now() + budget);
    logger.info('full sync: storage prepared', { connectionId: deps.connectionId, ...report });
  } catch (error) {
    logger.warn('full sync: storage upkeep failed; the run reads the workspace as it is', {
      connectionId: deps.connectionId,
      error: error instanceof Error ? error.name : 'unknown',
    });
  }
}
