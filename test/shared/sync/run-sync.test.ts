// @vitest-environment stream-engine
import { describe, expect, it } from 'vitest';
import { collect, reportedObservations } from '../../../shared/sync/sync-report';
import { testDb } from '../../support/db';
import { deactivate } from '../provisioning/scim-harness';
import { syncWorld } from './sync-world';

describe('full sync: drift on what the IdP owns', () => {
  it('links an unlinked user to the existing account with the same email, case-insensitively', async () => {
    const world = await syncWorld();
    await world.workspace.insertMember(
      { email: 'Ada.Lovelace@Example.com', name: 'Ada L', admin: false },
      false,
    );
    world.setDown(true);
    const userId = await world.h.createUser('ada.lovelace@example.com');
    world.setDown(false);
    expect(await world.linkOf(userId)).toBeUndefined();

    const run = await world.run();

    const member = await world.memberByEmail('ada.lovelace@example.com');
    expect(run.status).toBe('completed');
    expect(run.counts.provisionMember).toBeUndefined();
    expect(await world.linkOf(userId)).toBe(member.id);
    expect(member.managedByScim).toBe(true);
    expect(member.name).toBe('ada lovelace');
    const user = await world.h.store.getUser(world.connectionId, userId);
    expect(user?.apply.status).toBe('applied');
  });

  it('re-provisions a managed member removed on the workspace side and records the new link', async () => {
    const world = await syncWorld();
    const userId = await world.h.createUser('grace.hopper@example.com');
    const before = await world.memberByEmail('grace.hopper@example.com');
    await world.workspace.deleteMember(before.id);

    const run = await world.run();

    const after = await world.memberByEmail('grace.hopper@example.com');
    expect(run.counts.provisionMember).toEqual({ planned: 1, applied: 1, failed: 0 });
    expect(after.id).not.toBe(before.id);
    expect(after.managedByScim).toBe(true);
    expect(await world.linkOf(userId)).toBe(after.id);
  });

  it('deactivates a member reactivated on the workspace side while the IdP says inactive', async () => {
    const world = await syncWorld();
    const userId = await world.h.createUser('alan.turing@example.com');
    expect((await world.h.call('PATCH', `/Users/${userId}`, deactivate)).status).toBe(200);
    const member = await world.memberByEmail('alan.turing@example.com');
    expect(member.state).toBe('deactivated');
    await world.workspace.reactivateMember(member.id);

    const run = await world.run();

    expect(run.counts.deactivateMember).toEqual({ planned: 1, applied: 1, failed: 0 });
    expect((await world.memberByEmail('alan.turing@example.com')).state).toBe('deactivated');
  });

  it('reverts a rename and a promotion made on the workspace side', async () => {
    const world = await syncWorld();
    await world.h.createUser('edsger.dijkstra@example.com');
    const member = await world.memberByEmail('edsger.dijkstra@example.com');
    await world.workspace.updateMember(member.id, { name: 'Someone Else', admin: true });

    const run = await world.run();

    const after = await world.memberByEmail('edsger.dijkstra@example.com');
    expect(run.counts.updateMember?.applied).toBe(1);
    expect(after).toMatchObject({ name: 'edsger dijkstra', admin: false });
  });

  it('moves back an email changed on the workspace side, without linking a second account', async () => {
    const world = await syncWorld();
    await world.h.createUser('grace.hopper@example.com');
    const member = await world.memberByEmail('grace.hopper@example.com');
    await world.workspace.updateMember(member.id, { email: 'someone.else@example.com' });

    const run = await world.run();

    expect(run.counts.updateMember?.applied).toBe(1);
    expect(run.counts.provisionMember).toBeUndefined();
    expect((await world.memberByEmail('grace.hopper@example.com')).id).toBe(member.id);
    expect(await world.workspace.findMemberByEmail('someone.else@example.com')).toBeUndefined();
  });

  it('restores a demotion of an IdP admin', async () => {
    const world = await syncWorld();
    await world.h.createUser('barbara.liskov@example.com', { roles: [{ value: 'admin' }] });
    const member = await world.memberByEmail('barbara.liskov@example.com');
    expect(member.admin).toBe(true);
    await world.workspace.updateMember(member.id, { admin: false });

    await world.run();

    expect((await world.memberByEmail('barbara.liskov@example.com')).admin).toBe(true);
  });

  it('renames a managed group back', async () => {
    const world = await syncWorld();
    const groupId = await world.createGroup('Engineering');
    const workspaceGroupId = await world.groupLinkOf(groupId);
    expect(workspaceGroupId).toBeDefined();
    await world.workspace.renameGroup(workspaceGroupId as string, 'Renamed');

    const run = await world.run();

    expect(run.counts.renameGroup?.applied).toBe(1);
    expect((await world.workspace.getGroup(workspaceGroupId as string))?.name).toBe('Engineering');
  });

  it('re-creates a deleted managed group and grants its members again, in one run', async () => {
    const world = await syncWorld();
    const a = await world.h.createUser('ken.thompson@example.com');
    const b = await world.h.createUser('dennis.ritchie@example.com');
    const groupId = await world.createGroup('Unix', [a, b]);
    const old = (await world.groupLinkOf(groupId)) as string;
    await world.workspace.deleteGroup(old);

    const run = await world.run();

    const recreated = await world.workspace.findGroupByName('Unix');
    expect(run.status).toBe('completed');
    expect(recreated?.id).toBeDefined();
    expect(recreated?.id).not.toBe(old);
    expect(recreated?.managed).toBe(true);
    expect(await world.groupLinkOf(groupId)).toBe(recreated?.id);
    const expected = [(await world.linkOf(a)) as string, (await world.linkOf(b)) as string].sort();
    expect(await world.groupMembers(recreated?.id as string)).toEqual(expected);
    expect((await world.h.store.getGroup(world.connectionId, groupId))?.apply.status).toBe('applied');
  });

  it('grants and revokes back to the desired members after workspace-side edits', async () => {
    const world = await syncWorld();
    const a = await world.h.createUser('john.backus@example.com');
    const b = await world.h.createUser('peter.naur@example.com');
    const groupId = await world.createGroup('Algol', [a]);
    const workspaceGroupId = (await world.groupLinkOf(groupId)) as string;
    const memberA = (await world.linkOf(a)) as string;
    const memberB = (await world.linkOf(b)) as string;
    await world.workspace.revoke(workspaceGroupId, memberA);
    await world.workspace.grant(workspaceGroupId, memberB);

    const run = await world.run();

    expect(run.counts.grant?.applied).toBe(1);
    expect(run.counts.revoke?.applied).toBe(1);
    expect(await world.groupMembers(workspaceGroupId)).toEqual([memberA]);
  });

  it('deletes a managed member and group the IdP deleted while the workspace was down', async () => {
    const world = await syncWorld();
    const keep = await world.h.createUser('keep.me@example.com');
    const gone = await world.h.createUser('gone.soon@example.com');
    const groupId = await world.createGroup('Temporary', [keep]);
    const workspaceGroupId = (await world.groupLinkOf(groupId)) as string;
    const goneMember = (await world.linkOf(gone)) as string;
    world.setDown(true);
    expect((await world.h.call('DELETE', `/Users/${gone}`)).status).toBe(204);
    expect((await world.h.call('DELETE', `/Groups/${groupId}`)).status).toBe(204);
    world.setDown(false);
    expect(await world.workspace.getMember(goneMember)).toBeDefined();

    const run = await world.run();

    expect(run.counts.deleteMember?.applied).toBe(1);
    expect(run.counts.deleteGroup?.applied).toBe(1);
    expect(await world.workspace.getMember(goneMember)).toBeUndefined();
    expect(await world.workspace.getGroup(workspaceGroupId)).toBeUndefined();
    expect(await world.workspace.getMember((await world.linkOf(keep)) as string)).toBeDefined();
  });

  it('reports and never changes unmanaged accounts, unmanaged groups and Everyone', async () => {
    const world = await syncWorld();
    const outsider = await world.workspace.insertMember(
      { email: 'outsider@example.com', name: 'Out Sider', admin: true },
      false,
    );
    const club = await world.workspace.insertGroup('Book club', false);
    await world.workspace.grant(club.groupId, outsider.memberId);
    await world.h.createUser('insider@example.com');

    const run = await world.run();

    expect(run.changeCount).toBe(0);
    expect(await world.workspace.getMember(outsider.memberId)).toMatchObject({
      admin: true,
      state: 'active',
    });
    expect(await world.groupMembers(club.groupId)).toEqual([outsider.memberId]);
    const observations = await collect(reportedObservations(testDb(), run));
    expect(observations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'unmanagedMember', objectId: outsider.memberId }),
        expect.objectContaining({ kind: 'unmanagedMember', objectId: world.ownerId }),
        expect.objectContaining({ kind: 'unmanagedGroup', objectId: club.groupId }),
        expect.objectContaining({ kind: 'everyoneGroup', objectId: 'everyone' }),
      ]),
    );
    expect(observations).toHaveLength(4);
  });
});
