/**
 * The circuit breaker: a plan that would remove much of what the IdP manages is more likely a
 * fault (an IdP that lost its users, a connector that read half a workspace, a wrong connection)
 * than an intent, so the sync refuses to apply it until an operator approves it once. It also
 * refuses when the workspace read came back empty while links have been applied: an empty answer
 * from a workspace that held linked accounts is a read problem until proved otherwise.
 *
 * Shares are of what this connection manages on the workspace (accounts it owns or links, the same
 * for groups, and the grants of those groups), never of the whole workspace: another connection's
 * objects neither dilute nor count. Three kinds of removal are counted: members deleted or
 * deactivated, groups deleted, grants revoked. A small absolute allowance lets a small connection
 * lose a few without an approval, but never all it manages: removing every one of two or more
 * always trips. Beyond the allowance, the share decides.
 */
import type { Change } from '../provisioning/change';
import type { DesiredState } from './desired';
import type { ObservedWorkspace } from './observed';

export interface BreakerLimits {
  /** Largest share of managed members one run may delete or deactivate (0.1 = 10 %). */
  maxRemovalShare: number;
  /** Largest share of managed groups one run may delete. */
  maxGroupDeletionShare: number;
  /** Largest share of the grants of managed groups one run may revoke. */
  maxRevokeShare: number;
  /** Removals up to this many never trip the breaker, whatever the share. */
  removalAllowance: number;
}

export const DEFAULT_LIMITS: BreakerLimits = {
  maxRemovalShare: 0.1,
  maxGroupDeletionShare: 0.1,
  maxRevokeShare: 0.1,
  removalAllowance: 3,
};

export type TripReason = 'memberRemovals' | 'groupDeletions' | 'grantRevokes' | 'emptyRead';

export interface BreakerVerdict {
  tripped: boolean;
  reasons: TripReason[];
  memberRemovals: number;
  groupDeletions: number;
  revokes: number;
  managedMembers: number;
  managedGroups: number;
  /** Grants held on the managed groups, as read. */
  managedGrants: number;
}

/** What an operator approved: the next plan may be no larger than this. */
export interface BreakerApproval {
  runId: string;
  memberRemovals: number;
  groupDeletions: number;
  /** Absent in approvals recorded before revokes were counted: none approved. */
  revokes?: number;
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
    maxRevokeShare: share(env.SYNC_MAX_REVOKE_SHARE, maxRemovalShare),
    removalAllowance: count(env.SYNC_REMOVAL_ALLOWANCE, DEFAULT_LIMITS.removalAllowance),
  };
}

export function checkBreaker(
  changes: readonly Change[],
  observed: ObservedWorkspace,
  desired: DesiredState,
  limits: BreakerLimits,
  /** The connection the plan is for; its objects are the base of every share. */
  connectionId: string,
): BreakerVerdict {
  return breakerVerdict(tallyBreaker(changes, observed, desired, connectionId, true), limits);
}

/** What the verdict is made of, counted over one shard of a sharded sync or the whole workspace. */
export interface BreakerTally extends Omit<BreakerVerdict, 'tripped' | 'reasons'> {
  /** Workspace members read. */
  members: number;
  /**
   * Users and groups linked to the workspace: with none, an empty workspace read is plausible;
   * with some, it is suspect.
   */
  appliedLinks: number;
}

export function emptyTally(): BreakerTally {
  return {
    memberRemovals: 0,
    groupDeletions: 0,
    revokes: 0,
    managedMembers: 0,
    managedGroups: 0,
    managedGrants: 0,
    members: 0,
    appliedLinks: 0,
  };
}

export function addTally(into: BreakerTally, tally: BreakerTally): void {
  for (const key of Object.keys(into) as (keyof BreakerTally)[]) into[key] += tally[key];
}

/**
 * The counts of one plan. `groupLevel`: the shard that counts groups themselves (the managed groups
 * and the linked ones); every shard counts its members, users, removals and the grants it holds.
 */
export function tallyBreaker(
  changes: readonly Change[],
  observed: ObservedWorkspace,
  desired: DesiredState,
  connectionId: string,
  groupLevel: boolean,
): BreakerTally {
  const tally = emptyTally();
  for (const change of changes) {
    if (change.kind === 'deleteMember' || change.kind === 'deactivateMember') tally.memberRemovals++;
    else if (change.kind === 'deleteGroup') tally.groupDeletions++;
    else if (change.kind === 'revoke') tally.revokes++;
  }
  const linkedMembers = new Set<string>();
  const linkedGroups = new Set<string>();
  let userLinks = 0;
  for (const { member } of desired.users.values()) {
    if (member.memberId === undefined) continue;
    linkedMembers.add(member.memberId);
    userLinks++;
  }
  let groupLinks = 0;
  for (const group of desired.groups.values()) {
    if (group.workspaceGroupId === undefined) continue;
    linkedGroups.add(group.workspaceGroupId);
    groupLinks++;
  }
  // Linked with no owner recorded (a workspace that records none) counts; another's never does.
  const mine = (owner: string | undefined, linked: boolean) =>
    owner === connectionId || (owner === undefined && linked);
  for (const member of observed.members.values())
    if (mine(member.owner, linkedMembers.has(member.id))) tally.managedMembers++;
  for (const group of observed.groups.values()) {
    if (!mine(group.owner, linkedGroups.has(group.id))) continue;
    if (groupLevel) tally.managedGroups++;
    tally.managedGrants += observed.grants.get(group.id)?.size ?? 0;
  }
  tally.members = observed.members.size;
  // The groups, which every shard sees, are counted by one shard only.
  tally.appliedLinks = userLinks + (groupLevel ? groupLinks : 0);
  return tally;
}

export function breakerVerdict(tally: BreakerTally, limits: BreakerLimits): BreakerVerdict {
  const { memberRemovals, groupDeletions, revokes, managedMembers, managedGroups, managedGrants } = tally;
  const reasons: TripReason[] = [];
  if (tally.members === 0 && tally.appliedLinks > 0) reasons.push('emptyRead');
  const exceeds = (count: number, base: number, share: number) =>
    count > share * base && (count > limits.removalAllowance || (base >= 2 && count >= base));
  if (exceeds(memberRemovals, managedMembers, limits.maxRemovalShare)) reasons.push('memberRemovals');
  if (exceeds(groupDeletions, managedGroups, limits.maxGroupDeletionShare)) reasons.push('groupDeletions');
  if (exceeds(revokes, managedGrants, limits.maxRevokeShare)) reasons.push('grantRevokes');
  return {
    tripped: reasons.length > 0,
    reasons,
    memberRemovals,
    groupDeletions,
    revokes,
    managedMembers,
    managedGroups,
    managedGrants,
  };
}

/** An approval lets through a plan no larger than the one approved, for the reasons it was refused. */
export function approvalCovers(approval: BreakerApproval, verdict: BreakerVerdict): boolean {
  return (
    verdict.memberRemovals <= approval.memberRemovals &&
    verdict.groupDeletions <= approval.groupDeletions &&
    (verdict.revokes ?? 0) <= (approval.revokes ?? 0) &&
    (!verdict.reasons.includes('emptyRead') || approval.emptyRead)
  );
}
