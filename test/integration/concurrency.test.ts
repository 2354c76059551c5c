// @vitest-environment stream-engine
/**
 * Optimistic concurrency under load: concurrent PATCHes without If-Match are retried on the fresh
 * state, so none of them is lost, and a group's stored member count stays right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import type { JsonObject } from '../../shared/scim/json';
import { testDb } from '../support/db';
import { newTenant, startScimApp } from '../support/scim-app';
import type { Tenant } from '../support/scim-app';
import { ENTERPRISE, createGroup, createUser, recordCalls, scimClient } from './scim-client';
import type { ScimClient } from './scim-client';

let app: Awaited<ReturnType<typeof startScimApp>>;
let tenant: Tenant;
let client: ScimClient;

beforeAll(async () => {
  app = await startScimApp();
  tenant = await newTenant();
  client = scimClient(app.baseUrl, tenant.token);
});
afterAll(async () => {
  await app.close();
});

const N = 20;

describe('concurrent PATCHes lose no update', () => {
  it(`${N} concurrent PATCHes each adding a different email to one user: all ${N} present`, async () => {
    const id = await createUser(client, 'busy.user@example.com');
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        client.patch(`/Users/${id}`, [
          { op: 'add', path: 'emails', value: [{ value: `alias${i}@example.com`, type: 'other' }] },
        ]),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array.from({ length: N }, () => 200));
    const user = await client.get(`/Users/${id}`);
    const emails = (user.json.emails as JsonObject[]).map((e) => e.value).sort();
    expect(emails).toEqual(
      ['busy.user@example.com', ...Array.from({ length: N }, (_, i) => `alias${i}@example.com`)].sort(),
    );
    expect(user.headers.get('etag')).toBe(`W/"${N + 1}"`);
  });

  it(`${N} concurrent PATCHes each setting a different extension attribute: all kept`, async () => {
    const id = await createUser(client, 'busy.ext@example.com');
    const attributes = ['employeeNumber', 'costCenter', 'organization', 'division', 'department'];
    const replies = await Promise.all(
      attributes.map((name) =>
        client.patch(`/Users/${id}`, [{ op: 'replace', path: `${ENTERPRISE}:${name}`, value: `v-${name}` }]),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(attributes.map(() => 200));
    const extension = (await client.get(`/Users/${id}`)).json[ENTERPRISE] as JsonObject;
    for (const name of attributes) expect(extension[name]).toBe(`v-${name}`);
  });

  it(`${N} concurrent member adds of different users to one group: all members, right count`, async () => {
    const users = await Promise.all(
      Array.from({ length: N }, (_, i) => createUser(client, `member${i}@example.com`)),
    );
    const groupId = await createGroup(client, 'Crowded');
    await app.settle();
    let replies: Awaited<ReturnType<ScimClient['patch']>>[] = [];
    // The request path alone: the stream-fed apply runs after.
    app.autoSettle = false;
    const calls = await recordCalls(async () => {
      replies = await Promise.all(
        users.map((userId) =>
          client.patch(`/Groups/${groupId}`, [{ op: 'add', path: 'members', value: [{ value: userId }] }]),
        ),
      );
    });
    app.autoSettle = true;
    await app.settle();
    expect(replies.map((r) => r.status)).toEqual(users.map(() => 204));
    // Member-only PATCHes commit side by side (no version condition): each is one read of the
    // group, its user and membership, and one transaction; none re-read after a conflict. (A
    // transaction DynamoDB cancels for contention is sent again: one more call each time.)
    const count = (command: string) => calls.filter((c) => c.command === command).length;
    expect(count('BatchGetCommand')).toBe(N);
    expect(count('TransactWriteCommand')).toBe(N);
    expect(count('QueryCommand')).toBe(0);
    const group = await client.get(`/Groups/${groupId}`);
    const members = (group.json.members as JsonObject[]).map((m) => m.value).sort();
    expect(members).toEqual([...users].sort());
    const stored = await new DynamoLinkStore(testDb()).getGroup(tenant.connectionId, groupId);
    expect(stored?.memberCount).toBe(N);
    expect(stored?.meta.version).toBe(1 + N);
  });
});
