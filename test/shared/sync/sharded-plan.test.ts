/**
 * The sharded plan is the whole plan: for random workspaces and link states (emails and names
 * that collide, links to accounts that are gone, accounts and groups another connection owns,
 * pilot scopes, released resources, takeovers, capabilities missing), the shards put together
 * by planSharded plan exactly what planSync plans over everything at once, at every shard count.
 * The worlds are split with the routing of shard.ts, as the sync spills them.
 */
import { describe, expect, it } from 'vitest';
import type { DesiredGroupEntry, DesiredState, DesiredUser } from '../../../shared/sync/desired';
import { emptyObserved } from '../../../shared/sync/observed';
import type { ObservedWorkspace } from '../../../shared/sync/observed';
import type { PlanOptions, SyncPlan } from '../../../shared/sync/plan';
import { planSync } from '../../../shared/sync/plan';
import type { ShardWorld } from '../../../shared/sync/sharded-plan';
import { planningOrder, planSharded } from '../../../shared/sync/sharded-plan';
import { GROUP_SHARD, shardCount, shardOfEmail, userShardOf } from '../../../shared/sync/shard';
import type { RolloutSettings } from '../../../shared/provisioning/rollout-settings';
import type { Capability } from '../../../shared/workspace/capability';
import { CAPABILITIES } from '../../../shared/workspace/capability';
import type { MemberState } from '../../../shared/workspace/member';
import { seededRandom } from '../../support/seeded-random';

interface World {
  observed: ObservedWorkspace;
  desired: DesiredState;
  options: PlanOptions;
}

const EMAILS = ['ada@x.io', 'ADA@x.io', 'bob@x.io', 'cy@x.io', 'dee@x.io', 'eve@x.io', 'fay@x.io', ''];
const GROUP_NAMES = ['Eng', 'eng', 'Ops', 'Sales', 'Data'];
const STATES: MemberState[] = ['active', 'invited', 'deactivated'];
const OWNERS = ['c1', 'c1', 'c2', undefined];

function world(seed: number): World {
  const next = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const chance = (p: number) => next() < p;
  const observed = emptyObserved();
  const memberIds: string[] = [];
  for (let i = 0, n = Math.floor(next() * 14); i < n; i++) {
    const owner = pick(OWNERS);
    const member = {
      id: `m${i}`,
      email: pick(EMAILS),
      name: pick(['Ada L', 'Bob B', '']),
      admin: chance(0.3),
      state: pick(STATES),
      managedByScim: chance(0.7),
      ...(owner !== undefined ? { owner } : {}),
    };
    observed.members.set(member.id, member);
    observed.memberByEmail.set(member.email.toLowerCase(), member.id);
    memberIds.push(member.id);
  }
  const groupIds: string[] = [];
  for (let i = 0, n = Math.floor(next() * 6); i < n; i++) {
    const owner = pick(OWNERS);
    const group = {
      kind: 'group' as const,
      id: `g${i}`,
      name: pick(GROUP_NAMES),
      managed: chance(0.7),
      everyone: false,
      ...(owner !== undefined ? { owner } : {}),
    };
    observed.groups.set(group.id, group);
    observed.groupByName.set(group.name.toLowerCase(), group.id);
    groupIds.push(group.id);
  }
  if (chance(0.5))
    observed.everyone = { kind: 'group', id: 'ev', name: 'Everyone', managed: false, everyone: true };
  for (const groupId of groupIds) {
    const holders = new Set<string>();
    for (const memberId of [...memberIds, 'ghost']) if (chance(0.35)) holders.add(memberId);
    if (holders.size > 0) observed.grants.set(groupId, holders);
  }

  const users = new Map<string, DesiredUser>();
  for (let i = 0, n = Math.floor(next() * 12); i < n; i++) {
    const linkTo = chance(0.6) ? pick([...memberIds, 'gone']) : undefined;
    const id = `u${i}`;
    users.set(id, {
      member: {
        userId: id,
        email: pick(EMAILS).toLowerCase(),
        name: pick(['Ada L', 'Bob B', '']),
        admin: chance(0.3),
        active: chance(0.75),
        ...(linkTo !== undefined ? { memberId: linkTo } : {}),
      },
      userName: `user${i}`,
      ...(chance(0.3) ? { externalId: `ext${i}` } : {}),
      version: 1 + Math.floor(next() * 3),
      apply: chance(0.8)
        ? { status: 'applied', appliedVersion: 1, attempts: 0 }
        : { status: 'pending', attempts: 1 },
    });
  }
  const userIds = [...users.keys()];
  const groups = new Map<string, DesiredGroupEntry>();
  for (let i = 0, n = Math.floor(next() * 6); i < n; i++) {
    const linkTo = chance(0.6) ? pick([...groupIds, 'gone-group']) : undefined;
    const id = `G${i}`;
    groups.set(id, {
      groupId: id,
      name: pick(GROUP_NAMES),
      ...(linkTo !== undefined ? { workspaceGroupId: linkTo } : {}),
      memberUserIds: [...userIds, 'unknown-user'].filter(() => chance(0.4)),
      ...(chance(0.3) ? { externalId: `gext${i}` } : {}),
      version: 1,
      apply: { status: 'applied', appliedVersion: 1, attempts: 0 },
    });
  }

  const capabilities = new Set<Capability>(
    CAPABILITIES.filter(
      (capability) =>
        !['deleteMember', 'deleteGroup', 'updateMember', 'markManaged'].includes(capability) || chance(0.75),
    ),
  );
  let rollout: RolloutSettings | undefined;
  if (chance(0.6)) {
    const groupIdsDesired = [...groups.keys()];
    rollout = {
      takeover: chance(0.5) ? 'hold' : 'mirror',
      takeovers: {},
      released: {
        users: userIds.filter(() => chance(0.15)),
        groups: groupIdsDesired.filter(() => chance(0.15)),
      },
      version: 1,
    };
    for (const groupId of groupIdsDesired) {
      if (chance(0.3) && groupIds.length > 0)
        rollout.takeovers[groupId] = {
          workspaceGroupId: pick(groupIds),
          linkedAt: '2026-12-01T00:00:00Z',
          ...(chance(0.5) ? { approvedAt: '2026-12-02T00:00:00Z' } : {}),
        };
    }
    if (chance(0.6)) {
      rollout.pilot = {
        users: [...userIds.filter(() => chance(0.4)), ...(chance(0.5) ? ['user1', 'ext2'] : [])],
        groups: [...groupIdsDesired.filter(() => chance(0.4)), ...(chance(0.5) ? ['eng'] : [])],
      };
    }
  }
  return {
    observed,
    desired: { users, groups },
    options: { capabilities, connectionId: 'c1', ...(rollout ? { rollout } : {}) },
  };
}

