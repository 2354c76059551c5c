/**
 * The plan of a full sync: pure, from what was read on both sides to the list of changes that
 * makes the workspace hold what the IdP owns, and the observations of what it does not own.
 * Per object it defers to the provisioning rules (planMember, planGroup), so the request path and
 * the sync decide alike; what only a whole-workspace view can decide lives here:
 *
 * - ownership: what another connection owns is never linked, changed or removed, only reported
 *   (`otherConnection`); an account or group whose owner the workspace does not record is removed
 *   only if this connection links it;
 * - linking: an unlinked user claims the account with the same email, an unlinked group the
 *   group with the same name, unless another IdP resource is already linked to it;
 * - orphans: an account or group this connection owns that no link claims any more (the IdP
 *   deleted it while the workspace was down) is deleted, or deactivated where the adapter cannot
 *   delete members;
 * - ids the workspace assigns during the run are deferred (see deferred-id.ts), so that a member
 *   provisioned and a group created by this plan get their grants in the same run;
 * - revokes that a deactivation or deletion makes anyway are left out of the plan;
 * - the connection's rollout settings (rollout-settings.ts): a released resource plans nothing, a
 *   resource outside the pilot scope plans its changes into `held` instead of `changes`, and the
 *   members a group taken over by name holds that the IdP does not list are revoked only once the
 *   takeover is approved (policy `hold`) or at once (`mirror`). Held changes are never applied and
 *   never counted by the circuit breaker; the preview and the report show them.
 *
 * Changes come in phases: members, then groups, then grants, then removals last, so that a run
 * stopped part way has repaired before it removed.
 *
 * `planShard` is the same plan over one shard of a sharded sync (sharded-plan.ts): it sees the
 * shard's members, users, grants and memberships and every group, plans what concerns the shard's
 * members, and plans what concerns groups themselves (create, link, rename, delete, their
 * observations and takeovers) only where `groupLevel` is set, so that one shard plans them once.
 */
import type { Change, DesiredGroup, Observation } from '../provisioning/change';
import { planGroup } from '../provisioning/plan-group';
import { planMember } from '../provisioning/plan-member';
import type { HoldReason } from '../provisioning/rollout-scope';
import { groupHold, userHold } from '../provisioning/rollout-scope';
import type { RolloutSettings } from '../provisioning/rollout-settings';
import { takeoverHeld } from '../provisioning/rollout-settings';
import type { Capability } from '../workspace/capability';
import type { WorkspaceMember } from '../workspace/member';
import { deferredGroup, deferredMember } from './deferred-id';
import { tallyHeld, tallyObservations } from './held-tally';
import type { DesiredGroupEntry, DesiredState, DesiredUser } from './desired';
import type { ObservedWorkspace } from './observed';

export interface PlanOptions {
  capabilities: ReadonlySet<Capability>;
  /** The connection the plan is for: the only owner whose objects it may change. */
  connectionId: string;
  /** The connection's rollout settings; absent: everything is applied and takeovers mirror the IdP. */
  rollout?: RolloutSettings;
}

export interface ShardOptions extends PlanOptions {
  /** Plan the changes and observations of groups themselves (one shard of a sharded sync does). */
  groupLevel: boolean;
  /**
   * Groups whose changes other shards held back: a group-level shard records no "held, nothing
   * planned" entry for them, as a whole-workspace plan would not.
   */
  groupsHeldElsewhere?: ReadonlySet<string>;
}

/** Changes to groups themselves, as opposed to their grants: planned by one shard only. */
export const GROUP_LEVEL: ReadonlySet<Change['kind']> = new Set([
  'createGroup',
  'markGroupManaged',
  'renameGroup',
  'deleteGroup',
]);

/** A change the rollout settings keep from the workspace, or a resource they keep whole (no change). */
export interface HeldChange {
  reason: HoldReason;
  subject: { kind: 'user' | 'group'; id: string };
  change?: Change;
}

export interface SyncPlan {
  changes: Change[];
  observations: Observation[];
  held: HeldChange[];
  /** Groups this plan links by name while the policy is `hold`: recorded as takeovers. */
  takeovers: { groupId: string; workspaceGroupId: string }[];
}

