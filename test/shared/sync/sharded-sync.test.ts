// @vitest-environment stream-engine
/**
 * The sharded full sync on DynamoDB Local: a link state planned in shards (a handful of users per
 * shard here, 10,000 in production) plans what the sync in one piece plans, applies it to the same
 * end state, checkpoints between shards and resumes there, refuses what the circuit breaker
 * refuses, and fails before applying anything when a read fails. Each test reads the workspace
 * and the link state afterwards.
 */
import { describe, expect, it } from 'vitest';
import { collect, reportedChanges, reportedObservations } from '../../../shared/sync/sync-report';
import type { SyncRun } from '../../../shared/sync/sync-run';
import { testDb } from '../../support/db';
import { deactivate } from '../provisioning/scim-harness';
import type { SyncWorld } from './sync-world';
import { failingAfterFirstPage, syncWorld } from './sync-world';

const SHARDED = { shardUsers: 2 };

/** Users in three groups, and drift of every kind on both sides. */
async function driftedWorld(): Promise<{
  world: SyncWorld;
  users: string[];
  groups: { eng: string; ops: string; temp: string };
}> {
  const world = await syncWorld({
    maxRemovalShare: 1,
    maxGroupDeletionShare: 1,
    maxRevokeShare: 1,
    removalAllowance: 100,
  });
  const users: string[] = [];
  for (let i = 0; i < 9; i++) users.push(await world.h.createUser(`person${i}@example.com`));
  const groups = {
    eng: await world.createGroup('Eng', users.slice(0, 5)),
    ops: await world.createGroup('Ops', users.slice(3, 7)),
    temp: await world.createGroup('Temp', [users[7] as string, users[8] as string]),
  };
  const link = async (i: number) => (await world.linkOf(users[i] as string)) as string;
  const eng = (await world.groupLinkOf(groups.eng)) as string;
  const ops = (await world.groupLinkOf(groups.ops)) as string;
  // Workspace-side drift: a grant taken, one added, a group renamed, a profile edited, a group deleted.
  await world.workspace.revoke(eng, await link(0));
  await world.workspace.grant(eng, await link(6));
  await world.workspace.renameGroup(ops, 'Operations');
  await world.workspace.updateMember(await link(1), { name: 'Some One Else' });
  await world.workspace.deleteGroup((await world.groupLinkOf(groups.temp)) as string);
  await world.workspace.insertMember(
    { email: 'outsider@example.com', name: 'Out Sider', admin: false },
    false,
  );
  // IdP-side changes the workspace missed: a new user, a deletion, a deactivation, a membership.
  world.setDown(true);
  users.push(await world.h.createUser('late.comer@example.com'));
  expect((await world.h.call('DELETE', `/Users/${users[5]}`)).status).toBe(204);
  expect((await world.h.call('PATCH', `/Users/${users[2]}`, deactivate)).status).toBe(200);
  await world.addToGroup(groups.eng, [users[9] as string]);
  world.setDown(false);
  return { world, users, groups };
}

/** What a run planned and observed, as multisets. */
async function planOf(run: SyncRun) {
  const db = testDb();
  const sorted = (values: readonly unknown[]) => values.map((value) => JSON.stringify(value)).sort();
  const changes = await collect(reportedChanges(db, run));
  return {
    changes: sorted(changes.map(({ kind, object, reason }) => ({ kind, object, reason }))),
    observations: sorted(await collect(reportedObservations(db, run))),
    counts: run.counts,
    read: run.read,
    breaker: run.breaker,
    changeCount: run.changeCount,
    observationCount: run.observationCount,
  };
}

