/**
 * Makes what an apply means for access durable and loud: the incidents it left are recorded and
 * raised (AccessNotRemoved), the ones it settled resolved (track-access.ts). Never throws: if the
 * table cannot be written, the alarm's log line still says what was not removed, and the retry
 * pass and the full sync plan the removal again.
 */
import { logger } from '../http/logger';
import { ACCESS_NOT_REMOVED } from '../provisioning/access-alarm';
import type { AccessAlarm } from '../provisioning/access-alarm';
import type { AccessEffects } from '../provisioning/access-incident';
import { trackAccess } from '../provisioning/track-access';
import type { LinkStore } from '../store/link-store';

export async function recordAccess(
  deps: { store: LinkStore; alarm: AccessAlarm; now: () => Date },
  connectionId: string,
  effects: AccessEffects,
  startedAt: Date,
): Promise<void> {
  if (effects.incidents.length === 0 && effects.settled.length === 0) return;
  try {
    const { recorded } = await trackAccess(deps.store, connectionId, effects, startedAt, deps.now());
    if (recorded.length === 0) return;
    const open = (await deps.store.listAccessIncidents(connectionId)).length;
    for (const incident of recorded) deps.alarm.raise(incident, open);
  } catch (error) {
    const storeError = error instanceof Error ? error.name : 'unknown';
    for (const report of effects.incidents) {
      logger.error(ACCESS_NOT_REMOVED, {
        connectionId,
        incident: report.kind,
        change: report.change,
        outcome: report.status,
        error: report.error,
        recorded: false,
        storeError,
      });
    }
    if (effects.incidents.length === 0) {
      logger.warn('access incidents not resolved: the table could not be written', {
        connectionId,
        storeError,
      });
    }
  }
}
