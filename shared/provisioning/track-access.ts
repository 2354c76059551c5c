/**
 * Writes what an apply means for access incidents (access-incident.ts decides): every incident it
 * left is recorded (again), every one it settled is resolved, but only if it was last seen before
 * the apply started, so that a failure another writer recorded meanwhile still stands. Settling
 * costs one Query (plus a delete per incident actually open), however many removals applied.
 */
import type { AccessIncident, AccessSubject } from '../store/access-incidents';
import { keys } from '../store/keys';
import type { LinkStore } from '../store/link-store';
import type { AccessEffects } from './access-incident';

export interface TrackedAccess {
  /** The incidents as recorded now. */
  recorded: AccessIncident[];
  /** How many open incidents the apply resolved. */
  resolved: number;
}

export async function trackAccess(
  store: LinkStore,
  connectionId: string,
  effects: AccessEffects,
  startedAt: Date,
  now: Date,
): Promise<TrackedAccess> {
  const tracked: TrackedAccess = { recorded: [], resolved: 0 };
  if (effects.settled.length > 0) {
    // One Query instead of a delete per removal (a PATCH may revoke many): incidents are rare.
    const keyOf = (subject: AccessSubject) => keys.accessIncident(connectionId, subject).sk;
    const settled = new Set(effects.settled.map(keyOf));
    const seenBefore = startedAt.toISOString();
    for (const open of await store.listAccessIncidents(connectionId)) {
      if (!settled.has(keyOf(open))) continue;
      if (await store.resolveAccessIncident(connectionId, open, { seenBefore })) tracked.resolved++;
    }
  }
  for (const report of effects.incidents) {
    tracked.recorded.push(await store.recordAccessIncident(connectionId, report, now));
  }
  return tracked;
}
