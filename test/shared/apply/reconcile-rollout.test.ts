// @vitest-environment stream-engine
/**
 * The retry pass (reconcilePending, every minute on AWS) honours the rollout settings as the
 * stream-fed apply and the sync do: it never creates, links or grants what the pilot scope or a
 * release holds back, never revokes members of a group whose takeover awaits approval, records a
 * takeover when it links a pushed group by name, and still removes what the IdP removed. What is
 * held is not pending: it does not age the alarm or keep the pass going, and widening the scope
 * releases it at the next pass, without a sync. Each case reads the workspace and the table.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerConnectionCommands } from '../../../cli/connection/command';
import { registerStatusCommand } from '../../../cli/status/command';
import { registerUnlinkCommand } from '../../../cli/unlink/command';
import { reconcilePending } from '../../../shared/apply/reconcile-pending';
import { retryPending } from '../../../shared/apply/retry-pending';
import { HOLD_TEXT } from '../../../shared/provisioning/rollout-scope';
import { readRollout } from '../../../shared/provisioning/rollout-store';
import { capturedIo } from '../../support/captured-io';
import type { CapturedIo } from '../../support/captured-io';
import { registerConnection } from '../provisioning/access-world';
import { testDb } from '../../support/db';
import { syncWorld } from '../sync/sync-world';
import type { SyncWorld } from '../sync/sync-world';

async function roster(...args: string[]): Promise<CapturedIo> {
  const io = capturedIo();
  const program = new Command('roster').exitOverride();
  registerConnectionCommands(program, io);
  registerUnlinkCommand(program, io);
  registerStatusCommand(program, io);
  await program.parseAsync(['node', 'roster', ...args]);
  expect(io.errors).toEqual([]);
  return io;
}

async function world(): Promise<SyncWorld> {
  const w = await syncWorld();
  await registerConnection(w);
  return w;
}

/** A workspace group "Analysts" with one unmanaged member, and an IdP user (linked). */
async function analysts(w: SyncWorld) {
  const existing = await w.workspace.insertGroup('Analysts', false);
  const local = await w.workspace.insertMember(
    { email: 'local@example.com', name: 'Local Member', admin: false },
    false,
  );
  await w.workspace.grant(existing.groupId, local.memberId);
  const userId = await w.h.createUser('idp.user@example.com');
  const idpMember = (await w.memberByEmail('idp.user@example.com')).id;
  return { workspaceGroupId: existing.groupId, localMember: local.memberId, userId, idpMember };
}

const pass = (w: SyncWorld, due?: Date) =>
  reconcilePending(w.h, w.h.connection, due === undefined ? {} : { due });

const pilot = (w: SyncWorld, ...args: string[]) =>
  roster('connection', 'pilot', 'set', ...args, '--connection', w.connectionId);