describe('the sharded full sync', () => {
  it('plans what the sync in one piece plans, applies it, and leaves nothing to do', async () => {
    const { world, users, groups } = await driftedWorld();
    const whole = await world.run({ dryRun: true });
    const sharded = await world.run({ dryRun: true, ...SHARDED });
    expect(whole.shards).toBeUndefined();
    expect(sharded.shards).toMatchObject({ count: 5, step: 'planned', planned: 5 });
    expect(whole.changeCount).toBeGreaterThan(8);
    expect(await planOf(sharded)).toEqual(await planOf(whole));

    const run = await world.run(SHARDED);

    expect(run.status).toBe('completed');
    expect(run.counts.deleteMember?.applied).toBe(1);
    expect(run.counts.provisionMember?.applied).toBe(1);
    expect(run.counts.createGroup?.applied).toBe(1);
    expect(run.counts.renameGroup?.applied).toBe(1);
    for (const counts of Object.values(run.counts)) expect(counts.failed).toBe(0);
    // The phases kept their order across shards: the new member was provisioned before its grant.
    const eng = (await world.groupLinkOf(groups.eng)) as string;
    const engMembers = await Promise.all([0, 1, 3, 4, 9].map((i) => world.linkOf(users[i] as string)));
    expect(await world.groupMembers(eng)).toEqual([...engMembers].sort());
    // Groups whose changes spanned shards recorded their outcome once, at their last change.
    for (const groupId of Object.values(groups)) {
      const group = await world.h.store.getGroup(world.connectionId, groupId);
      expect(group?.apply).toMatchObject({ status: 'applied', appliedVersion: group?.meta.version });
    }
    const after = await world.run({ dryRun: true });
    expect(after.changeCount).toBe(0);
  });

  it('checkpoints after the read and between shards, and the resumed invocations finish the run', async () => {
    const { world } = await driftedWorld();
    const planned = (await world.run({ dryRun: true })).changeCount;
    // No time left at all: every invocation stops at its first boundary, having made progress.
    const tight = { ...SHARDED, remainingMs: () => 0, reserveMs: 1 };
    let run = await world.run(tight);
    expect(run.status).toBe('checkpointed');
    expect(run.shards).toMatchObject({ step: 'plan', planned: 0 });
    const steps: string[] = [];
    while (run.status === 'checkpointed') {
      steps.push(`${run.shards?.step}:${run.shards?.planned}:${run.nextChunk}`);
      run = await world.run({ ...tight, resume: run.runId });
      expect(run.invocations).toBeLessThan(60);
    }
    expect(run.status).toBe('completed');
    // One shard per invocation while planning, then one batch per invocation while applying.
    expect(steps.slice(0, 5)).toEqual(['plan:0:0', 'plan:1:0', 'plan:2:0', 'plan:3:0', 'plan:4:0']);
    expect(run.changeCount).toBe(planned);
    let applied = 0;
    for (const counts of Object.values(run.counts)) {
      applied += counts.applied;
      expect(counts.failed).toBe(0);
    }
    expect(applied).toBe(planned);
    expect((await world.run({ dryRun: true })).changeCount).toBe(0);
  });

  it('refuses what the circuit breaker refuses, as the sync in one piece does, and applies nothing', async () => {
    const world = await syncWorld();
    const users: string[] = [];
    for (let i = 0; i < 8; i++) users.push(await world.h.createUser(`leaver${i}@example.com`));
    world.setDown(true);
    for (const userId of users.slice(0, 5))
      expect((await world.h.call('DELETE', `/Users/${userId}`)).status).toBe(204);
    world.setDown(false);
    const whole = await world.run({ dryRun: true });
    expect(whole.status).toBe('completed');

    const run = await world.run({ ...SHARDED });

    expect(run.status).toBe('refused');
    expect(run.breaker).toEqual(whole.breaker);
    expect(run.breaker?.reasons).toContain('memberRemovals');
    for (let i = 0; i < 5; i++) {
      const member = await world.memberByEmail(`leaver${i}@example.com`);
      expect(member.state).toBe('active');
    }
  });

  it('fails before planning when a read fails, and changes nothing', async () => {
    const { world } = await driftedWorld();
    const connector = failingAfterFirstPage(world.workspace.as(world.connectionId));

    const run = await world.run({ ...SHARDED, connector });

    expect(run.status).toBe('failed');
    expect(run.errors[0]).toMatch(/members/);
    expect(run.changeCount).toBe(0);
    expect(run.chunkCount).toBe(0);
    expect((await world.run({ dryRun: true })).changeCount).toBeGreaterThan(8);
  });
});
