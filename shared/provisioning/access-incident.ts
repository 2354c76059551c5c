/**
 * What an apply means for access incidents (see store/access-incidents.ts), decided from changes
 * and their outcomes alone. Pure, and shared by the request path, the reconcile of pending
 * resources and the full sync:
 *
 * - a removal (deactivate or delete a member, take away its admin role when it is known to hold it,
 *   revoke a grant, delete a group) whose outcome is
 *   `unsupported`, `rejected` or `unavailable` leaves access in place: an incident. A removal never
 *   attempted because an earlier change of the same plan failed is one too;
 * - a removal that applied settles its object's incident, and so does a reactivation that applied
 *   (the IdP wants the member active again: there is nothing left to remove).
 *
 * Incident texts are the outcome's error (already free of the workspace's messages), with any
 * email-shaped text redacted in case an adapter's reason quotes one.
 */
import { redactText } from '../http/log-redaction';
import type {
  AccessIncidentReport,
  AccessSubject,
  IncidentStatus,
  RemovalKind,
} from '../store/access-incidents';
import type { PlanResult } from './apply-plan';
import type { Change } from './change';

export type RemovalChange = Extract<Change, { kind: RemovalKind }>;

export function isRemoval(change: Change): change is RemovalChange {
  return (
    (change.kind === 'updateMember' && change.demotes === true) ||
    change.kind === 'deactivateMember' ||
    change.kind === 'deleteMember' ||
    change.kind === 'revoke' ||
    change.kind === 'deleteGroup'
  );
}

/** The object whose access the removal takes away. */
export function removalSubject(change: RemovalChange): AccessSubject {
  switch (change.kind) {
    case 'deactivateMember':
    case 'deleteMember':
      return { kind: 'member', memberId: change.memberId };
    case 'updateMember':
      return { kind: 'admin', memberId: change.memberId };
    case 'revoke':
      return { kind: 'grant', workspaceGroupId: change.workspaceGroupId, memberId: change.memberId };
    case 'deleteGroup':
      return { kind: 'group', workspaceGroupId: change.workspaceGroupId };
  }
}

/** The incident a change that applied settles, if any. */
export function settledBy(change: Change): AccessSubject | undefined {
  // Whether or not the apply knew the account was an admin, `admin: false` applied removes the role.
  if (change.kind === 'updateMember')
    return change.admin === false ? { kind: 'admin', memberId: change.memberId } : undefined;
  if (isRemoval(change)) return removalSubject(change);
  if (change.kind === 'reactivateMember') return { kind: 'member', memberId: change.memberId };
  return undefined;
}

/** Where the IdP-side ids come from when the change does not carry them (a revoke names no user). */
export interface IncidentIds {
  userOf?: (memberId: string) => string | undefined;
}

/** The incident a removal leaves when its outcome is not `applied`; undefined for other changes. */
export function incidentOf(
  change: Change,
  outcome: { status: string; error?: string },
  ids: IncidentIds = {},
): AccessIncidentReport | undefined {
  if (!isRemoval(change) || !isIncidentStatus(outcome.status)) return undefined;
  const userId =
    'userId' in change && change.userId
      ? change.userId
      : 'memberId' in change
        ? ids.userOf?.(change.memberId)
        : undefined;
  const groupId = 'groupId' in change ? change.groupId : undefined;
  return {
    ...removalSubject(change),
    change: change.kind,
    ...(userId ? { userId } : {}),
    ...(groupId !== undefined ? { groupId } : {}),
    status: outcome.status,
    error: redactText(outcome.error ?? outcome.status),
  };
}

function isIncidentStatus(status: string): status is IncidentStatus {
  return status === 'unsupported' || status === 'rejected' || status === 'unavailable';
}

/** What one plan's result means for incidents: those it leaves, and those it settles. */
export interface AccessEffects {
  incidents: AccessIncidentReport[];
  settled: AccessSubject[];
}

export function planEffects(result: PlanResult, ids: IncidentIds = {}): AccessEffects {
  const settled = result.applied.flatMap((change) => settledBy(change) ?? []);
  const incidents: AccessIncidentReport[] = [];
  const { failed } = result;
  if (failed && result.status !== 'applied') {
    const error = result.error ?? result.status;
    const direct = incidentOf(failed, { status: result.status, error }, ids);
    if (direct) incidents.push(direct);
    for (const change of result.unattempted) {
      const left = incidentOf(
        change,
        { status: result.status, error: `not attempted: ${failed.kind} failed first (${error})` },
        ids,
      );
      if (left) incidents.push(left);
    }
  }
  return { incidents, settled };
}

/** The same for changes applied one by one, each with its own outcome (the full sync). */
export function changeEffects(
  results: readonly { change: Change; outcome: { status: string; error?: string } }[],
  ids: IncidentIds = {},
): AccessEffects {
  const effects: AccessEffects = { incidents: [], settled: [] };
  for (const { change, outcome } of results) {
    if (outcome.status === 'applied') {
      const settled = settledBy(change);
      if (settled) effects.settled.push(settled);
      continue;
    }
    const incident = incidentOf(change, outcome, ids);
    if (incident) effects.incidents.push(incident);
  }
  return effects;
}
