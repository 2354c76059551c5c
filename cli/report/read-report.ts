/**
 * Everything `roster report` shows, read with the commands' own readers: the recent runs (`roster
 * sync runs`), the status (`roster status`), the first resources not yet applied, and the preview
 * (`roster preview`). The table is read first, so that a credential or table problem fails the
 * command; a workspace that cannot be read leaves the preview out and says why, since a report is
 * wanted most when something is down.
 */
import { listRuns } from '../../shared/sync/run-store';
import { SyncReadError } from '../../shared/sync/sync-read-error';
import type { RolloutTarget } from '../connection/rollout-target';
import { previewFor } from '../preview/command';
import { connectionStatus } from '../status/command';
import { pendingApplies } from './pending-applies';
import type { ReportInput } from './report-model';

/** How many of the resources not yet applied the report lists (it counts all of them). */
export const PENDING_SHOWN = 100;

export async function readReport(target: RolloutTarget, runs: number, now: Date): Promise<ReportInput> {
  const connectionId = target.connection.id;
  const [recent, status, pending] = await Promise.all([
    listRuns(target.db, connectionId, runs),
    connectionStatus(target.db, connectionId),
    pendingApplies(target.store, connectionId, PENDING_SHOWN),
  ]);
  const preview = await previewFor(target).catch((error: unknown) => {
    if (error instanceof SyncReadError) return { unavailable: error.message };
    throw error;
  });
  return { generatedAt: now.toISOString(), runs: recent, preview, status, pending };
}
