// @vitest-environment stream-engine
/**
 * The full sync and access incidents: it resolves, from what it read, the incidents that no longer
 * hold (the user is desired active again, the grant is wanted again, the member was deactivated on
 * the workspace side), never one written again while it read, changes none on a dry run, settles
 * them in a sharded run whichever invocation plans their shard, and counts the open ones when it
 * ends (AccessNotRemoved).
 */
import { describe, expect, it } from 'vitest';
import { runSync } from '../../../shared/sync/run-sync';
import type { WorkspaceConnector } from '../../../shared/workspace/port';
import { CapabilityMissingError, WorkspaceRejectedError } from '../../../shared/workspace/workspace-error';
import { testDb } from '../../support/db';
import { accessWorld } from '../provisioning/access-world';
import { addMembers, deactivate, reactivate, removeMember } from '../provisioning/scim-harness';

const cannotDeactivate = () => new CapabilityMissingError('deactivateMember', 'not in this test workspace');

describe('the full sync and access incidents', () => {
  it('resolves a deactivation incident once the user is desired active again', async () => {
    const world = await accessWorld({ deactivateMember: cannotDeactivate });
    const userId = await world.h.createUser('hal.ito@example.com');
    const memberId = await world.memberOf(userId);
    await world.h.call('PATCH', `/Users/${userId}`, deactivate);
    expect(await world.items()).toHaveLength(1);
    // Reactivated while the workspace is down: the request path settles nothing.
    world.setDown(true);
    expect((await world.h.call('PATCH', `/Users/${userId}`, reactivate)).status).toBe(200);
    world.setDown(false);
    expect(await world.items()).toHaveLength(1);

    const run = await world.run();

    expect(run.access).toEqual({ recorded: 0, resolved: 1, open: 0 });
    expect(await world.items()).toEqual([]);
    expect(await world.workspace.getMember(memberId)).toMatchObject({ state: 'active' });
    expect(world.metrics.at(-1)).toMatchObject({ AccessNotRemoved: 0 });
  });

  it('resolves a grant incident once the IdP wants the grant again', async () => {
    const world = await accessWorld({ revoke: () => new WorkspaceRejectedError('no', 409, 'conflict') });
    const userId = await world.h.createUser('ida.jo@example.com');
    const groupId = await world.createGroup('Legal', [userId]);
    await world.h.call('PATCH', `/Groups/${groupId}`, removeMember(userId));
    expect(await world.items()).toHaveLength(1);
    // Added back: the grant it holds is wanted again (a grant settles no incident on the request path).
    await world.h.call('PATCH', `/Groups/${groupId}`, addMembers([userId]));
    expect(await world.items()).toHaveLength(1);

    const run = await world.run();

    expect(run.counts.revoke).toBeUndefined();
    expect(run.access).toMatchObject({ resolved: 1, open: 0 });
    expect(await world.items()).toEqual([]);
  });

  it('resolves a member incident once the member is deactivated on the workspace side', async () => {
    const world = await accessWorld({ deactivateMember: cannotDeactivate });
    const userId = await world.h.createUser('jo.ka@example.com');
    const memberId = await world.memberOf(userId);
    await world.h.call('PATCH', `/Users/${userId}`, deactivate);
    // An administrator deactivates the account by hand (the port itself, not the failing connector).
    await world.workspace.as(world.connectionId).deactivateMember(memberId);

    const dry = await runSync(
      {
        db: testDb(),
        store: world.h.store,
        connectionId: world.connectionId,
        connector: world.workspace.as(world.connectionId),
      },
      { dryRun: true },
    );
    expect(dry.status).toBe('completed');
    // A dry run changes no incident, and counts it.
    expect(await world.items()).toHaveLength(1);
    if (dry.status === 'completed') expect(dry.run.access).toEqual({ recorded: 0, resolved: 0, open: 1 });

    const run = await world.run();
    expect(run.changeCount).toBe(0);
    expect(run.access).toEqual({ recorded: 0, resolved: 1, open: 0 });
    expect(await world.items()).toEqual([]);
  });

  it('a sharded run settles the incidents of the shards its resumed invocations plan, never one written again', async () => {
    const world = await accessWorld({ deactivateMember: cannotDeactivate });
    const port = world.workspace.as(world.connectionId);
    for (let i = 0; i < 6; i++) {
      const userId = await world.h.createUser(`shard.person${i}@example.com`);
      const memberId = await world.memberOf(userId);
      await world.h.call('PATCH', `/Users/${userId}`, deactivate);
      // The connector cannot deactivate; an administrator does it by hand.
      await port.deactivateMember(memberId);
    }
    expect(await world.items()).toHaveLength(6);

    // Three shards of two users, and no time left: the first invocation stops after the reads, so
    // every shard is planned by a resumed invocation.
    const deps = {
      db: testDb(),
      store: world.h.store,
      connectionId: world.connectionId,
      connector: port,
      shardUsers: 2,
      remainingMs: () => 0,
      reserveMs: 1,
    };
    let result = await runSync(deps);
    if (result.status === 'overlapping') throw new Error('overlapping run');
    expect(result.run.shards).toMatchObject({ count: 3, step: 'plan', planned: 0 });
    expect(await world.items()).toHaveLength(6);
    // Between invocations the request path writes one incident again: the spilled copy is stale,
    // so no invocation may resolve it.
    const [rewritten] = await world.h.store.listAccessIncidents(world.connectionId);
    if (!rewritten?.userId) throw new Error('no incident naming its user');
    await world.h.store.recordAccessIncident(world.connectionId, rewritten, new Date(Date.now() + 1_000));
    while (result.status === 'checkpointed') {
      result = await runSync(deps, { resume: result.runId });
      if (result.status === 'overlapping') throw new Error('overlapping run');
    }

    expect(result.status).toBe('completed');
    if (result.status !== 'completed') return;
    expect(result.run.access).toEqual({ recorded: 0, resolved: 5, open: 1 });
    const [left] = await world.h.store.listAccessIncidents(world.connectionId);
    expect(left).toMatchObject({ userId: rewritten.userId, attempts: rewritten.attempts + 1 });
    expect(await world.items()).toHaveLength(1);
  });

  it('never resolves an incident written again while it read the workspace', async () => {
    const world = await accessWorld({ deactivateMember: cannotDeactivate });
    const userId = await world.h.createUser('kim.lo@example.com');
    const memberId = await world.memberOf(userId);
    await world.h.call('PATCH', `/Users/${userId}`, deactivate);
    await world.workspace.as(world.connectionId).deactivateMember(memberId);
    const [before] = await world.h.store.listAccessIncidents(world.connectionId);
    if (!before) throw new Error('no incident');

    // The request path writes the incident again while the sync reads the members.
    const port = world.workspace.as(world.connectionId);
    let written = false;
    const racing: WorkspaceConnector = Object.create(port) as WorkspaceConnector;
    racing.readMembers = async (page) => {
      if (!written) {
        written = true;
        await world.h.store.recordAccessIncident(world.connectionId, before, new Date());
      }
      return port.readMembers(page);
    };
    const result = await runSync({
      db: testDb(),
      store: world.h.store,
      connectionId: world.connectionId,
      connector: racing,
    });

    expect(result.status).toBe('completed');
    if (result.status === 'completed')
      expect(result.run.access).toEqual({ recorded: 0, resolved: 0, open: 1 });
    expect(await world.items()).toEqual([expect.objectContaining({ sk: `member#${memberId}`, attempts: 2 })]);
    // The next run reads after the write: now it resolves it.
    expect((await world.run()).access).toMatchObject({ resolved: 1, open: 0 });
  });
});
