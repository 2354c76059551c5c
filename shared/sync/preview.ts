/**
 * The impact preview: what turning provisioning on (or the next sync) does to each person and each
 * group, read off the full sync's own plan (planSync) and the two reads it was made from. Pure,
 * and not a second planner: every effect shown is a change (or a held change) of that plan; the
 * reads only add names and explain why an account is not linked.
 *
 * The result holds emails and names: it is for the operator's terminal and files, never for logs.
 */
import type { Change, Observation } from '../provisioning/change';
import type { HoldReason } from '../provisioning/rollout-scope';
import { deferredOf } from './deferred-id';
import type { DesiredState } from './desired';
import type { ObservedWorkspace } from './observed';
import type { SyncPlan } from './plan';

/** How a user meets its workspace account. */
export type LinkPreview =
  | { status: 'linked'; memberId: string }
  /** Linked by this plan to the account with the same email. */
  | { status: 'link'; memberId: string }
  /** A new account: none has the email (`noAccount`), or one that looks like the person has another (`emailDiffers`). */
  | { status: 'provision'; why: 'noAccount' | 'emailDiffers'; similarMemberId?: string }
  /** Not linked: another connection owns the account, the user is inactive, or has no email. */
  | { status: 'notLinked'; why: 'otherConnection' | 'inactive' | 'noEmail'; memberId?: string }
  | { status: 'held'; reason: HoldReason };

export interface GroupRef {
  groupId?: string;
  workspaceGroupId?: string;
  name: string;
}

export interface MemberRef {
  memberId?: string;
  userId?: string;
  email?: string;
  name?: string;
}

export interface PersonPreview {
  userId: string;
  userName?: string;
  email: string;
  name: string;
  active: boolean;
  link: LinkPreview;
  deactivate: boolean;
  reactivate: boolean;
  /** Profile fields the plan changes on the account. */
  update: ('email' | 'name')[];
  admin?: 'gain' | 'lose';
  groupsGained: GroupRef[];
  groupsLost: GroupRef[];
  /** Changes for this person kept back, per reason. */
  held: { reason: HoldReason; changes: number }[];
}

/** A workspace account no IdP user holds, that the plan changes (loses groups, is removed). */
export interface AccountPreview extends MemberRef {
  memberId: string;
  groupsLost: GroupRef[];
  /** Groups it keeps only because a takeover waits for approval. */
  groupsKept: GroupRef[];
  removal?: 'delete' | 'deactivate';
}

export interface GroupPreview {
  groupId: string;
  name: string;
  workspaceGroupId?: string;
  action: 'create' | 'link' | 'linked' | 'notLinked' | 'held';
  why?: 'otherConnection' | HoldReason;
  rename?: { from: string; to: string };
  gains: MemberRef[];
  /** Members the IdP does not list that the plan revokes. */
  loses: MemberRef[];
  /** Members the IdP does not list that a takeover keeps until approved. */
  kept: MemberRef[];
}

export interface Preview {
  people: PersonPreview[];
  accounts: AccountPreview[];
  groups: GroupPreview[];
  /** Workspace groups the plan deletes (owned by this connection, no longer linked). */
  deletedGroups: GroupRef[];
  totals: {
    link: number;
    provision: number;
    notLinked: number;
    deactivate: number;
    adminGain: number;
    adminLose: number;
    grants: number;
    revokes: number;
    held: number;
  };
}

/** What a person the plan does nothing to gets: no removal, update, admin change, group or hold. */
export function noPersonEffects(): Pick<
  PersonPreview,
  'deactivate' | 'reactivate' | 'update' | 'groupsGained' | 'groupsLost' | 'held'
> {
  return { deactivate: false, reactivate: false, update: [], groupsGained: [], groupsLost: [], held: [] };
}

/** The totals of a preview that changes nothing. */
export function noTotals(): Preview['totals'] {
  return {
    link: 0,
    provision: 0,
    notLinked: 0,
    deactivate: 0,
    adminGain: 0,
    adminLose: 0,
    grants: 0,
    revokes: 0,
    held: 0,
  };
}

/** Similar enough to be the same person under another email: the same full name. */
function similarAccount(
  observed: ObservedWorkspace,
  name: string,
  claimed: ReadonlySet<string>,
): string | undefined {
  const wanted = name.trim().toLowerCase();
  if (wanted === '') return undefined;
  for (const member of observed.members.values()) {
    if (!claimed.has(member.id) && !member.managedByScim && member.name.trim().toLowerCase() === wanted)
      return member.id;
  }
  return undefined;
}

