/**
 * What a full sync's batch did in the workspace, as audit note events (shared/audit/audit-note.ts):
 * one `Roster Workspace Changed` per change it applied or failed to apply, with the change's kind,
 * the workspace object, the IdP user or group it is for, why, and the outcome. A change the run
 * found superseded (no longer true when confirmed) did nothing and is not recorded. Pure.
 *
 * This is the workspace side of a repair: a grant the sync revoked because someone added it in the
 * workspace changes no desired state, so no other entry would say it happened.
 */
import type { NoteEvent } from '../audit/audit-note';
import { AUDIT_TYPES } from '../audit/audit-entry';
import type { AuditChange, AuditEntry } from '../audit/audit-entry';
import type { Change } from '../provisioning/change';
import type { ChangeOutcome, PlannedChange } from './sync-run';

/** The note id of a run's batch: the same batch applied again (a resumed run) writes the same note. */
export function syncNoteId(runId: string, batch: number): string {
  return `sync:${runId}:${batch}`;
}

export function syncNoteEvents(
  planned: readonly PlannedChange[],
  outcomes: readonly ChangeOutcome[],
): NoteEvent[] {
  const events: NoteEvent[] = [];
  planned.forEach(({ change }, index) => {
    const outcome = outcomes[index];
    if (!outcome || outcome.status === 'superseded') return;
    const changes: AuditChange[] = [
      { attribute: 'change', after: change.kind },
      ...detailsOf(change, outcome),
      { attribute: 'reason', after: change.reason },
      { attribute: 'status', after: outcome.status },
      ...(outcome.error !== undefined ? [{ attribute: 'error', after: outcome.error }] : []),
    ];
    const related = relatedOf(change);
    events.push({
      type: AUDIT_TYPES.workspaceChanged,
      action: outcome.status === 'applied' ? 'applied' : 'failed',
      object: objectOf(change, outcome),
      changes,
      ...(related.length > 0 ? { related } : {}),
    });
  });
  return events;
}

function objectOf(change: Change, outcome: ChangeOutcome): AuditEntry['object'] {
  switch (change.kind) {
    case 'provisionMember':
      return { kind: 'Member', id: outcome.memberId ?? '(new)', label: change.email };
    case 'updateMember':
    case 'deactivateMember':
    case 'reactivateMember':
    case 'deleteMember':
    case 'markMemberManaged':
      return { kind: 'Member', id: change.memberId };
    case 'createGroup':
      return { kind: 'WorkspaceGroup', id: outcome.workspaceGroupId ?? '(new)', label: change.name };
    case 'renameGroup':
      return { kind: 'WorkspaceGroup', id: change.workspaceGroupId, label: change.name };
    case 'deleteGroup':
    case 'markGroupManaged':
    case 'grant':
    case 'revoke':
      return { kind: 'WorkspaceGroup', id: change.workspaceGroupId };
  }
}

/** What the change set, beyond its object: the member a grant is for, a profile's new values. */
function detailsOf(change: Change, outcome: ChangeOutcome): AuditChange[] {
  switch (change.kind) {
    case 'grant':
      return [{ attribute: 'memberId', after: change.memberId }];
    case 'revoke':
      return [{ attribute: 'memberId', before: change.memberId }];
    case 'provisionMember':
      return [
        { attribute: 'name', after: change.name },
        { attribute: 'admin', after: change.admin },
        ...(outcome.memberId !== undefined ? [{ attribute: 'memberId', after: outcome.memberId }] : []),
      ];
    case 'updateMember':
      return [
        ...(change.email !== undefined ? [{ attribute: 'email', after: change.email }] : []),
        ...(change.name !== undefined ? [{ attribute: 'name', after: change.name }] : []),
        ...(change.admin !== undefined
          ? [{ attribute: 'admin', ...(change.demotes ? { before: true } : {}), after: change.admin }]
          : []),
      ];
    case 'deactivateMember':
      return [{ attribute: 'state', after: 'deactivated' }];
    case 'reactivateMember':
      return [{ attribute: 'state', after: 'active' }];
    default:
      return [];
  }
}

function relatedOf(change: Change): NonNullable<AuditEntry['related']> {
  const related: NonNullable<AuditEntry['related']> = [];
  if ('userId' in change && change.userId) related.push({ kind: 'User', id: change.userId });
  if ('groupId' in change && change.groupId) related.push({ kind: 'Group', id: change.groupId });
  return related;
}