/** Splits a world into shards with the sync's routing (shard.ts), keeping the read order. */
function split(observed: ObservedWorkspace, desired: DesiredState, shards: number): ShardWorld[] {
  const worlds: ShardWorld[] = Array.from({ length: shards }, () => ({
    observed: { ...emptyObserved(), groups: observed.groups, groupByName: observed.groupByName },
    desired: { users: new Map(), groups: new Map() },
  }));
  const at = (shard: number) => worlds[shard] as ShardWorld;
  const memberShard = new Map<string, number>();
  for (const member of observed.members.values()) {
    const shard = shardOfEmail(member.email, shards);
    memberShard.set(member.id, shard);
    at(shard).observed.members.set(member.id, member);
    at(shard).observed.memberByEmail.set(member.email.toLowerCase(), member.id);
  }
  if (observed.everyone) for (const world of worlds) world.observed.everyone = observed.everyone;
  for (const [groupId, holders] of observed.grants) {
    for (const memberId of holders) {
      const grants = at(memberShard.get(memberId) ?? GROUP_SHARD).observed.grants;
      let set = grants.get(groupId);
      if (!set) grants.set(groupId, (set = new Set()));
      set.add(memberId);
    }
  }
  const userShard = new Map<string, number>();
  for (const [id, user] of desired.users) {
    const shard = userShardOf(user.member, (memberId) => memberShard.get(memberId), shards);
    userShard.set(id, shard);
    at(shard).desired.users.set(id, user);
  }
  for (const [id, group] of desired.groups) {
    for (let shard = 0; shard < shards; shard++) {
      at(shard).desired.groups.set(id, {
        ...group,
        memberUserIds: group.memberUserIds.filter(
          (userId) => (userShard.get(userId) ?? GROUP_SHARD) === shard,
        ),
      });
    }
  }
  return worlds;
}

/** A plan as multisets: the order within a phase is not part of what a plan means. */
function canonical(plan: SyncPlan) {
  const sorted = (values: readonly unknown[]) => values.map((value) => JSON.stringify(value)).sort();
  return {
    changes: sorted(plan.changes),
    observations: sorted(plan.observations),
    held: sorted(plan.held),
    takeovers: sorted(plan.takeovers),
  };
}

describe('planSharded', () => {
  it('plans GROUP_SHARD last, every shard once', () => {
    expect(planningOrder(4)).toEqual([1, 2, 3, 0]);
    expect(planningOrder(1)).toEqual([0]);
    expect(shardCount(0)).toBe(1);
    expect(shardCount(10_000)).toBe(1);
    expect(shardCount(10_001)).toBe(2);
    expect(shardCount(100_000)).toBe(10);
    expect(shardCount(100_000, 10_000)).toBe(10);
  });

  it('routes the same email to the same shard whatever its case', () => {
    expect(shardOfEmail('Ada@X.io', 7)).toBe(shardOfEmail('ada@x.io', 7));
    const spread = new Set(Array.from({ length: 200 }, (_, i) => shardOfEmail(`user${i}@example.com`, 8)));
    expect(spread.size).toBe(8);
  });

  it('equals the whole plan on 600 random worlds at 1 to 5 shards', () => {
    let compared = 0;
    let changes = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const { observed, desired, options } = world(seed);
      const whole = canonical(planSync(observed, desired, options));
      changes += whole.changes.length;
      for (const shards of [1, 2, 3, 5]) {
        const sharded = canonical(planSharded(split(observed, desired, shards), options));
        expect(sharded, `seed ${seed}, ${shards} shards`).toEqual(whole);
        compared++;
      }
    }
    expect(compared).toBe(2400);
    // The worlds are not trivial: they plan changes of every phase between them.
    expect(changes).toBeGreaterThan(3000);
  });

  it('keeps the phase order across shards: every member change before any group, grant or removal', () => {
    const phaseOf = (kind: string) =>
      [
        'provisionMember',
        'markMemberManaged',
        'reactivateMember',
        'updateMember',
        'deactivateMember',
      ].includes(kind)
        ? 0
        : ['createGroup', 'markGroupManaged', 'renameGroup'].includes(kind)
          ? 1
          : ['grant', 'revoke'].includes(kind)
            ? 2
            : 3;
    for (let seed = 1; seed <= 200; seed++) {
      const { observed, desired, options } = world(seed);
      const phases = planSharded(split(observed, desired, 3), options).changes.map((change) =>
        phaseOf(change.kind),
      );
      expect(phases, `seed ${seed}`).toEqual([...phases].sort((a, b) => a - b));
    }
  });
});