describe('the retry pass under the rollout settings', () => {
  it('records the takeover when it links a pushed group by name, so the next sync keeps the existing members', async () => {
    const w = await world();
    const { workspaceGroupId, localMember, userId, idpMember } = await analysts(w);
    w.setDown(true);
    const groupId = await w.createGroup('Analysts', [userId]);
    w.setDown(false);
    expect(await w.groupLinkOf(groupId)).toBeUndefined();

    const counts = await pass(w);
    expect(counts).toMatchObject({ applied: 1, failed: 0 });
    expect(await w.groupLinkOf(groupId)).toBe(workspaceGroupId);
    expect((await readRollout(testDb(), w.connectionId)).takeovers[groupId]).toMatchObject({
      workspaceGroupId,
    });
    expect(await w.groupMembers(workspaceGroupId)).toEqual([localMember, idpMember].sort());

    const run = await w.run();
    expect(run.status).toBe('completed');
    expect(run.counts.revoke).toBeUndefined();
    expect(run.held).toEqual({ takeover: 1 });
    expect(await w.groupMembers(workspaceGroupId)).toEqual([localMember, idpMember].sort());
  });

  it('grants but never revokes on a group whose takeover awaits approval', async () => {
    const w = await world();
    const { workspaceGroupId, localMember, userId, idpMember } = await analysts(w);
    const second = await w.h.createUser('second@example.com');
    const secondMember = (await w.memberByEmail('second@example.com')).id;
    const groupId = await w.createGroup('Analysts', [userId]);
    expect((await readRollout(testDb(), w.connectionId)).takeovers[groupId]).toBeDefined();

    // The membership change meets an outage: the group is left for the retry pass.
    w.setDown(true);
    await w.addToGroup(groupId, [second]);
    w.setDown(false);
    expect((await w.h.store.getGroup(w.connectionId, groupId))?.apply.status).toBe('pending');

    await pass(w);
    expect(await w.groupMembers(workspaceGroupId)).toEqual([localMember, idpMember, secondMember].sort());
    expect((await w.h.store.getGroup(w.connectionId, groupId))?.apply.status).toBe('applied');

    // Approved: the sync, not the retry pass, revokes the member the IdP does not list.
    await roster('connection', 'takeover', 'approve', 'Analysts', '--connection', w.connectionId);
    const run = await w.run();
    expect(run.counts.revoke).toEqual({ planned: 1, applied: 1, failed: 0 });
    expect(await w.groupMembers(workspaceGroupId)).toEqual([idpMember, secondMember].sort());
  });

  it('neither creates nor links a group outside the pilot, keeps it out of the pending age, and applies it once the scope is widened', async () => {
    const w = await world();
    await pilot(w, '--users', 'one@example.com', '--groups', 'Pilot');
    const one = await w.h.createUser('one@example.com');
    const oneMember = (await w.memberByEmail('one@example.com')).id;
    const later = await w.createGroup('Later', [one]);
    expect(await w.workspace.findGroupByName('Later')).toBeUndefined();

    // Taken whatever its backoff: still not applied, and said why.
    const forced = await pass(w);
    expect(forced).toMatchObject({ applied: 0, failed: 0, stillPending: 0, held: 1 });
    expect(await w.workspace.findGroupByName('Later')).toBeUndefined();
    expect((await w.h.store.getGroup(w.connectionId, later))?.apply).toMatchObject({
      status: 'pending',
      lastError: HOLD_TEXT.outsidePilot,
    });
    expect(await w.groupLinkOf(later)).toBeUndefined();

    // Not pending: the scheduled pass does not take it, age it or keep passing for it.
    let slept = 0;
    const retry = await retryPending(w.h, [w.h.connection], {
      maxMs: 60_000,
      sleep: async () => {
        slept++;
      },
    });
    expect(retry).toMatchObject({ passes: 1, stillPending: 0, held: 1, oldestPendingSeconds: 0 });
    expect(slept).toBe(0);
    // `roster status` tells the held group from a change waiting for the workspace.
    const status = await roster('status', '--connection', w.connectionId, '--json');
    expect(JSON.parse(status.lines.join('\n'))).toMatchObject({
      connections: [{ connectionId: w.connectionId, notApplied: 0, held: 1, accessNotRemoved: [] }],
    });
    const text = await roster('status', '--connection', w.connectionId);
    expect(text.lines[0]).toContain(
      '0 resource(s) not yet applied (pending or failed), 1 held by the rollout settings',
    );

    // Widened: the next scheduled pass applies it, without a sync.
    await pilot(w, '--add', '--groups', 'Later');
    const widened = await pass(w, new Date());
    expect(widened).toMatchObject({ applied: 1, held: 0 });
    const linked = (await w.groupLinkOf(later)) ?? '';
    expect(await w.workspace.findGroupByName('Later')).toMatchObject({ id: linked, managed: true });
    expect(await w.groupMembers(linked)).toEqual([oneMember]);
  });

  it('takes a change waiting for the workspace even behind more held resources than a pass takes', async () => {
    const w = await world();
    await pilot(w, '--users', 'one@example.com', '--groups', 'Pilot');
    for (const name of ['out.a', 'out.b', 'out.c']) await w.h.createUser(`${name}@example.com`);
    const one = await w.h.createUser('one@example.com');
    const oneMember = (await w.memberByEmail('one@example.com')).id;
    w.setDown(true);
    const pilotGroup = await w.createGroup('Pilot', [one]);
    w.setDown(false);

    // Users' markers sort before groups': the three held users come first, and a pass takes two.
    const counts = await reconcilePending(w.h, w.h.connection, {
      due: new Date(Date.now() + 60_000),
      maxResources: 2,
    });
    expect(counts).toMatchObject({ applied: 1, held: 3, failed: 0 });
    const linked = (await w.groupLinkOf(pilotGroup)) ?? '';
    expect(linked).not.toBe('');
    expect(await w.groupMembers(linked)).toEqual([oneMember]);
  });

  it('grants no group to a linked user outside the pilot, keeps the one it holds, and revokes what the IdP removed from a group outside it', async () => {
    const w = await world();
    const inside = await w.h.createUser('inside@example.com');
    const outside = await w.h.createUser('outside@example.com');
    const late = await w.h.createUser('late@example.com');
    const gone = await w.h.createUser('gone@example.com');
    const insideMember = (await w.memberByEmail('inside@example.com')).id;
    const outsideMember = (await w.memberByEmail('outside@example.com')).id;
    const pilotGroup = await w.createGroup('Pilot', [inside, outside]);
    const other = await w.createGroup('Other', [inside, gone]);
    const pilotWs = (await w.groupLinkOf(pilotGroup)) ?? '';
    const otherWs = (await w.groupLinkOf(other)) ?? '';
    // Linked before the pilot: `outside`, `late` and `gone` are outside it, and so is Other.
    await pilot(w, '--users', 'inside@example.com', '--groups', 'Pilot');

    // During an outage the IdP adds `late` to Pilot and `outside` to Other, and removes `gone` from Other.
    w.setDown(true);
    await w.addToGroup(pilotGroup, [late]);
    await w.addToGroup(other, [outside]);
    const removed = await w.h.call('PATCH', `/Groups/${other}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'remove', path: `members[value eq "${gone}"]` }],
    });
    expect(removed.status).toBeLessThan(300);
    w.setDown(false);

    const counts = await pass(w);
    expect(counts).toMatchObject({ failed: 0, held: 2 });
    // The removal is applied outside the scope; the grant to a user outside it is not.
    expect(await w.groupMembers(otherWs)).toEqual([insideMember]);
    // In the pilot group, `late` is not granted and `outside` keeps what it held.
    expect(await w.groupMembers(pilotWs)).toEqual([insideMember, outsideMember].sort());
    for (const groupId of [pilotGroup, other]) {
      expect((await w.h.store.getGroup(w.connectionId, groupId))?.apply).toMatchObject({
        status: 'pending',
        lastError: HOLD_TEXT.outsidePilot,
      });
    }
  });

  it('leaves a group released with roster unlink alone: no re-link by name, no grant', async () => {
    const w = await world();
    const one = await w.h.createUser('one@example.com');
    const two = await w.h.createUser('two@example.com');
    const oneMember = (await w.memberByEmail('one@example.com')).id;
    const groupId = await w.createGroup('Handed Back', [one]);
    const workspaceGroupId = (await w.groupLinkOf(groupId)) ?? '';
    await roster('unlink', 'group', workspaceGroupId, '--connection', w.connectionId);
    expect(await w.groupLinkOf(groupId)).toBeUndefined();

    await w.addToGroup(groupId, [two]);
    const counts = await pass(w);
    expect(counts).toMatchObject({ applied: 0, held: 1 });
    expect(await w.groupLinkOf(groupId)).toBeUndefined();
    expect(await w.workspace.getGroup(workspaceGroupId)).toMatchObject({ managed: false });
    expect(await w.groupMembers(workspaceGroupId)).toEqual([oneMember]);
    expect((await w.h.store.getGroup(w.connectionId, groupId))?.apply.lastError).toBe(HOLD_TEXT.released);
  });
});
