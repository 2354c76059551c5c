// @vitest-environment stream-engine
import { describe, expect, it } from 'vitest';
import { approveRun, readApproval } from '../../../shared/sync/approval';
import { acquireLease, releaseLease } from '../../../shared/sync/lease';
import { collect, reportedChanges } from '../../../shared/sync/sync-report';
import type { WorkspaceConnector } from '../../../shared/workspace/port';
import { testDb } from '../../support/db';
import { countingWrites, emptyReads, failingAfterFirstPage, syncWorld } from './sync-world';

/** Counts each write by its call and arguments, to prove nothing was applied twice. */
function writeLog(connector: WorkspaceConnector): { connector: WorkspaceConnector; calls: string[] } {
  const calls: string[] = [];
  const logged =
    <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      calls.push(`${name}(${JSON.stringify(args)})`);
      return call(...args);
    };
  const { connector: counted } = countingWrites(connector);
  return {
    calls,
    connector: {
      ...counted,
      provisionMember: logged('provisionMember', (m) => connector.provisionMember(m)),
      markMemberManaged: logged('markMemberManaged', (id, v) => connector.markMemberManaged(id, v)),
      createGroup: logged('createGroup', (name) => connector.createGroup(name)),
      markGroupManaged: logged('markGroupManaged', (id, v) => connector.markGroupManaged(id, v)),
      grant: logged('grant', (g, m) => connector.grant(g, m)),
      revoke: logged('revoke', (g, m) => connector.revoke(g, m)),
      updateMember: logged('updateMember', (id, p) => connector.updateMember(id, p)),
      deleteMember: logged('deleteMember', (id) => connector.deleteMember(id)),
      deactivateMember: logged('deactivateMember', (id) => connector.deactivateMember(id)),
    },
  };
}

describe('full sync: pending resources', () => {
  it('applies users and groups left not yet applied, grants included, in one run', async () => {
    const world = await syncWorld();
    world.setDown(true);
    const a = await world.h.createUser('pending.one@example.com');
    const b = await world.h.createUser('pending.two@example.com');
    const groupId = await world.createGroup('Pending', [a, b]);
    world.setDown(false);
    expect((await world.h.store.getUser(world.connectionId, a))?.apply.status).not.toBe('applied');

    const run = await world.run();

    expect(run.status).toBe('completed');
    expect(totalFailed(run.counts)).toBe(0);
    const group = await world.workspace.findGroupByName('Pending');
    const members = [(await world.linkOf(a)) as string, (await world.linkOf(b)) as string].sort();
    expect(await world.groupMembers(group?.id as string)).toEqual(members);
    for (const userId of [a, b]) {
      expect((await world.h.store.getUser(world.connectionId, userId))?.apply.status).toBe('applied');
    }
    expect((await world.h.store.getGroup(world.connectionId, groupId))?.apply).toMatchObject({
      status: 'applied',
      workspaceId: group?.id,
    });
  });

  it('plans nothing on a second run right after a clean run', async () => {
    const world = await syncWorld();
    world.setDown(true);
    const a = await world.h.createUser('again.one@example.com');
    await world.createGroup('Again', [a]);
    world.setDown(false);
    expect((await world.run()).changeCount).toBeGreaterThan(0);

    const second = await world.run();

    expect(second.status).toBe('completed');
    expect(second.changeCount).toBe(0);
  });
});

describe('full sync: dry run', () => {
  it('reports the plan and changes nothing', async () => {
    const world = await syncWorld();
    await world.h.createUser('dry.run@example.com');
    const member = await world.memberByEmail('dry.run@example.com');
    await world.workspace.updateMember(member.id, { name: 'Drifted' });
    const counting = countingWrites(world.workspace);

    const run = await world.run({ dryRun: true, connector: counting.connector });

    expect(run).toMatchObject({ status: 'completed', dryRun: true, changeCount: 1 });
    expect(counting.writes()).toBe(0);
    expect((await world.memberByEmail('dry.run@example.com')).name).toBe('Drifted');
    const changes = await collect(reportedChanges(testDb(), run));
    expect(changes).toEqual([expect.objectContaining({ kind: 'updateMember', outcome: 'planned' })]);
  });
});

