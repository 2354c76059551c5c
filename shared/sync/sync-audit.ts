/**
 * What a full sync's batch did in the workspace, as audit note events (change-audit.ts): one per
 * change it applied or failed to apply. A change the run found superseded (no longer true when
 * confirmed) did nothing and is not recorded. Pure.
 *
 * This is the workspace side of a repair: a grant the sync revoked because someone added it in the
 * workspace changes no desired state, so no other entry would say it happened.
 */
import type { NoteEvent } from '../audit/audit-note';
import { workspaceChangeEvent } from '../provisioning/change-audit';
import type { ChangeOutcome, PlannedChange } from './sync-run';

/** The note id of a run's batch: the same batch applied again (a resumed run) writes the same note. */
export function syncNoteId(runId: string, batch: number): string {
  return `sync:${runId}:${batch}`;
}

export function syncNoteEvents(
  planned: readonly PlannedChange[],
  outcomes: readonly ChangeOutcome[],
): NoteEvent[] {
  return planned.flatMap(({ change }, index) => {
    const outcome = outcomes[index];
    return !outcome || outcome.status === 'superseded' ? [] : [workspaceChangeEvent(change, outcome)];
  });
}