/** 0 members, 1 groups, 2 grants, 3 removals. */
export const PHASE: Readonly<Record<Change['kind'], number>> = {
  provisionMember: 0,
  markMemberManaged: 0,
  reactivateMember: 0,
  updateMember: 0,
  deactivateMember: 0,
  createGroup: 1,
  markGroupManaged: 1,
  renameGroup: 1,
  revoke: 2,
  grant: 2,
  deleteGroup: 3,
  deleteMember: 3,
};

const EMPTY: ReadonlySet<string> = new Set();

export function planSync(observed: ObservedWorkspace, desired: DesiredState, options: PlanOptions): SyncPlan {
  const plan = planShard(observed, desired, { ...options, groupLevel: true });
  plan.observations.push(...heldObservations(plan.held));
  return plan;
}

/** The plan of one shard (or of the whole workspace, with `groupLevel`), without the held observations. */
export function planShard(
  observed: ObservedWorkspace,
  desired: DesiredState,
  options: ShardOptions,
): SyncPlan {
  const { capabilities, connectionId, rollout, groupLevel } = options;
  const groupsHeldElsewhere = options.groupsHeldElsewhere ?? EMPTY;
  /** Whether this shard plans a change: a group-level change only where the shard plans groups. */
  const inShard = (change: Change) => groupLevel || !GROUP_LEVEL.has(change.kind);
  /** A held group with nothing held: recorded once, by the group-level shard, if no shard held a change. */
  const nothingHeld = (groupId: string, heldCount: number) =>
    groupLevel && heldCount === 0 && !groupsHeldElsewhere.has(groupId);
  const foreign = (owner: string | undefined) => owner !== undefined && owner !== connectionId;
  const phases: Change[][] = [[], [], [], []];
  const observations: Observation[] = [];
  const held: HeldChange[] = [];
  const takeovers: SyncPlan['takeovers'] = [];
  const holdOfUser = (user: DesiredUser) =>
    rollout
      ? userHold(rollout, {
          id: user.member.userId,
          name: user.userName ?? '',
          ...(user.externalId !== undefined ? { externalId: user.externalId } : {}),
        })
      : undefined;
  const holdOfGroup = (group: DesiredGroupEntry) =>
    rollout
      ? groupHold(rollout, {
          id: group.groupId,
          name: group.name,
          ...(group.externalId !== undefined ? { externalId: group.externalId } : {}),
        })
      : undefined;
  /**
   * Workspace members linked to users outside the pilot: no group is granted to them meanwhile,
   * but they lose the groups the IdP does not list them in, and their deactivation applies.
   */
  const heldMembers = new Set<string>();
  const add = (change: Change) => {
    if (
      (change.kind === 'markMemberManaged' || change.kind === 'markGroupManaged') &&
      !capabilities.has('markManaged')
    )
      return;
    if (change.kind === 'updateMember' && !capabilities.has('updateMember') && change.demotes) {
      // An admin role the IdP took away is attempted all the same: the workspace's refusal is an
      // access incident (loud), not a line in the report.
      phases[PHASE[change.kind]]?.push(change);
      return;
    }
    if (change.kind === 'updateMember' && !capabilities.has('updateMember')) {
      // A workspace that cannot change profiles (Mode) may not list names either: a difference
      // in admin or email is reported, never planned as a change that can only fail.
      const differs = [change.admin !== undefined ? 'admin' : '', change.email !== undefined ? 'email' : '']
        .filter(Boolean)
        .join(' and ');
      if (differs !== '') {
        observations.push({
          kind: 'capabilityMissing',
          objectId: change.memberId,
          detail: `user ${change.userId}: the ${differs} ${differs.includes(' and ') ? 'differ' : 'differs'} from the IdP; the workspace cannot change member profiles`,
        });
      }
      return;
    }
    phases[PHASE[change.kind]]?.push(change);
  };

  // Members. Linked users claim their accounts first, so that an email match never takes an
  // account another IdP user is linked to.
  const claimedMembers = new Set<string>();
  for (const user of desired.users.values()) {
    const { member } = user;
    if (holdOfUser(user) === 'released') continue;
    const linked = member.memberId !== undefined ? observed.members.get(member.memberId) : undefined;
    if (linked && !foreign(linked.owner)) claimedMembers.add(linked.id);
  }
  /** User id → the workspace member id that should hold the user's groups (real or deferred). */
  const holderOf = new Map<string, string>();
  /** Members this plan deactivates or deletes: their grants go with them. */
  const removedMembers = new Set<string>();

  for (const user of desired.users.values()) {
    const { member } = user;
    const hold = holdOfUser(user);
    const subject = { kind: 'user' as const, id: member.userId };
    if (hold === 'released') {
      held.push({ reason: hold, subject });
      continue;
    }
    let account: WorkspaceMember | undefined =
      member.memberId !== undefined ? observed.members.get(member.memberId) : undefined;
    if (!account && member.email !== '') {
      const byEmail = observed.memberByEmail.get(member.email.toLowerCase());
      if (byEmail !== undefined && !claimedMembers.has(byEmail)) account = observed.members.get(byEmail);
    }
    if (account && foreign(account.owner)) {
      // No email in the detail: the report names the account by id only.
      observations.push({
        kind: 'otherConnection',
        objectId: account.id,
        userId: member.userId,
        detail: `user ${member.userId}: the account with this email is managed by another connection; not linked`,
      });
      continue;
    }
    const changes = planMember(member, account);
    if (hold !== undefined) {
      // Outside the pilot: planned as the rest would be, to show what waits, and kept back. Its
      // account (when linked) stays claimed, so that nothing removes it as an orphan either.
      // Never what takes access away: a linked account the IdP deactivated is deactivated, and
      // one it no longer makes an admin loses the admin role (the rest of its profile waits).
      if (changes.length === 0) held.push({ reason: hold, subject });
      for (const change of changes) {
        const linkedAccount = 'memberId' in change && change.memberId === member.memberId;
        if (change.kind === 'deactivateMember' && linkedAccount) {
          add(change);
          removedMembers.add(change.memberId);
        } else if (change.kind === 'updateMember' && change.admin === false && linkedAccount) {
          const { admin: _admin, demotes: _demotes, ...rest } = change;
          add(demotion(change));
          if (rest.email !== undefined || rest.name !== undefined)
            held.push({ reason: hold, subject, change: rest });
        } else held.push({ reason: hold, subject, change });
      }
      if (member.memberId !== undefined && account?.id === member.memberId) {
        heldMembers.add(member.memberId);
        // It still holds the groups the IdP lists it in: only those it is not listed in are revoked.
        if (member.active) holderOf.set(member.userId, member.memberId);
      }
      continue;
    }
    if (account && (account.id === member.memberId || changes.length > 0)) claimedMembers.add(account.id);
    for (const change of changes) {
      add(change);
      if (change.kind === 'provisionMember') {
        // A new account is not marked as the IdP's until told so (as the request path does).
        add({
          kind: 'markMemberManaged',
          userId: member.userId,
          memberId: deferredMember(member.userId),
          reason: 'provisioned by the IdP',
        });
      }
      if (change.kind === 'deactivateMember') removedMembers.add(change.memberId);
    }
    if (!member.active) continue;
    if (changes.some((change) => change.kind === 'provisionMember'))
      holderOf.set(member.userId, deferredMember(member.userId));
    else if (account && claimedMembers.has(account.id)) holderOf.set(member.userId, account.id);
  }

  for (const account of observed.members.values()) {
    if (claimedMembers.has(account.id)) continue;
    if (foreign(account.owner)) {
      observations.push({
        kind: 'otherConnection',
        objectId: account.id,
        detail: 'managed by another connection: left as it is',
      });
      continue;
    }
    if (account.owner === undefined && account.managedByScim) {
      observations.push({
        kind: 'unmanagedMember',
        objectId: account.id,
        detail: 'marked as managed by an IdP, but the workspace records no owner: left as it is',
      });
      continue;
    }
    if (!account.managedByScim) {
      observations.push({
        kind: 'unmanagedMember',
        objectId: account.id,
        detail: 'not linked to an IdP user: left as it is',
      });
      continue;
    }
    const reason = 'managed by the IdP but no longer linked (deleted on the IdP side)';
    if (capabilities.has('deleteMember')) {
      add({ kind: 'deleteMember', memberId: account.id, reason });
      removedMembers.add(account.id);
    } else {
      observations.push({
        kind: 'capabilityMissing',
        objectId: account.id,
        detail: 'the workspace cannot delete members: deactivated instead',
      });
      if (account.state !== 'deactivated') {
        // No IdP user is left to name: the change carries an empty user id.
        add({ kind: 'deactivateMember', memberId: account.id, reason });
        removedMembers.add(account.id);
      }
    }
  }

  // Groups, in the same way: linked groups claim first, then unlinked ones by name.
  const claimedGroups = new Set<string>();
  for (const group of desired.groups.values()) {
    if (holdOfGroup(group) === 'released') continue;
    const linked =
      group.workspaceGroupId !== undefined ? observed.groups.get(group.workspaceGroupId) : undefined;
    if (linked && !foreign(linked.owner)) claimedGroups.add(linked.id);
  }
  for (const group of desired.groups.values()) {
    const hold = holdOfGroup(group);
    const subject = { kind: 'group' as const, id: group.groupId };
    if (hold === 'released') {
      if (groupLevel) held.push({ reason: hold, subject });
      continue;
    }
    let workspaceGroup =
      group.workspaceGroupId !== undefined ? observed.groups.get(group.workspaceGroupId) : undefined;
    if (!workspaceGroup) {
      const byName = observed.groupByName.get(group.name.toLowerCase());
      if (byName !== undefined && !claimedGroups.has(byName)) workspaceGroup = observed.groups.get(byName);
    }
    if (workspaceGroup && foreign(workspaceGroup.owner)) {
      if (!groupLevel) continue;
      observations.push({
        kind: 'otherConnection',
        objectId: workspaceGroup.id,
        groupId: group.groupId,
        detail: `group ${group.groupId}: the workspace group with this name is managed by another connection; not linked`,
      });
      continue;
    }
    // Outside the pilot, a linked group stays claimed; an unlinked one takes nothing by name yet.
    if (workspaceGroup && (hold === undefined || group.workspaceGroupId === workspaceGroup.id))
      claimedGroups.add(workspaceGroup.id);
    let heldCount = 0;
    const emit = (change: Change) => {
      if (!inShard(change)) return;
      if (hold === undefined) return add(change);
      heldCount++;
      held.push({ reason: hold, subject, change });
    };
    const memberIds = new Set<string>();
    for (const userId of group.memberUserIds) {
      const holder = holderOf.get(userId);
      if (holder !== undefined) memberIds.add(holder);
    }
    const wanted: DesiredGroup = {
      groupId: group.groupId,
      ...(group.workspaceGroupId !== undefined ? { workspaceGroupId: group.workspaceGroupId } : {}),
      name: group.name,
      memberIds,
    };
    if (!workspaceGroup) {
      for (const change of planGroup(wanted, undefined)) emit(change);
      const workspaceGroupId = deferredGroup(group.groupId);
      emit({
        kind: 'markGroupManaged',
        groupId: group.groupId,
        workspaceGroupId,
        reason: 'created for the IdP',
      });
      for (const memberId of memberIds) {
        emit({
          kind: 'grant',
          groupId: group.groupId,
          workspaceGroupId,
          memberId,
          reason: 'a member on the IdP side',
        });
      }
      if (hold !== undefined && nothingHeld(group.groupId, heldCount)) held.push({ reason: hold, subject });
      continue;
    }
    const linkingByName = group.workspaceGroupId !== workspaceGroup.id;
    if (groupLevel && hold === undefined && linkingByName && rollout?.takeover === 'hold')
      takeovers.push({ groupId: group.groupId, workspaceGroupId: workspaceGroup.id });
    // A group taken over by name keeps the members the IdP does not list until an operator decides.
    const inTakeover =
      rollout?.takeover === 'hold' &&
      (linkingByName || takeoverHeld(rollout, group.groupId, workspaceGroup.id));
    const holders = observed.grants.get(workspaceGroup.id) ?? EMPTY;
    for (const change of planGroup(wanted, { group: workspaceGroup, memberIds: holders })) {
      if (!inShard(change)) continue;
      if (change.kind === 'revoke' && removedMembers.has(change.memberId)) continue;
      if (hold === undefined && change.kind === 'grant' && heldMembers.has(change.memberId)) {
        held.push({ reason: 'outsidePilot', subject, change });
        continue;
      }
      if (hold === undefined && change.kind === 'revoke' && inTakeover) {
        held.push({ reason: 'takeover', subject, change });
        continue;
      }
      if (hold === 'outsidePilot' && change.kind === 'revoke' && !linkingByName && !inTakeover) {
        // A linked group outside the pilot gains no one, but loses whom the IdP does not list.
        add(change);
        continue;
      }
      emit(change);
    }
    if (hold !== undefined && nothingHeld(group.groupId, heldCount)) held.push({ reason: hold, subject });
  }

  for (const group of groupLevel ? observed.groups.values() : []) {
    if (claimedGroups.has(group.id)) continue;
    if (foreign(group.owner)) {
      observations.push({
        kind: 'otherConnection',
        objectId: group.id,
        detail: 'managed by another connection: left as it is',
      });
    } else if (group.owner === undefined && group.managed) {
      observations.push({
        kind: 'unmanagedGroup',
        objectId: group.id,
        detail: 'marked as managed by an IdP, but the workspace records no owner: left as it is',
      });
    } else if (!group.managed) {
      observations.push({
        kind: 'unmanagedGroup',
        objectId: group.id,
        detail: 'not linked to an IdP group: left as it is',
      });
    } else if (capabilities.has('deleteGroup')) {
      add({
        kind: 'deleteGroup',
        workspaceGroupId: group.id,
        reason: 'managed by the IdP but no longer linked (deleted on the IdP side)',
      });
    } else {
      observations.push({
        kind: 'capabilityMissing',
        objectId: group.id,
        detail: 'managed by the IdP but no longer linked, and the workspace cannot delete groups',
      });
    }
  }
  if (groupLevel && observed.everyone) {
    observations.push({
      kind: 'everyoneGroup',
      objectId: observed.everyone.id,
      detail: 'belongs to the workspace: never changed by the sync',
    });
  }

  return { changes: withUsers(phases.flat(), holderOf, desired), observations, held, takeovers };
}