describe('full sync: circuit breaker', () => {
  it('refuses a mass removal, alarms, and applies it once an operator approved it', async () => {
    const world = await syncWorld();
    const users: string[] = [];
    for (let i = 0; i < 10; i++) users.push(await world.h.createUser(`mass.${i}@example.com`));
    world.setDown(true);
    for (const userId of users.slice(0, 5))
      expect((await world.h.call('DELETE', `/Users/${userId}`)).status).toBe(204);
    world.setDown(false);
    const counting = countingWrites(world.workspace);

    const refused = await world.run({ connector: counting.connector });

    expect(refused.status).toBe('refused');
    expect(refused.breaker).toMatchObject({ tripped: true, reasons: ['memberRemovals'], memberRemovals: 5 });
    expect(counting.writes()).toBe(0);
    expect(world.metrics.at(-1)).toMatchObject({ SyncRefused: 1, SyncChangesApplied: 0 });
    expect(await world.run({ connector: counting.connector })).toMatchObject({ status: 'refused' });

    await approveRun(testDb(), world.connectionId, refused.runId, Date.now());
    const approved = await world.run();

    expect(approved.status).toBe('completed');
    expect(approved.approvedRun).toBe(refused.runId);
    expect(approved.counts.deleteMember).toEqual({ planned: 5, applied: 5, failed: 0 });
    expect(world.metrics.at(-1)).toMatchObject({ SyncRefused: 0, SyncChangesApplied: 5 });
    expect(await readApproval(testDb(), world.connectionId, Date.now())).toBeUndefined();
  });

  it('does not let an approval through a larger plan than the one approved', async () => {
    const world = await syncWorld();
    const users: string[] = [];
    for (let i = 0; i < 12; i++) users.push(await world.h.createUser(`grow.${i}@example.com`));
    world.setDown(true);
    for (const userId of users.slice(0, 5)) await world.h.call('DELETE', `/Users/${userId}`);
    world.setDown(false);
    const refused = await world.run();
    await approveRun(testDb(), world.connectionId, refused.runId, Date.now());
    world.setDown(true);
    await world.h.call('DELETE', `/Users/${users[5] as string}`);
    world.setDown(false);

    const larger = await world.run();

    expect(larger.status).toBe('refused');
    expect(larger.breaker?.memberRemovals).toBe(6);
  });

  it('refuses when the workspace read is empty while links are applied', async () => {
    const world = await syncWorld();
    await world.h.createUser('empty.read@example.com');
    const counting = countingWrites(emptyReads(world.workspace));

    const run = await world.run({ connector: counting.connector });

    expect(run.status).toBe('refused');
    expect(run.breaker?.reasons).toContain('emptyRead');
    expect(counting.writes()).toBe(0);
    expect(world.metrics.at(-1)).toMatchObject({ SyncRefused: 1 });
  });

  it('fails the run, applying nothing, when a read fails part way through its pages', async () => {
    const world = await syncWorld();
    const userId = await world.h.createUser('failed.read@example.com');
    const member = (await world.linkOf(userId)) as string;
    await world.workspace.updateMember(member, { name: 'Drifted' });
    const counting = countingWrites(failingAfterFirstPage(world.workspace));

    const run = await world.run({ connector: counting.connector });

    expect(run.status).toBe('failed');
    expect(run.changeCount).toBe(0);
    expect(run.errors[0]).toMatch(/reading members failed/);
    expect(counting.writes()).toBe(0);
    expect(world.metrics.at(-1)).toMatchObject({ SyncFailed: 1 });
    // The lease was released: the next run goes ahead.
    expect((await world.run()).status).toBe('completed');
  });
});

describe('full sync: checkpoints and leases', () => {
  it('stops at a checkpoint and resumes, applying each change exactly once', async () => {
    const world = await syncWorld();
    world.setDown(true);
    const users: string[] = [];
    for (let i = 0; i < 4; i++) users.push(await world.h.createUser(`resume.${i}@example.com`));
    await world.createGroup('Resumed', users);
    world.setDown(false);
    const log = writeLog(world.workspace.as(world.connectionId));
    let batches = 0;
    // Plenty of time for two batches, then the clock runs out.
    const remainingMs = () => (++batches <= 2 ? 600_000 : 0);

    const first = await world.run({ connector: log.connector, batchSize: 3, remainingMs });

    expect(first.status).toBe('checkpointed');
    expect(first.nextChunk).toBe(3);
    expect(first.chunkCount).toBeGreaterThan(3);
    const before = log.calls.length;
    expect(before).toBe(9);
    // Another run cannot start while the checkpointed one holds the lease.
    expect((await world.sync()).status).toBe('overlapping');

    const resumed = await world.run({ connector: log.connector, batchSize: 3, resume: first.runId });

    expect(resumed).toMatchObject({ status: 'completed', invocations: 2, runId: first.runId });
    expect(totalFailed(resumed.counts)).toBe(0);
    expect(log.calls).toHaveLength(resumed.changeCount);
    expect(new Set(log.calls).size).toBe(log.calls.length);
    const group = await world.workspace.findGroupByName('Resumed');
    expect(await world.groupMembers(group?.id as string)).toHaveLength(4);
    expect((await world.run()).changeCount).toBe(0);
  });

  it('refuses a run while another run of the connection holds the lease', async () => {
    const world = await syncWorld();
    const db = testDb();
    expect(await acquireLease(db, world.connectionId, 'someone-else', Date.now())).toBe(true);

    expect(await world.sync()).toEqual({ status: 'overlapping', connectionId: world.connectionId });

    await releaseLease(db, world.connectionId, 'someone-else');
    expect((await world.sync()).status).toBe('completed');
  });

  it('lets only one of two simultaneous runs go ahead', async () => {
    const world = await syncWorld();
    const results = await Promise.all([world.sync(), world.sync()]);
    expect(results.map((result) => result.status).sort()).toEqual(['completed', 'overlapping']);
  });

  it('takes over a lease whose holder expired', async () => {
    const world = await syncWorld();
    expect(await acquireLease(testDb(), world.connectionId, 'crashed', Date.now() - 60_000, 1000)).toBe(true);
    expect((await world.sync()).status).toBe('completed');
  });
});

function totalFailed(counts: Record<string, { failed: number } | undefined>): number {
  return Object.values(counts).reduce((sum, c) => sum + (c?.failed ?? 0), 0);
}
