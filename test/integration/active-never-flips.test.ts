// @vitest-environment stream-engine
/**
 * `active` never flips on its own: removing it (PATCH `remove`) or leaving it out of a PUT keeps the
 * stored value, so a deprovisioned person never comes back by omission. Reactivation is an
 * explicit `active: true`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import { testDb } from '../support/db';
import { newTenant, startScimApp } from '../support/scim-app';
import type { Tenant } from '../support/scim-app';
import { createUser, scimClient, userBody } from './scim-client';
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

async function stored(id: string) {
  const user = await new DynamoLinkStore(testDb()).getUser(tenant.connectionId, id);
  const member = await tenant.workspace.getMember(user?.apply.workspaceId as string);
  return { active: user?.active, state: member?.state };
}

describe('active never flips on its own', () => {
  it('keeps a deactivated user deactivated through PATCH remove active and a PUT without active', async () => {
    const { active: _omitted, ...withoutActive } = userBody('kept.out@example.com');
    const id = await createUser(client, 'kept.out@example.com');
    expect(
      (await client.patch(`/Users/${id}`, [{ op: 'replace', path: 'active', value: false }])).status,
    ).toBe(200);
    expect(await stored(id)).toEqual({ active: false, state: 'deactivated' });

    const removed = await client.patch(`/Users/${id}`, [{ op: 'remove', path: 'active' }]);
    expect(removed.status).toBe(200);
    expect(removed.json.active).toBe(false);
    expect(await stored(id)).toEqual({ active: false, state: 'deactivated' });

    const put = await client.request('PUT', `/Users/${id}`, { body: withoutActive });
    expect(put.status).toBe(200);
    expect(put.json.active).toBe(false);
    expect(await stored(id)).toEqual({ active: false, state: 'deactivated' });

    // Explicitly, it comes back.
    const back = await client.patch(`/Users/${id}`, [{ op: 'replace', path: 'active', value: true }]);
    expect(back.json.active).toBe(true);
    expect(await stored(id)).toEqual({ active: true, state: 'active' });
  });

  it('creates a user without active as active', async () => {
    const { active: _omitted, ...withoutActive } = userBody('new.default@example.com');
    const reply = await client.post('/Users', withoutActive);
    expect(reply.status).toBe(201);
    expect(reply.json.active).toBe(true);
  });
});
