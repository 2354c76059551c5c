import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { BuiltinWorkspace } from '../../../../shared/workspace/builtin/builtin-workspace';
import { BuiltinWorkspaceAdmin } from '../../../../shared/workspace/builtin/builtin-workspace-admin';
import { createBuiltinWorkspace } from '../../../../shared/workspace/builtin/create-builtin-workspace';
import { keys } from '../../../../shared/workspace/builtin/keys';
import { ManagedByIdpError } from '../../../../shared/workspace/builtin/managed-by-idp-error';
import { flakyWorkspace } from '../../../../shared/workspace/flaky-workspace';
import { readAll } from '../../../../shared/workspace/port';
import type { SignInSettings } from '../../../../shared/workspace/sign-in';
import { isSamlOnly } from '../../../../shared/workspace/sign-in';
import {
  WorkspaceRejectedError,
  WorkspaceUnavailableError,
} from '../../../../shared/workspace/workspace-error';
import { countingDb } from '../../../../shared/store/counting-db';
import { itemsIn, testDb, uniqueConnectionId } from '../../../support/db';

const samlOnly: SignInSettings = {
  password: false,
  google: false,
  slack: false,
  office365: false,
  saml: true,
  samlProviders: [{ acsUrl: 'https://example.com/acs', entityId: 'urn:idp', providerToken: 'p1' }],
};

