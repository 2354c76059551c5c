// @vitest-environment stream-engine
/**
 * A pushed group that links an existing workspace group by name never revokes its existing members
 * silently: they are held (policy hold, the default), shown by the preview and the run, and revoked
 * only after `roster connection takeover approve`; under `mirror` they are revoked and the circuit
 * breaker counts them. Each case reads the workspace and the rollout item afterwards.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerConnectionCommands } from '../../../cli/connection/command';
import { readRollout, updateRollout } from '../../../shared/provisioning/rollout-store';
import { previewOf } from '../../../shared/sync/preview';
import { readAndPlanSync } from '../../../shared/sync/read-and-plan';
import { collect, reportedObservations } from '../../../shared/sync/sync-report';
import { capturedIo } from '../../support/captured-io';
import type { CapturedIo } from '../../support/captured-io';
import { registerConnection } from '../provisioning/access-world';
import { testDb } from '../../support/db';
import { syncWorld } from './sync-world';
import type { SyncWorld } from './sync-world';

async function roster(...args: string[]): Promise<CapturedIo> {
  const io = capturedIo();
  const program = new Command('roster').exitOverride();
  registerConnectionCommands(program, io);
  await program.parseAsync(['node', 'roster', ...args]);
  return io;
}

/** A workspace group "Analysts" with `locals` unmanaged members, and an IdP user. */
async function world(locals = 1, pushWhileDown = false) {
  const w = await syncWorld();
  const existing = await w.workspace.insertGroup('Analysts', false);
  const localIds: string[] = [];
  for (let i = 0; i < locals; i++) {
    const local = await w.workspace.insertMember(
      { email: `local${i}@example.com`, name: `Local ${i}`, admin: false },
      false,
    );
    await w.workspace.grant(existing.groupId, local.memberId);
    localIds.push(local.memberId);
  }
  const userId = await w.h.createUser('idp.user@example.com');
  if (pushWhileDown) w.setDown(true);
  const groupId = await w.createGroup('Analysts', [userId]);
  w.setDown(false);
  await registerConnection(w);
  const idpMember = (await w.memberByEmail('idp.user@example.com')).id;
  return { w, workspaceGroupId: existing.groupId, localIds, groupId, idpMember };
}

async function kept(w: SyncWorld, groupId: string) {
  const { observed, desired, plan } = await readAndPlanSync({
    db: testDb(),
    store: w.h.store,
    connector: w.workspace.as(w.connectionId),
    connectionId: w.connectionId,
  });
  return previewOf(plan, observed, desired).groups.find((g) => g.groupId === groupId);
}

describe('group takeover', () => {
  it('holds the members of a group the push linked by name, shows them, and revokes them after approval', async () => {
    const { w, workspaceGroupId, localIds, groupId, idpMember } = await world(1);
    // The push linked the group on the request path and recorded the takeover.
    expect(await w.groupLinkOf(groupId)).toBe(workspaceGroupId);
    expect((await readRollout(testDb(), w.connectionId)).takeovers[groupId]).toMatchObject({
      workspaceGroupId,
    });
    expect(await w.groupMembers(workspaceGroupId)).toEqual([...localIds, idpMember].sort());

    const held = await w.run();
    expect(held.status).toBe('completed');
    expect(held.counts.revoke).toBeUndefined();
    expect(held.held).toEqual({ takeover: 1 });
    const observations = await collect(reportedObservations(testDb(), held));
    expect(observations).toContainEqual(
      expect.objectContaining({ kind: 'held', groupId, detail: expect.stringContaining('takeover') }),
    );
    expect(await w.groupMembers(workspaceGroupId)).toEqual([...localIds, idpMember].sort());
    expect((await kept(w, groupId))?.kept.map((m) => m.memberId)).toEqual(localIds);

    const approve = await roster(
      'connection',
      'takeover',
      'approve',
      'Analysts',
      '--connection',
      w.connectionId,
    );
    expect(approve.errors).toEqual([]);
    expect((await readRollout(testDb(), w.connectionId)).takeovers[groupId]?.approvedAt).toBeDefined();

    const applied = await w.run();
    expect(applied.counts.revoke).toEqual({ planned: 1, applied: 1, failed: 0 });
    expect(applied.held).toBeUndefined();
    expect(await w.groupMembers(workspaceGroupId)).toEqual([idpMember]);
  });

  it('records the takeover when the sync itself links the group by name, and keeps the members', async () => {
    const { w, workspaceGroupId, localIds, groupId } = await world(1, true);
    expect(await w.groupLinkOf(groupId)).toBeUndefined();

    const run = await w.run();

    expect(run.held).toEqual({ takeover: 1 });
    expect(await w.groupLinkOf(groupId)).toBe(workspaceGroupId);
    expect((await readRollout(testDb(), w.connectionId)).takeovers[groupId]?.workspaceGroupId).toBe(
      workspaceGroupId,
    );
    expect(await w.groupMembers(workspaceGroupId)).toEqual(expect.arrayContaining(localIds));
  });

  it('under mirror revokes them, and the circuit breaker counts those revokes', async () => {
    const { w, workspaceGroupId, localIds, idpMember } = await world(5);
    const set = await roster('connection', 'takeover', 'set', 'mirror', '--connection', w.connectionId);
    expect(set.errors).toEqual([]);

    const refused = await w.run();
    expect(refused.status).toBe('refused');
    expect(refused.breaker).toMatchObject({ revokes: 5, reasons: ['grantRevokes'] });
    expect(await w.groupMembers(workspaceGroupId)).toEqual([...localIds, idpMember].sort());
  });

  it('refuses a bad policy, an unknown group and a group never linked by name, writing nothing', async () => {
    const { w } = await world(0);
    await updateRollout(testDb(), w.connectionId, (s) => s);
    const before = await readRollout(testDb(), w.connectionId);
    const created = await w.createGroup('Fresh', []);

    const bad = await roster('connection', 'takeover', 'set', 'sometimes', '--connection', w.connectionId);
    expect(bad.exitCode).toBe(1);
    expect(bad.errors).toEqual(['roster: the takeover policy is hold or mirror, not sometimes']);
    const unknown = await roster('connection', 'takeover', 'approve', 'Nope', '--connection', w.connectionId);
    expect(unknown.errors).toEqual([`roster: no IdP group Nope in connection ${w.connectionId}`]);
    const fresh = await roster('connection', 'takeover', 'approve', created, '--connection', w.connectionId);
    expect(fresh.errors[0]).toMatch(/was not linked by name: there is no takeover to approve/);

    expect(await readRollout(testDb(), w.connectionId)).toEqual(before);
  });
});
