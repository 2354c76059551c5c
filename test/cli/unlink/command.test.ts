// @vitest-environment stream-engine
/**
 * `roster unlink` both ways, on DynamoDB Local: the object is handed back (left, unmarked) or
 * deleted in the workspace, the link is gone from the link state, and later IdP writes and syncs
 * do not touch the workspace for it; the SCIM DELETE of a linked group still deletes it. Refusals
 * write nothing.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerUnlinkCommand } from '../../../cli/unlink/command';
import { readRollout } from '../../../shared/provisioning/rollout-store';
import { capturedIo } from '../../support/captured-io';
import type { CapturedIo } from '../../support/captured-io';
import { registerConnection } from '../../shared/provisioning/access-world';
import { testDb } from '../../support/db';
import { syncWorld } from '../../shared/sync/sync-world';
import type { SyncWorld } from '../../shared/sync/sync-world';
import { PATCH_SCHEMA } from '../../shared/provisioning/scim-harness';

async function roster(...args: string[]): Promise<CapturedIo> {
  const io = capturedIo();
  const program = new Command('roster').exitOverride();
  registerUnlinkCommand(program, io);
  await program.parseAsync(['node', 'roster', ...args]);
  return io;
}

async function world(): Promise<SyncWorld> {
  const w = await syncWorld();
  await registerConnection(w);
  return w;
}

const rename = (name: string) => ({
  schemas: [PATCH_SCHEMA],
  Operations: [{ op: 'replace', value: { name: { givenName: name, familyName: 'Renamed' } } }],
});

describe('roster unlink', () => {
  it('hands a user’s account back to the workspace: unmarked, unlinked, and untouched by later IdP writes and syncs', async () => {
    const w = await world();
    const userId = await w.h.createUser('ada.lovelace@example.com');
    const memberId = (await w.memberByEmail('ada.lovelace@example.com')).id;

    const out = await roster('unlink', 'user', 'ada.lovelace@example.com', '--connection', w.connectionId);
    expect(out.errors).toEqual([]);
    expect(out.lines[0]).toMatch(/^unlinked user ada\.lovelace@example\.com .*left in the workspace/);

    const account = await w.memberByEmail('ada.lovelace@example.com');
    expect(account).toMatchObject({ id: memberId, managedByScim: false, state: 'active' });
    expect(account.owner).toBeUndefined();
    expect(await w.linkOf(userId)).toBeUndefined();
    expect((await readRollout(testDb(), w.connectionId)).released.users).toEqual([userId]);

    // The IdP renames it: stored, not applied; the sync neither re-links nor changes the account.
    expect((await w.h.call('PATCH', `/Users/${userId}`, rename('Countess'))).status).toBe(200);
    const run = await w.run();
    expect(run.changeCount).toBe(0);
    const after = await w.memberByEmail('ada.lovelace@example.com');
    expect(after).toMatchObject({ id: memberId, name: 'ada lovelace', managedByScim: false });
    expect(await w.linkOf(userId)).toBeUndefined();
    expect((await w.h.store.getUser(w.connectionId, userId))?.body).toMatchObject({
      name: { givenName: 'Countess' },
    });
  });

  it('deletes a group in the workspace with --delete-in-workspace, and a later push does not bring it back', async () => {
    const w = await world();
    const groupId = await w.createGroup('Pushed', []);
    const workspaceGroupId = (await w.groupLinkOf(groupId)) ?? '';

    const out = await roster(
      'unlink',
      'group',
      groupId,
      '--delete-in-workspace',
      '--connection',
      w.connectionId,
    );
    expect(out.errors).toEqual([]);
    expect(await w.workspace.getGroup(workspaceGroupId)).toBeUndefined();
    expect(await w.groupLinkOf(groupId)).toBeUndefined();
    expect((await readRollout(testDb(), w.connectionId)).released.groups).toEqual([groupId]);

    const userId = await w.h.createUser('new.member@example.com');
    await w.addToGroup(groupId, [userId]);
    await w.run();
    expect(await w.workspace.findGroupByName('Pushed')).toBeUndefined();
    expect(await w.groupLinkOf(groupId)).toBeUndefined();
  });

  it('leaves an unlinked group in the workspace, and its SCIM DELETE then deletes nothing there; a linked group’s DELETE still does', async () => {
    const w = await world();
    const kept = await w.createGroup('Kept', []);
    const keptWs = (await w.groupLinkOf(kept)) ?? '';
    const linked = await w.createGroup('Linked', []);
    const linkedWs = (await w.groupLinkOf(linked)) ?? '';

    expect((await roster('unlink', 'group', keptWs, '--connection', w.connectionId)).errors).toEqual([]);
    expect(await w.workspace.getGroup(keptWs)).toMatchObject({ managed: false });

    expect((await w.h.call('DELETE', `/Groups/${kept}`)).status).toBe(204);
    expect((await w.h.call('DELETE', `/Groups/${linked}`)).status).toBe(204);
    expect(await w.workspace.getGroup(keptWs)).toMatchObject({ name: 'Kept', managed: false });
    expect(await w.workspace.getGroup(linkedWs)).toBeUndefined();
  });

  it('refuses an unknown kind, an unknown id and an unlinked user, writing nothing', async () => {
    const w = await world();
    w.setDown(true);
    const pending = await w.h.createUser('not.linked@example.com');
    w.setDown(false);

    const kind = await roster('unlink', 'member', 'x', '--connection', w.connectionId);
    expect(kind.errors).toEqual(['roster: unlink a user or a group, not member']);
    const unknown = await roster('unlink', 'user', 'nobody', '--connection', w.connectionId);
    expect(unknown.errors).toEqual([`roster: no IdP user nobody in connection ${w.connectionId}`]);
    const unlinked = await roster('unlink', 'user', pending, '--connection', w.connectionId);
    expect(unlinked.errors).toEqual([
      `roster: user ${pending} is not linked to a workspace account: nothing to hand back`,
    ]);
    expect([kind, unknown, unlinked].map((io) => io.exitCode)).toEqual([1, 1, 1]);
    expect((await readRollout(testDb(), w.connectionId)).version).toBe(0);
  });
});
