// @vitest-environment stream-engine
/**
 * The retry of a create that did commit (the IdP timed out, or got a 503 while the write still
 * landed) is answered as the first would have been: 201 with the same resource, and nothing
 * written twice. A different body under a taken name is still a 409.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import { testDb } from '../support/db';
import { useOwnTable } from '../support/own-table';
import { newTenant, startScimApp } from '../support/scim-app';
import type { Tenant } from '../support/scim-app';
import { GROUP_SCHEMA, linkState, scimClient, userBody } from './scim-client';
import type { ScimClient } from './scim-client';

let app: Awaited<ReturnType<typeof startScimApp>>;
let tenant: Tenant;
let client: ScimClient;

beforeAll(async () => {
  await useOwnTable('replay');
  app = await startScimApp();
  tenant = await newTenant();
  client = scimClient(app.baseUrl, tenant.token);
});
afterAll(async () => {
  await app.close();
});

describe('a create retried after an unknown outcome', () => {
  it('answers the identical retry of a committed user create with 201 and the same user', async () => {
    const body = userBody('retry.once@example.com');
    const first = await client.post('/Users', body);
    expect(first.status).toBe(201);
    const state = await linkState(tenant.connectionId);
    const again = await client.post('/Users', body);
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(await linkState(tenant.connectionId)).toEqual(state);
    expect(await new DynamoLinkStore(testDb()).countUsers(tenant.connectionId)).toBe(1);
  });

  it('still refuses a different body under a taken userName with 409', async () => {
    const state = await linkState(tenant.connectionId);
    const other = await client.post(
      '/Users',
      userBody('retry.once@example.com', { name: { givenName: 'Someone', familyName: 'Else' } }),
    );
    expect(other.status).toBe(409);
    expect(other.json.scimType).toBe('uniqueness');
    expect(await linkState(tenant.connectionId)).toEqual(state);
  });

  it('answers the identical retry of a committed group create with 201 and the same group', async () => {
    const body = { schemas: [GROUP_SCHEMA], displayName: 'Retried Group' };
    const first = await client.post('/Groups', body);
    const state = await linkState(tenant.connectionId);
    const again = await client.post('/Groups', body);
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    expect(await linkState(tenant.connectionId)).toEqual(state);
    const renamed = await client.post('/Groups', { ...body, externalId: 'another' });
    expect(renamed.status).toBe(409);
  });

  it('creates a user with the most emails, then replaces every one of them in one PUT', async () => {
    const emails = (tag: string) =>
      Array.from({ length: 40 }, (_, i) => ({ value: `${tag}${i}@many.example.com` }));
    const reply = await client.post('/Users', userBody('many.aliases@example.com', { emails: emails('a') }));
    expect(reply.status).toBe(201);
    expect((reply.json.emails as unknown[]).length).toBe(40);
    const put = await client.request('PUT', `/Users/${String(reply.json.id)}`, {
      body: userBody('many.aliases@example.com', { emails: emails('b') }),
    });
    expect(put.status).toBe(200);
    const many = await client.post(
      '/Users',
      userBody('too.many@example.com', { emails: [...emails('c'), { value: 'c40@x.example.com' }] }),
    );
    expect(many.status).toBe(400);
  });
});
