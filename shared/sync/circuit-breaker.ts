/**
 * The circuit breaker: a plan that would remove much of what the IdP manages is more likely a
 * fault (an IdP that lost its users, a connector that read half a workspace, a wrong connection)
 * than an intent, so the sync refuses to apply it until an operator approves it once. It also
 * refuses when the workspace read came back empty while links have been applied: an empty answer
 * from a workspace that held linked accounts is a read problem until proved otherwise.
 *
 * Shares are of what the IdP manages on the workspace (accounts marked managed or linked, and the
 * same for groups). A small absolute allowance lets tiny workspaces lose one member without an
 * approval; beyond it, both the share and the allowance must be exceeded to trip.
 */
import type { Change } from '../provisioning/change';
import type { DesiredState } from './desired';
import { appliedLinkCount } from './desired';
import type { ObservedWorkspace } from './observed';

export interface BreakerLimits {
  /** Largest share of managed members one run may delete or deactivate (0.1 = 10 %). */
  maxRemovalShare: number;
  /** Largest share of managed groups one run may delete. */
  maxGroupDeletionShare: number;
  /** Removals up to this many never trip the breaker, whatever the share. */
  removalAllowance: number;
}

export const DEFAULT_LIMITS: BreakerLimits = {
  maxRemovalShare: 0.1,
  maxGroupDeletionShare: 0.1,
  removalAllowance: 3,
};

export type TripReason = 'memberRemovals' | 'groupDeletions' | 'emptyRead';

export interface BreakerVerdict {
  tripped: boolean;
  reasons: TripReason[];
  memberRemovals: number;
  groupDeletions: number;
  managedMembers: number;
  managedGroups: number;
}

/** What an operator approved: the next plan may be no larger than this. */
export interface BreakerApproval {
  runId: string;
  memberRemovals: number;
  groupDeletions: number;
  emptyRead: boolean;
}

export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): BreakerLimits {
  const share = (value: string | undefined, fallback: number) => {
    const parsed = value === undefined || value === '' ? NaN : Number(value);
    return Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : fallback;
  };
  const count = (value: string | undefined, fallback: number) => {
    const parsed = value === undefined || value === '' ? NaN : Number(value);
    return Number.isInteger(parsed) && parsed >= 0 ? parsed : fallback;
  };
  const maxRemovalShare = share(env.SYNC_MAX_REMOVAL_SHARE, DEFAULT_LIMITS.maxRemovalShare);
  return {
    maxRemovalShare,
    maxGroupDeletionShare: share(env.SYNC_MAX_GROUP_DELETION_SHARE, maxRemovalShare),
    removalAllowance: count(env.SYNC_REMOVAL_ALLOWANCE, DEFAULT_LIMITS.removalAllowance),
  };
}

export function checkBreaker(
  changes: readonly Change[],
  observed: ObservedWorkspace,
  desired: DesiredState,
  limits: BreakerLimits,
): BreakerVerdict {
  let memberRemovals = 0;
  let groupDeletions = 0;
  for (const change of changes) {
    if (change.kind === 'deleteMember' || change.kind === 'deactivateMember') memberRemovals++;
    else if (change.kind === 'deleteGroup') groupDeletions++;
  }
  const linkedMembers = new Set<string>();
  const linkedGroups = new Set<string>();
  for (const { member } of desired.users.values())
    if (member.memberId !== undefined) linkedMembers.add(member.memberId);
  for (const group of desired.groups.values())
    if (group.workspaceGroupId !== undefined) linkedGroups.add(group.workspaceGroupId);
  let managedMembers = 0;
  for (const member of observed.members.values())
    if (member.managedByScim || linkedMembers.has(member.id)) managedMembers++;
  let managedGroups = 0;
  for (const group of observed.groups.values())
    if (group.managed || linkedGroups.has(group.id)) managedGroups++;

  const reasons: TripReason[] = [];
  if (observed.members.size === 0 && appliedLinkCount(desired) > 0) reasons.push('emptyRead');
  const exceeds = (count: number, base: number, share: number) =>
    count > limits.removalAllowance && count > share * base;
  if (exceeds(memberRemovals, managedMembers, limits.maxRemovalShare)) reasons.push('memberRemovals');
  if (exceeds(groupDeletions, managedGroups, limits.maxGroupDeletionShare)) reasons.push('groupDeletions');
  return {
    tripped: reasons.length > 0,
    reasons,
    memberRemovals,
    groupDeletions,
    managedMembers,
    managedGroups,
  };
}

/** An approval lets through a plan no larger than the one approved, for the reasons it was refused. */
export function approvalCovers(approval: BreakerApproval, verdict: BreakerVerdict): boolean {
  return (
    verdict.memberRemovals <= approval.memberRemovals &&
    verdict.groupDeletions <= approval.groupDeletions &&
    (!verdict.reasons.includes('emptyRead') || approval.emptyRead)
  );
}
