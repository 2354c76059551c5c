// @vitest-environment stream-engine
/**
 * A group's cost follows what a request touches, not the group's size: a GET that excludes members
 * reads no member item, a GET that returns 1,000 members returns them all, and adding one member
 * to a 1,200-member group (more than a page of members) costs the same DynamoDB calls as adding one to a 10-member group.
 *
 * The 1,202 users are seeded as SCIM and the apply leave them (test/support/applied-users.ts; the
 * first test checks that against a user created over SCIM); the groups and every membership go
 * through the SCIM endpoints and the stream-fed apply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../shared/scim/json';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MEMBERS_PER_RESPONSE } from '../../shared/endpoints/member-budget';
import { db } from '../../shared/store/client';
import { keys } from '../../shared/store/keys';
import { newTenant, startScimApp } from '../support/scim-app';
import type { Tenant } from '../support/scim-app';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import { seedAppliedUsers } from '../support/applied-users';
import { createGroup, createUser, recordCalls, scimClient } from './scim-client';
import type { RecordedCall, ScimClient } from './scim-client';

let app: Awaited<ReturnType<typeof startScimApp>>;
let tenant: Tenant;
let client: ScimClient;
let users: string[] = [];

async function addMembers(groupId: string, ids: string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += 250) {
    const value = ids.slice(start, start + 250).map((id) => ({ value: id }));
    const reply = await client.patch(`/Groups/${groupId}`, [{ op: 'add', path: 'members', value }]);
    if (reply.status !== 204) throw new Error(`add members: ${reply.status} ${reply.text}`);
  }
}

beforeAll(async () => {
  tenant = await newTenant();
  // Before the app: its apply starts reading the stream after the seed.
  users = (
    await seedAppliedUsers(
      db(),
      tenant,
      Array.from({ length: 1202 }, (_, i) => `bulk${i}@example.com`),
    )
  ).map((user) => user.id);
  app = await startScimApp();
  client = scimClient(app.baseUrl, tenant.token);
}, 600_000);
afterAll(async () => {
  await app.close();
});

function costOf(calls: RecordedCall[], userId: string) {
  return {
    calls: calls.length,
    byCommand: calls.reduce<Record<string, number>>((acc, c) => {
      acc[c.command] = (acc[c.command] ?? 0) + 1;
      return acc;
    }, {}),
    itemsRead: calls.reduce((sum, c) => sum + c.items.length, 0),
    userReads: calls.reduce(
      (sum, c) =>
        sum + c.items.filter((item) => item.pk === keys.user(tenant.connectionId, userId).pk).length,
      0,
    ),
  };
}

function memberItemsRead(calls: RecordedCall[], groupId: string): number {
  const partition = keys.membersPartition(tenant.connectionId, groupId);
  return calls.reduce((sum, call) => sum + call.items.filter((item) => item.pk === partition).length, 0);
}

function queriesOf(calls: RecordedCall[], partition: string): RecordedCall[] {
  return calls.filter((call) => JSON.stringify(call.input).includes(partition));
}

/**
 * The items of each user given, in the link state and the workspace (one Scan of the file's
 * table), as shapes: keys and attribute names, with the ids and the email replaced.
 */
async function shapesOf(users: { id: string; email: string; memberId: string }[]): Promise<string[][]> {
  const { doc, table } = db();
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return users.map((user) => {
    const generic = (value: unknown) =>
      String(value)
        .replaceAll(user.id, '<id>')
        .replaceAll(user.memberId, '<member>')
        .replaceAll(user.email, '<email>')
        .replaceAll(tenant.connectionId, '<connection>')
        .replaceAll(tenant.workspaceId, '<workspace>');
    return items
      .filter((item) =>
        [user.id, user.email, user.memberId].some((value) => JSON.stringify(item).includes(value)),
      )
      .map((item) => {
        // The replay hash of the create is the one attribute only a create over SCIM writes.
        const names = Object.keys(item)
          .filter((name) => name !== 'createdFrom')
          .sort();
        return `${generic(item.pk)} ${generic(item.sk)} ${names.join(',')}`;
      })
      .sort();
  });
}

