/**
 * A change made (or refused) in the workspace, as an audit note event (shared/audit/audit-note.ts):
 * one `Roster Workspace Changed` with the change's kind, the workspace object, the IdP user or
 * group it is for, why, and the outcome. Used by the full sync for each change of a batch and by
 * the stream-fed apply for the grants and revokes of a membership change, which change no item
 * whose own record would say so. Pure.
 */
import type { NoteEvent } from '../audit/audit-note';
import { AUDIT_TYPES } from '../audit/audit-entry';
import type { AuditChange, AuditEntry } from '../audit/audit-entry';
import type { Change } from './change';

/** What became of the change (the sync's ChangeOutcome has this shape). */
export interface ChangeResult {
  status: string;
  error?: string;
  /** Ids the workspace assigned (a provisioned member, a created group). */
  memberId?: string;
  workspaceGroupId?: string;
}

export function workspaceChangeEvent(
  change: Change,
  outcome: ChangeResult,
  /** The IdP user a workspace member is linked to, where the caller knows it (grants name members). */
  userOf: (memberId: string) => string | undefined = () => undefined,
): NoteEvent {
  const changes: AuditChange[] = [
    { attribute: 'change', after: change.kind },
    ...detailsOf(change, outcome),
    { attribute: 'reason', after: change.reason },
    { attribute: 'status', after: outcome.status },
    ...(outcome.error !== undefined ? [{ attribute: 'error', after: outcome.error }] : []),
  ];
  const related = relatedOf(change, userOf);
  return {
    type: AUDIT_TYPES.workspaceChanged,
    action: outcome.status === 'applied' ? 'applied' : 'failed',
    object: objectOf(change, outcome),
    changes,
    ...(related.length > 0 ? { related } : {}),
  };
}

function objectOf(change: Change, outcome: ChangeResult): AuditEntry['object'] {
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
function detailsOf(change: Change, outcome: ChangeResult): AuditChange[] {
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

function relatedOf(
  change: Change,
  userOf: (memberId: string) => string | undefined,
): NonNullable<AuditEntry['related']> {
  const related: NonNullable<AuditEntry['related']> = [];
  const userId =
    'userId' in change && change.userId
      ? change.userId
      : change.kind === 'grant' || change.kind === 'revoke'
        ? userOf(change.memberId)
        : undefined;
  if (userId) related.push({ kind: 'User', id: userId });
  if ('groupId' in change && change.groupId) related.push({ kind: 'Group', id: change.groupId });
  return related;
}