/**
 * Names the IdP user beside the member of each grant and revoke, so that the audit trail relates
 * what the sync did to the user (`roster audit --user`). The member's holder in this plan first
 * (a member it provisions has a deferred id), else the user linked to it. Only the members that a
 * grant or revoke names are looked up: no second map of the whole link state.
 */
function withUsers(
  changes: Change[],
  holderOf: ReadonlyMap<string, string>,
  desired: DesiredState,
): Change[] {
  const named = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'grant' || change.kind === 'revoke') named.add(change.memberId);
  }
  if (named.size === 0) return changes;
  const userOf = new Map<string, string>();
  for (const [userId, memberId] of holderOf) if (named.has(memberId)) userOf.set(memberId, userId);
  for (const { member } of desired.users.values()) {
    if (member.memberId !== undefined && named.has(member.memberId) && !userOf.has(member.memberId))
      userOf.set(member.memberId, member.userId);
  }
  return changes.map((change) => {
    if (change.kind !== 'grant' && change.kind !== 'revoke') return change;
    const userId = userOf.get(change.memberId);
    return userId === undefined ? change : { ...change, userId };
  });
}

/** One observation per held resource and reason, for the report: ids and counts only. */
export function heldObservations(held: readonly HeldChange[]): Observation[] {
  return tallyObservations(tallyHeld(held).values());
}

/** Only the admin role's removal out of a profile change (what the pilot scope never holds back). */
function demotion(
  change: Extract<Change, { kind: 'updateMember' }>,
): Extract<Change, { kind: 'updateMember' }> {
  return {
    kind: 'updateMember',
    userId: change.userId,
    memberId: change.memberId,
    admin: false,
    demotes: true,
    reason: 'admin role removed by the IdP',
  };
}