describe('group reads and writes cost what they touch', () => {
  let bigGroup: string;

  it('the seeded users are stored as a SCIM create and its apply store a user', async () => {
    const email = 'created.over.scim@example.com';
    const id = await createUser(client, email);
    const created = await new DynamoLinkStore(db()).getUser(tenant.connectionId, id);
    expect(created?.apply).toMatchObject({ status: 'applied', workspaceId: expect.any(String) });
    expect(created?.claim).toMatchObject({ kind: 'email', value: email });
    const [seeded] = await seedAppliedUsers(db(), tenant, ['seeded.check@example.com']);
    const [real, seed] = await shapesOf([
      { id, email, memberId: created?.apply.workspaceId as string },
      seeded!,
    ]);
    // The user, its userName guard, email index item, claim, link; the member and its email guard.
    expect(real!.length).toBeGreaterThanOrEqual(7);
    expect(seed).toEqual(real);
    const store = new DynamoLinkStore(db());
    // The 1,202 of the setup, this one and the one created over SCIM.
    expect(await store.countUsers(tenant.connectionId)).toBe(1204);
    const stored = await store.getUser(tenant.connectionId, seeded!.id);
    expect(stored).toMatchObject({
      active: true,
      apply: { status: 'applied', workspaceId: seeded!.memberId },
      claim: { ...created?.claim, value: 'seeded.check@example.com' },
    });
  });

  it('a 1,000-member group GET without exclusion returns all 1,000 members', async () => {
    bigGroup = await createGroup(client, 'Thousand');
    await addMembers(bigGroup, users.slice(0, 1000));
    const reply = await client.get(`/Groups/${bigGroup}`);
    expect(reply.status).toBe(200);
    const members = reply.json.members as JsonObject[];
    expect(members).toHaveLength(1000);
    expect(new Set(members.map((m) => m.value))).toEqual(new Set(users.slice(0, 1000)));
  }, 120_000);

  it('a group with more members than a response carries answers 400 tooMany before reading any member, and excludedAttributes=members still answers', async () => {
    const groupId = await createGroup(client, 'Huge');
    await addMembers(groupId, users.slice(0, 3));
    // As if the group held 30,001 members: the budget is checked on the stored count.
    await db().doc.send(
      new UpdateCommand({
        TableName: db().table,
        Key: keys.group(tenant.connectionId, groupId),
        UpdateExpression: 'SET memberCount = :count',
        ExpressionAttributeValues: { ':count': MEMBERS_PER_RESPONSE + 1 },
      }),
    );
    const filter = encodeURIComponent('displayName eq "Huge"');
    const replies: { status: number; json: JsonObject }[] = [];
    const calls = await recordCalls(async () => {
      replies.push(await client.get(`/Groups/${groupId}`));
      replies.push(await client.get(`/Groups?filter=${filter}`));
      replies.push(await client.get(`/Groups/${groupId}?attributes=members`));
    });
    for (const reply of replies) {
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ status: '400', scimType: 'tooMany' });
      expect(String(reply.json.detail)).toContain('excludedAttributes=members');
    }
    expect(memberItemsRead(calls, groupId)).toBe(0);

    const excluded = await client.get(`/Groups/${groupId}?excludedAttributes=members`);
    expect(excluded.status).toBe(200);
    expect(excluded.json).toMatchObject({ id: groupId, displayName: 'Huge' });
    const listed = await client.get(`/Groups?filter=${filter}&excludedAttributes=members`);
    expect(listed.status).toBe(200);
    expect((listed.json.Resources as JsonObject[]).map((g) => g.id)).toEqual([groupId]);
    // Membership changes still work: PATCH answers 204 with no members.
    const patched = await client.patch(`/Groups/${groupId}`, [
      { op: 'remove', path: `members[value eq "${users[0] ?? ''}"]` },
    ]);
    expect(patched.status).toBe(204);
  }, 120_000);

  it('GET with excludedAttributes=members reads no member item (and the list the same)', async () => {
    const partition = keys.membersPartition(tenant.connectionId, bigGroup);
    let one: JsonObject = {};
    let listed: JsonObject = {};
    const calls = await recordCalls(async () => {
      one = (await client.get(`/Groups/${bigGroup}?excludedAttributes=members`)).json;
      listed = (
        await client.get(
          `/Groups?filter=${encodeURIComponent('displayName eq "Thousand"')}&excludedAttributes=members`,
        )
      ).json;
    });
    expect(one.id).toBe(bigGroup);
    expect(one.members).toBeUndefined();
    expect((listed.Resources as JsonObject[])[0]?.members).toBeUndefined();
    expect(calls.length).toBeGreaterThan(0);
    expect(memberItemsRead(calls, bigGroup)).toBe(0);
    expect(queriesOf(calls, partition)).toEqual([]);

    // The recorder does see member reads when members are returned.
    const withMembers = await recordCalls(async () => {
      await client.get(`/Groups/${bigGroup}`);
    });
    expect(memberItemsRead(withMembers, bigGroup)).toBe(1000);
  }, 60_000);

  it('adding 1 member to a 1,200-member group costs the same calls as adding 1 to a 10-member group', async () => {
    const small = await createGroup(client, 'Ten', users.slice(0, 10));
    // The first test's 1,000-member group, grown past a page of members (1,000 a Query).
    const large = bigGroup;
    await addMembers(large, users.slice(1000, 1200));
    const stored = await client.get(`/Groups/${large}?attributes=displayName`);
    expect(stored.status).toBe(200);
    expect(stored.json.displayName).toBe('Thousand');

    const addOne = async (groupId: string, userId: string) => {
      // A write just before, not measured: it resolves the token (cached 5 s) and has the SAML-only
      // check read the sign-in settings (cached 30 s), so that neither measured PATCH pays those
      // reads (2 GetItems for the token, 1 for the settings) when its cache happened to expire.
      const warm = await client.patch(`/Groups/${groupId}`, [
        { op: 'replace', path: 'displayName', value: groupId === small ? 'Ten' : 'Thousand' },
      ]);
      expect([200, 204]).toContain(warm.status);
      await app.settle();
      // The request path alone (it never calls the workspace), then the stream-fed apply alone.
      app.autoSettle = false;
      const request = await recordCalls(async () => {
        const reply = await client.patch(`/Groups/${groupId}`, [
          { op: 'add', path: 'members', value: [{ value: userId }] },
        ]);
        expect(reply.status).toBe(204);
      });
      app.autoSettle = true;
      const apply = await recordCalls(() => app.settle());
      return { request: costOf(request, userId), apply: costOf(apply, userId) };
    };
    const toSmall = await addOne(small, users[1200] as string);
    const toLarge = await addOne(large, users[1201] as string);
    for (const part of ['request', 'apply'] as const) {
      expect(toLarge[part].byCommand).toEqual(toSmall[part].byCommand);
      expect(toLarge[part].calls).toBe(toSmall[part].calls);
      expect(toLarge[part].itemsRead).toBe(toSmall[part].itemsRead);
    }
    // One read (the group, the user, its membership) and one transaction.
    expect(toSmall.request.byCommand).toEqual({ BatchGetCommand: 1, TransactWriteCommand: 1 });
    expect(toSmall.apply.calls).toBeLessThan(20);
    // The endpoint reads the added user once; the apply reads it before the grant and after it
    // (the post-check that a deactivation did not overtake the grant).
    expect(toSmall.request.userReads).toBe(1);
    expect(toSmall.apply.userReads).toBe(2);

    const count = async (groupId: string) =>
      ((await client.get(`/Groups/${groupId}`)).json.members as JsonObject[]).length;
    expect(await count(small)).toBe(11);
    expect(await count(large)).toBe(1201);
  }, 300_000);
});