export function previewOf(plan: SyncPlan, observed: ObservedWorkspace, desired: DesiredState): Preview {
  // Who holds which workspace member id after the plan: links already made, links this plan
  // makes (by email), and accounts this plan provisions (deferred ids).
  const userOfMember = new Map<string, string>();
  for (const { member } of desired.users.values())
    if (member.memberId !== undefined) userOfMember.set(member.memberId, member.userId);
  const linking = new Map<string, string>();
  const everything: { change: Change; held?: HoldReason }[] = [
    ...plan.changes.map((change) => ({ change })),
    ...plan.held.flatMap((entry) => (entry.change ? [{ change: entry.change, held: entry.reason }] : [])),
  ];
  for (const { change } of everything) {
    if (change.kind === 'markMemberManaged' && !deferredOf(change.memberId)) {
      userOfMember.set(change.memberId, change.userId);
      if (desired.users.get(change.userId)?.member.memberId !== change.memberId)
        linking.set(change.userId, change.memberId);
    }
  }
  const groupOfWorkspace = new Map<string, string>();
  for (const group of desired.groups.values())
    if (group.workspaceGroupId !== undefined) groupOfWorkspace.set(group.workspaceGroupId, group.groupId);
  for (const { change } of everything)
    if (change.kind === 'markGroupManaged' && !deferredOf(change.workspaceGroupId))
      groupOfWorkspace.set(change.workspaceGroupId, change.groupId);

  const groupRef = (workspaceGroupId: string, groupId?: string): GroupRef => {
    const deferred = deferredOf(workspaceGroupId);
    const id = groupId ?? (deferred ? deferred.id : groupOfWorkspace.get(workspaceGroupId));
    const idp = id !== undefined ? desired.groups.get(id) : undefined;
    const name = idp?.name ?? observed.groups.get(workspaceGroupId)?.name ?? workspaceGroupId;
    return {
      ...(id !== undefined ? { groupId: id } : {}),
      ...(deferred ? {} : { workspaceGroupId }),
      name,
    };
  };
  const memberRef = (memberId: string): MemberRef => {
    const deferred = deferredOf(memberId);
    const userId = deferred ? deferred.id : userOfMember.get(memberId);
    const account = deferred ? undefined : observed.members.get(memberId);
    const user = userId !== undefined ? desired.users.get(userId) : undefined;
    return {
      ...(deferred ? {} : { memberId }),
      ...(userId !== undefined ? { userId } : {}),
      ...(account || user ? { email: account?.email ?? user?.member.email ?? '' } : {}),
      ...(account || user ? { name: user?.member.name ?? account?.name ?? '' } : {}),
    };
  };

  const people = new Map<string, PersonPreview>();
  for (const { member, userName } of desired.users.values()) {
    people.set(member.userId, {
      userId: member.userId,
      ...(userName !== undefined ? { userName } : {}),
      email: member.email,
      name: member.name,
      active: member.active,
      link:
        member.memberId !== undefined && observed.members.has(member.memberId)
          ? { status: 'linked', memberId: member.memberId }
          : !member.active
            ? { status: 'notLinked', why: 'inactive' }
            : member.email === ''
              ? { status: 'notLinked', why: 'noEmail' }
              : { status: 'provision', why: 'noAccount' },
      ...noPersonEffects(),
    });
  }
  const accounts = new Map<string, AccountPreview>();
  const accountOf = (memberId: string): AccountPreview => {
    let account = accounts.get(memberId);
    if (!account) {
      account = { ...memberRef(memberId), memberId, groupsLost: [], groupsKept: [] };
      accounts.set(memberId, account);
    }
    return account;
  };
  const groups = new Map<string, GroupPreview>();
  for (const group of desired.groups.values()) {
    const linked = group.workspaceGroupId !== undefined && observed.groups.has(group.workspaceGroupId);
    groups.set(group.groupId, {
      groupId: group.groupId,
      name: group.name,
      ...(linked ? { workspaceGroupId: group.workspaceGroupId } : {}),
      action: linked ? 'linked' : 'create',
      gains: [],
      loses: [],
      kept: [],
    });
  }
  const deletedGroups: GroupRef[] = [];
  const totals = noTotals();

  for (const observation of plan.observations) applyObservation(observation, people, groups);
  for (const [userId, memberId] of linking) {
    const person = people.get(userId);
    if (person && person.link.status !== 'notLinked') person.link = { status: 'link', memberId };
  }

  const heldCounts = new Map<string, Map<HoldReason, number>>();
  for (const entry of plan.held) {
    totals.held += entry.change ? 1 : 0;
    const key = `${entry.subject.kind}:${entry.subject.id}`;
    const counts = heldCounts.get(key) ?? new Map<HoldReason, number>();
    counts.set(entry.reason, (counts.get(entry.reason) ?? 0) + (entry.change ? 1 : 0));
    heldCounts.set(key, counts);
    if (entry.reason === 'takeover' && entry.change?.kind === 'revoke') {
      const change = entry.change;
      groups.get(change.groupId ?? '')?.kept.push(memberRef(change.memberId));
      const userId = userOfMember.get(change.memberId);
      if (userId === undefined) accountOf(change.memberId).groupsKept.push(groupRef(change.workspaceGroupId));
    }
  }
  for (const [key, counts] of heldCounts) {
    const [kind, id] = key.split(/:(.*)/s) as [string, string];
    const held = [...counts].map(([reason, changes]) => ({ reason, changes }));
    if (kind === 'user') {
      const person = people.get(id);
      if (!person) continue;
      person.held = held;
      const whole = held.find((h) => h.reason !== 'takeover');
      if (whole && person.link.status !== 'linked') person.link = { status: 'held', reason: whole.reason };
    } else {
      const group = groups.get(id);
      const whole = held.find((h) => h.reason !== 'takeover');
      if (group && whole) {
        group.action = 'held';
        group.why = whole.reason;
      }
    }
  }

  for (const change of plan.changes) {
    switch (change.kind) {
      case 'provisionMember': {
        const person = people.get(change.userId);
        if (person) {
          if (change.admin) person.admin = 'gain';
          if (person.link.status === 'provision' || person.link.status === 'linked') {
            const similar = similarAccount(observed, change.name, new Set(userOfMember.keys()));
            person.link =
              person.link.status === 'linked' || similar === undefined
                ? { status: 'provision', why: 'noAccount' }
                : { status: 'provision', why: 'emailDiffers', similarMemberId: similar };
          }
        }
        break;
      }
      case 'updateMember': {
        const person = people.get(change.userId);
        if (!person) break;
        if (change.email !== undefined) person.update.push('email');
        if (change.name !== undefined) person.update.push('name');
        if (change.admin !== undefined) {
          const had = observed.members.get(change.memberId)?.admin ?? false;
          if (change.admin !== had) person.admin = change.admin ? 'gain' : 'lose';
        }
        break;
      }
      case 'deactivateMember':
      case 'deleteMember': {
        const person = change.userId ? people.get(change.userId) : undefined;
        if (person) person.deactivate = true;
        else accountOf(change.memberId).removal = change.kind === 'deleteMember' ? 'delete' : 'deactivate';
        break;
      }
      case 'reactivateMember': {
        const person = people.get(change.userId);
        if (person) person.reactivate = true;
        break;
      }
      case 'markGroupManaged': {
        const group = groups.get(change.groupId);
        if (group && !deferredOf(change.workspaceGroupId) && group.action !== 'linked') {
          group.action = 'link';
          group.workspaceGroupId = change.workspaceGroupId;
        }
        break;
      }
      case 'renameGroup': {
        const group = groups.get(change.groupId);
        const from = observed.groups.get(change.workspaceGroupId)?.name ?? '';
        if (group) group.rename = { from, to: change.name };
        break;
      }
      case 'deleteGroup':
        deletedGroups.push(groupRef(change.workspaceGroupId, change.groupId));
        break;
      case 'grant':
      case 'revoke': {
        const ref = groupRef(change.workspaceGroupId, change.groupId);
        const member = memberRef(change.memberId);
        const group = change.groupId !== undefined ? groups.get(change.groupId) : undefined;
        const person = member.userId !== undefined ? people.get(member.userId) : undefined;
        if (change.kind === 'grant') {
          totals.grants++;
          group?.gains.push(member);
          person?.groupsGained.push(ref);
        } else {
          totals.revokes++;
          group?.loses.push(member);
          if (person) person.groupsLost.push(ref);
          else accountOf(change.memberId).groupsLost.push(ref);
        }
        break;
      }
      case 'createGroup':
      case 'markMemberManaged':
        break;
    }
  }

  for (const person of people.values()) {
    if (person.link.status === 'link') totals.link++;
    else if (person.link.status === 'provision') totals.provision++;
    else if (person.link.status === 'notLinked') totals.notLinked++;
    if (person.deactivate) totals.deactivate++;
    if (person.admin === 'gain') totals.adminGain++;
    if (person.admin === 'lose') totals.adminLose++;
    // A provisioned user that the plan does not provision (it waits for its groups only) is shown as it is.
  }
  return {
    people: [...people.values()],
    accounts: [...accounts.values()],
    groups: [...groups.values()],
    deletedGroups,
    totals,
  };
}

function applyObservation(
  observation: Observation,
  people: Map<string, PersonPreview>,
  groups: Map<string, GroupPreview>,
): void {
  if (observation.kind !== 'otherConnection') return;
  const person = observation.userId !== undefined ? people.get(observation.userId) : undefined;
  if (person) person.link = { status: 'notLinked', why: 'otherConnection', memberId: observation.objectId };
  const group = observation.groupId !== undefined ? groups.get(observation.groupId) : undefined;
  if (group) {
    group.action = 'notLinked';
    group.why = 'otherConnection';
  }
}
