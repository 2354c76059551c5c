// @vitest-environment stream-engine
/**
 * The pilot scope on DynamoDB Local: users and groups outside it are stored but neither applied by
 * the stream-fed apply nor by the sync (both say why), and widening the scope applies them at the
 * next sync. Each step reads the workspace and the link state afterwards.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerConnectionCommands } from '../../../cli/connection/command';
import { ROLLOUT_CACHE_MS } from '../../../shared/provisioning/rollout-gate';
import { HOLD_TEXT } from '../../../shared/provisioning/rollout-scope';
import { readRollout } from '../../../shared/provisioning/rollout-store';
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

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Sets a pilot scope that leaves out everyone the test made, and waits until a warm apply sees it. */
async function narrowToOthers(w: SyncWorld): Promise<void> {
  const narrow = await roster(
    'connection',
    'pilot',
    'set',
    '--users',
    'someone.else@example.com',
    '--groups',
    'Other',
    '--connection',
    w.connectionId,
  );
  expect(narrow.errors).toEqual([]);
  // A warm apply reads the settings of linked resources at most every ROLLOUT_CACHE_MS.
  await new Promise((resolve) => setTimeout(resolve, ROLLOUT_CACHE_MS + 200));
}

/** A world with two linked users in one linked group, then a pilot scope that leaves all three out. */
async function narrowedWorld() {
  const w = await syncWorld();
  await registerConnection(w);
  const stays = await w.h.createUser('stays@example.com');
  const leaves = await w.h.createUser('leaves@example.com');
  const group = await w.createGroup('Engineering', [stays, leaves]);
  const workspaceGroup = (await w.groupLinkOf(group)) ?? '';
  const staysMember = (await w.memberByEmail('stays@example.com')).id;
  const leavesMember = (await w.memberByEmail('leaves@example.com')).id;
  expect(await w.groupMembers(workspaceGroup)).toEqual([staysMember, leavesMember].sort());
  await narrowToOthers(w);
  const removeLeaves = async () => {
    const response = await w.h.call('PATCH', `/Groups/${group}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: `members[value eq "${leaves}"]` }],
    });
    expect(response.status).toBeLessThan(300);
  };
  const deactivateStays = async () => {
    const response = await w.h.call('PATCH', `/Users/${stays}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(response.status).toBe(200);
  };
  return { w, stays, group, workspaceGroup, staysMember, leavesMember, removeLeaves, deactivateStays };
}

describe('pilot scope', () => {
  it('never holds back a removal in the stream-fed apply: a member removed from a group outside the scope loses it, a linked user outside it is deactivated', async () => {
    const { w, stays, workspaceGroup, staysMember, removeLeaves, deactivateStays } = await narrowedWorld();

    await removeLeaves();
    expect(await w.groupMembers(workspaceGroup)).toEqual([staysMember]);

    await deactivateStays();
    expect((await w.workspace.getMember(staysMember))?.state).toBe('deactivated');
    expect(await w.groupMembers(workspaceGroup)).toEqual([]);
    expect((await w.h.store.getUser(w.connectionId, stays))?.apply.status).toBe('applied');

    // The sync agrees: it gives nothing back and holds no removal.
    const run = await w.run();
    expect(run.status).toBe('completed');
    expect(await w.groupMembers(workspaceGroup)).toEqual([]);
    expect((await w.workspace.getMember(staysMember))?.state).toBe('deactivated');
  });

  it('never holds back a removal in the sync: what the apply could not remove during an outage, the sync removes outside the scope too', async () => {
    const { w, stays, workspaceGroup, staysMember, leavesMember, removeLeaves, deactivateStays } =
      await narrowedWorld();
    w.setDown(true);
    await removeLeaves();
    await deactivateStays();
    w.setDown(false);
    // The apply met the outage: the workspace still grants both, and the account is active.
    expect(await w.groupMembers(workspaceGroup)).toEqual([staysMember, leavesMember].sort());
    expect((await w.workspace.getMember(staysMember))?.state).toBe('active');

    const run = await w.run();
    expect(run.status).toBe('completed');
    expect((await w.workspace.getMember(staysMember))?.state).toBe('deactivated');
    expect(await w.groupMembers(workspaceGroup)).toEqual([]);
    // What gives access stays held: the group is not renamed or granted to anyone.
    expect(await w.linkOf(stays)).toBe(staysMember);
  });

  it('never holds back the admin role’s removal: a linked admin outside the scope whom the IdP demotes is demoted, by the apply and by the sync, and the rest of the profile waits', async () => {
    const w = await syncWorld();
    await registerConnection(w);
    const admin = { roles: [{ value: 'admin' }] };
    const streamed = await w.h.createUser('streamed.admin@example.com', admin);
    const synced = await w.h.createUser('synced.admin@example.com', admin);
    const streamedMember = (await w.memberByEmail('streamed.admin@example.com')).id;
    const syncedMember = (await w.memberByEmail('synced.admin@example.com')).id;
    expect((await w.workspace.getMember(streamedMember))?.admin).toBe(true);
    await narrowToOthers(w);
    const demote = (userId: string) =>
      w.h.call('PATCH', `/Users/${userId}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'replace', path: 'roles', value: [] },
          { op: 'replace', path: 'name.familyName', value: 'Renamed' },
        ],
      });

    expect((await demote(streamed)).status).toBe(200);
    const streamedAccount = await w.workspace.getMember(streamedMember);
    expect(streamedAccount).toMatchObject({ admin: false, state: 'active' });
    expect(streamedAccount?.name).not.toContain('Renamed');
    expect((await w.h.store.getUser(w.connectionId, streamed))?.apply.lastError).toBe(HOLD_TEXT.outsidePilot);

    // The apply misses the other demotion (outage); the sync demotes it from what the workspace holds.
    w.setDown(true);
    expect((await demote(synced)).status).toBe(200);
    w.setDown(false);
    expect((await w.workspace.getMember(syncedMember))?.admin).toBe(true);
    const run = await w.run();
    expect(run.status).toBe('completed');
    const syncedAccount = await w.workspace.getMember(syncedMember);
    expect(syncedAccount).toMatchObject({ admin: false, state: 'active' });
    expect(syncedAccount?.name).not.toContain('Renamed');
  });

  it('holds back what is outside, says so, and applies it when the scope is widened', async () => {
    const w = await syncWorld();
    await registerConnection(w);
    const c = ['--connection', w.connectionId];
    const set = await roster(
      'connection',
      'pilot',
      'set',
      '--users',
      'pilot.one@example.com',
      '--groups',
      'Pilot',
      ...c,
    );
    expect(set.errors).toEqual([]);

    const one = await w.h.createUser('pilot.one@example.com');
    const two = await w.h.createUser('other.two@example.com');
    const pilotGroup = await w.createGroup('Pilot', [one, two]);
    const later = await w.createGroup('Later', [two]);

    // The apply held them back: stored, pending with the reason, nothing in the workspace.
    const oneMember = (await w.memberByEmail('pilot.one@example.com')).id;
    expect(await w.workspace.findMemberByEmail('other.two@example.com')).toBeUndefined();
    expect((await w.h.store.getUser(w.connectionId, two))?.apply).toMatchObject({
      status: 'pending',
      lastError: HOLD_TEXT.outsidePilot,
    });
    expect(await w.groupMembers((await w.groupLinkOf(pilotGroup)) ?? '')).toEqual([oneMember]);
    expect(await w.groupLinkOf(later)).toBeUndefined();
    expect(await w.workspace.findGroupByName('Later')).toBeUndefined();

    const held = await w.run();
    expect(held.status).toBe('completed');
    expect(held.held?.outsidePilot).toBeGreaterThan(0);
    const observations = await collect(reportedObservations(testDb(), held));
    expect(observations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'held',
          userId: two,
          detail: expect.stringContaining('outside pilot scope'),
        }),
        expect.objectContaining({ kind: 'held', groupId: later }),
      ]),
    );
    expect(await w.workspace.findMemberByEmail('other.two@example.com')).toBeUndefined();
    expect(await w.workspace.findGroupByName('Later')).toBeUndefined();
    const { observed, desired, plan } = await readAndPlanSync({
      db: testDb(),
      store: w.h.store,
      connector: w.workspace.as(w.connectionId),
      connectionId: w.connectionId,
    });
    const preview = previewOf(plan, observed, desired);
    expect(preview.people.find((p) => p.userId === two)?.link).toEqual({
      status: 'held',
      reason: 'outsidePilot',
    });
    expect(preview.groups.find((g) => g.groupId === later)).toMatchObject({
      action: 'held',
      why: 'outsidePilot',
    });

    const widen = await roster(
      'connection',
      'pilot',
      'set',
      '--add',
      '--users',
      'other.two@example.com',
      '--groups',
      later,
      ...c,
    );
    expect(widen.errors).toEqual([]);
    expect((await readRollout(testDb(), w.connectionId)).pilot).toEqual({
      users: ['pilot.one@example.com', 'other.two@example.com'],
      groups: ['Pilot', later],
    });

    const applied = await w.run();
    expect(applied.held).toBeUndefined();
    const twoMember = (await w.memberByEmail('other.two@example.com')).id;
    expect(await w.linkOf(two)).toBe(twoMember);
    expect(await w.groupMembers((await w.groupLinkOf(pilotGroup)) ?? '')).toEqual(
      [oneMember, twoMember].sort(),
    );
    expect(await w.groupMembers((await w.groupLinkOf(later)) ?? '')).toEqual([twoMember]);
  });

  it('refuses an empty scope, writing nothing, and clear removes the scope', async () => {
    const w = await syncWorld();
    await registerConnection(w);
    const c = ['--connection', w.connectionId];
    const empty = await roster('connection', 'pilot', 'set', '--users', ' , ', ...c);
    expect(empty.exitCode).toBe(1);
    expect(empty.errors[0]).toMatch(/name at least one user/);
    expect((await readRollout(testDb(), w.connectionId)).version).toBe(0);

    await roster('connection', 'pilot', 'set', '--users', 'a@example.com', ...c);
    expect((await readRollout(testDb(), w.connectionId)).pilot).toEqual({
      users: ['a@example.com'],
      groups: [],
    });
    await roster('connection', 'pilot', 'clear', ...c);
    expect((await readRollout(testDb(), w.connectionId)).pilot).toBeUndefined();
    const show = await roster('connection', 'pilot', 'show', ...c);
    expect(show.lines[0]).toMatch(/has no pilot scope/);
  });
});