describe('built-in workspace', () => {
  it('bootstraps idempotently, keeping the first sign-in settings', async () => {
    const id = uniqueConnectionId('w');
    await createBuiltinWorkspace(testDb(), id, { signIn: samlOnly });
    const again = await createBuiltinWorkspace(testDb(), id);
    const settings = await again.readSignIn();
    expect(isSamlOnly(settings)).toBe(true);
    expect(settings.samlProviders).toEqual(samlOnly.samlProviders);
  });

  it('keeps every item under W#<workspaceId>#', async () => {
    const id = uniqueConnectionId('w');
    const workspace = await createBuiltinWorkspace(testDb(), id);
    const member = await workspace.provisionMember({ email: 'a@example.com', name: 'A', admin: false });
    const group = await workspace.createGroup('G');
    await workspace.grant(group.groupId, member.memberId);
    const items = await itemsIn([
      keys.meta(id).pk,
      keys.membersPk(id),
      keys.groupsPk(id),
      keys.grantsPk(id, group.groupId),
      keys.emailGuard(id, 'a@example.com').pk,
      keys.groupNameGuard(id, 'G').pk,
    ]);
    expect(items.length).toBe(7);
    for (const item of items) expect(String(item.pk).startsWith(`W#${id}#`)).toBe(true);
  });

  it('reads thousands of grants with few Query calls, in pages of 5,000', async () => {
    const db = testDb();
    const id = uniqueConnectionId('w');
    const workspace = await createBuiltinWorkspace(db, id);
    const group = await workspace.createGroup('Big');
    const total = 6000;
    const items = Array.from({ length: total }, (_, i) => {
      const memberId = `m-${String(i).padStart(6, '0')}`;
      return { ...keys.grant(id, group.groupId, memberId), groupId: group.groupId, memberId };
    });
    for (let i = 0; i < items.length; i += 25) {
      await db.doc.send(
        new BatchWriteCommand({
          RequestItems: { [db.table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    }
    const pageSizes: number[] = [];
    const grants = await readAll(async (page) => {
      const out = await workspace.readGrants(page);
      pageSizes.push(out.items.length);
      return out;
    });
    expect(grants).toHaveLength(total);
    // 1 MB pages would return all 6,000 at once; the Limit keeps DynamoDB Local's deep pages cheap.
    expect(pageSizes).toEqual([5000, 1000]);
  });

  it('fails a deactivation whose grant removals the table keeps leaving unprocessed, instead of retrying forever', async () => {
    const db = testDb();
    const id = uniqueConnectionId('w');
    const workspace = await createBuiltinWorkspace(db, id);
    const group = await workspace.createGroup('Throttled');
    const member = await workspace.provisionMember({ email: 'kept@example.com', name: 'Kept', admin: false });
    await workspace.grant(group.groupId, member.memberId);
    let batches = 0;
    const throttled = {
      table: db.table,
      doc: {
        send: (command: unknown) => {
          if (command instanceof BatchWriteCommand) {
            batches++;
            return Promise.resolve({ UnprocessedItems: command.input.RequestItems });
          }
          return db.doc.send(command as Parameters<typeof db.doc.send>[0]);
        },
      } as unknown as typeof db.doc,
    };
    await expect(
      new BuiltinWorkspace(throttled, id).deactivateMember(member.memberId),
    ).rejects.toBeInstanceOf(WorkspaceUnavailableError);
    expect(batches).toBe(8);
    // The grant is still there, so the failure is what the caller reports; a retry removes it.
    expect((await workspace.readGroupMembers(group.groupId)).items).toEqual([member.memberId]);
    await workspace.deactivateMember(member.memberId);
    expect((await workspace.readGroupMembers(group.groupId)).items).toEqual([]);
  });

  it('grants 60 members in two transactions and revokes them in two', async () => {
    const counting = countingDb(testDb());
    const id = uniqueConnectionId('w');
    const workspace = await createBuiltinWorkspace(counting.db, id);
    const group = await workspace.createGroup('Sixty');
    const members: string[] = [];
    for (let i = 0; i < 60; i++) {
      members.push(
        (await workspace.provisionMember({ email: `m${i}@example.com`, name: `M ${i}`, admin: false }))
          .memberId,
      );
    }
    counting.reset();
    await workspace.grantMembers(group.groupId, members);
    expect(counting.stats.byCommand).toEqual({ TransactWriteCommand: 2 });
    expect((await readAll((page) => workspace.readGroupMembers(group.groupId, page))).sort()).toEqual(
      [...members].sort(),
    );
    counting.reset();
    await workspace.revokeMembers(group.groupId, members);
    // 49 revokes per transaction: the group's ownership check, a grant and its reverse item each.
    expect(counting.stats.byCommand).toEqual({ TransactWriteCommand: 2 });
    expect(await readAll((page) => workspace.readGroupMembers(group.groupId, page))).toEqual([]);
  });

  it('a batch grant with a deactivated member is refused naming it, and writes nothing of its chunk', async () => {
    const workspace = await createBuiltinWorkspace(testDb(), uniqueConnectionId('w'));
    const group = await workspace.createGroup('G');
    const ada = (await workspace.provisionMember({ email: 'ada@example.com', name: 'Ada', admin: false }))
      .memberId;
    const bob = (await workspace.provisionMember({ email: 'bob@example.com', name: 'Bob', admin: false }))
      .memberId;
    await workspace.deactivateMember(bob);
    const error = await workspace.grantMembers(group.groupId, [ada, bob]).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(WorkspaceRejectedError);
    expect((error as WorkspaceRejectedError).code).toBe('member_inactive');
    expect((error as Error).message).toContain(bob);
    expect(await readAll((page) => workspace.readGroupMembers(group.groupId, page))).toEqual([]);
    const missing = await workspace.grantMembers(group.groupId, [ada, 'm-nobody']).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect((missing as WorkspaceRejectedError).code).toBe('not_found');
  });

  it('refuses a group named Everyone and to leave no sign-in method', async () => {
    const workspace = await createBuiltinWorkspace(testDb(), uniqueConnectionId('w'));
    await expect(workspace.createGroup('everyone')).rejects.toBeInstanceOf(WorkspaceRejectedError);
    const group = await workspace.createGroup('Ops');
    await expect(workspace.renameGroup(group.groupId, 'EVERYONE')).rejects.toBeInstanceOf(
      WorkspaceRejectedError,
    );
    const admin = new BuiltinWorkspaceAdmin(workspace);
    await expect(admin.setSignIn({ password: false })).rejects.toMatchObject({ code: 'last_sign_in_method' });
    expect((await workspace.readSignIn()).password).toBe(true);
  });

  it('refuses a rename onto another group name, case-insensitively', async () => {
    const workspace = await createBuiltinWorkspace(testDb(), uniqueConnectionId('w'));
    await workspace.createGroup('Ops');
    const dev = await workspace.createGroup('Dev');
    await expect(workspace.renameGroup(dev.groupId, 'OPS')).rejects.toMatchObject({ status: 409 });
    await workspace.renameGroup(dev.groupId, 'DEV');
    expect((await workspace.getGroup(dev.groupId))?.name).toBe('DEV');
  });

  it('moves a member to a new email with its guard, and refuses an email another account holds', async () => {
    const workspace = await createBuiltinWorkspace(testDb(), uniqueConnectionId('w'));
    const ann = await workspace.provisionMember({ email: 'ann@example.com', name: 'Ann', admin: false });
    const bo = await workspace.provisionMember({ email: 'bo@example.com', name: 'Bo', admin: false });

    await workspace.updateMember(ann.memberId, { email: 'ann.lee@example.com', name: 'Ann Lee' });
    expect(await workspace.getMember(ann.memberId)).toMatchObject({
      email: 'ann.lee@example.com',
      name: 'Ann Lee',
    });
    expect((await workspace.findMemberByEmail('ANN.LEE@example.com'))?.id).toBe(ann.memberId);
    // The old email is free again: a new account can take it.
    expect(await workspace.findMemberByEmail('ann@example.com')).toBeUndefined();
    expect(
      (await workspace.provisionMember({ email: 'ann@example.com', name: 'New', admin: false })).kind,
    ).toBe('created');

    await expect(workspace.updateMember(bo.memberId, { email: 'Ann.Lee@example.com' })).rejects.toMatchObject(
      {
        status: 409,
        code: 'email_taken',
      },
    );
    expect((await workspace.getMember(bo.memberId))?.email).toBe('bo@example.com');
    expect((await workspace.findMemberByEmail('ann.lee@example.com'))?.id).toBe(ann.memberId);
    await expect(workspace.updateMember('m-missing', { email: 'x@example.com' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('admin refuses to grant or revoke a managed group, but the port may', async () => {
    const workspace = await createBuiltinWorkspace(testDb(), uniqueConnectionId('w'));
    const admin = new BuiltinWorkspaceAdmin(workspace);
    const member = await admin.addMember({ email: 'a@example.com', name: 'A', admin: false });
    const group = await workspace.insertGroup('Pushed', true);
    await expect(admin.grant('Pushed', 'a@example.com')).rejects.toBeInstanceOf(ManagedByIdpError);
    await workspace.grant(group.groupId, member.id);
    expect(await readAll((page) => workspace.readGroupMembers(group.groupId, page))).toEqual([member.id]);
  });

  it('flakyWorkspace fails as unavailable while failing() is true, then passes calls through', async () => {
    const workspace = await createBuiltinWorkspace(testDb(), uniqueConnectionId('w'));
    let down = true;
    const flaky = flakyWorkspace(workspace, { failing: () => down });
    await expect(flaky.createGroup('Ops')).rejects.toBeInstanceOf(WorkspaceUnavailableError);
    expect((await readAll((page) => workspace.readEntitlements(page))).map((e) => e.name)).not.toContain(
      'Ops',
    );
    down = false;
    expect((await flaky.createGroup('Ops')).kind).toBe('created');
    expect(flaky.capabilities).toBe(workspace.capabilities);
  });
});
