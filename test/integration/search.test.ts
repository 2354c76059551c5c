// @vitest-environment stream-engine
/** POST /Users/.search and /Groups/.search (RFC 7644 §3.4.3) answer as the GET with the same query. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useOwnTable } from '../support/own-table';
import { newTenant, startScimApp } from '../support/scim-app';
import type { Tenant } from '../support/scim-app';
import { createGroup, createUser, linkState, scimClient } from './scim-client';
import type { ScimClient } from './scim-client';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

let app: Awaited<ReturnType<typeof startScimApp>>;
let tenant: Tenant;
let client: ScimClient;

beforeAll(async () => {
  await useOwnTable('search');
  app = await startScimApp();
  tenant = await newTenant();
  client = scimClient(app.baseUrl, tenant.token);
  await createUser(client, 'search.one@example.com');
  await createUser(client, 'search.two@example.com');
  await createGroup(client, 'Searchers');
});
afterAll(async () => {
  await app.close();
});

describe('POST .search', () => {
  it('answers /Users/.search like the GET with the same filter, paging and projection', async () => {
    const before = await linkState(tenant.connectionId);
    const search = await client.post('/Users/.search', {
      schemas: [SEARCH],
      filter: 'userName eq "search.two@example.com"',
      attributes: ['userName'],
      startIndex: 1,
      count: 10,
    });
    expect(search.status).toBe(200);
    const get = await client.get(
      `/Users?filter=${encodeURIComponent('userName eq "search.two@example.com"')}&attributes=userName&startIndex=1&count=10`,
    );
    expect(search.json).toEqual(get.json);
    expect(search.json.totalResults).toBe(1);
    // A search writes nothing.
    expect(await linkState(tenant.connectionId)).toEqual(before);
  });

  it('answers /Groups/.search, and an empty search lists everything', async () => {
    const reply = await client.post('/Groups/.search', { schemas: [SEARCH] });
    expect(reply.status).toBe(200);
    expect(reply.json.totalResults).toBe(1);
  });

  it('refuses a malformed search request with 400, other methods with 405, and the root with 501', async () => {
    const bad = await client.post('/Users/.search', { schemas: [SEARCH], count: 'ten' });
    expect(bad.status).toBe(400);
    expect(bad.json.scimType).toBe('invalidValue');
    const unknown = await client.post('/Users/.search', { schemas: [SEARCH], where: 'x' });
    expect(unknown.status).toBe(400);
    const get = await client.get('/Users/.search');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toContain('POST');
    const root = await client.post('/.search', { schemas: [SEARCH] });
    expect(root.status).toBe(501);
    expect(root.json.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });
});
