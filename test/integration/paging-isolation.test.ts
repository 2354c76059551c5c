// @vitest-environment stream-engine
/**
 * startIndex paging over 250 users (every user once, stable order, right totals, no re-reading of
 * earlier pages) and connection isolation (one tenant's token never reaches another's data).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../shared/scim/json';
import { useOwnTable } from '../support/own-table';
import { newTenant, startScimApp } from '../support/scim-app';
import type { Tenant } from '../support/scim-app';
import { createGroup, createUser, linkState, recordCalls, scimClient } from './scim-client';
import type { ScimClient } from './scim-client';

let app: Awaited<ReturnType<typeof startScimApp>>;

beforeAll(async () => {
  await useOwnTable('paging');
  app = await startScimApp();
});
afterAll(async () => {
  await app.close();
});

describe('startIndex paging over 250 users', () => {
  let client: ScimClient;
  const ids: string[] = [];

  beforeAll(async () => {
    const tenant = await newTenant();
    client = scimClient(app.baseUrl, tenant.token);
    for (let start = 0; start < 250; start += 25) {
      ids.push(
        ...(await Promise.all(
          Array.from({ length: 25 }, (_, j) => createUser(client, `pager${start + j}@example.com`)),
        )),
      );
    }
  }, 120_000);

  it('pages of 50 cover every user exactly once, in a stable order, with totalResults 250', async () => {
    const walk = async () => {
      const seen: string[] = [];
      for (let startIndex = 1; startIndex <= 250; startIndex += 50) {
        const reply = await client.get(`/Users?startIndex=${startIndex}&count=50`);
        expect(reply.status).toBe(200);
        expect(reply.json.totalResults).toBe(250);
        expect(reply.json.startIndex).toBe(startIndex);
        expect(reply.json.itemsPerPage).toBe(50);
        seen.push(...(reply.json.Resources as JsonObject[]).map((r) => String(r.id)));
      }
      return seen;
    };
    const first = await walk();
    expect(first).toHaveLength(250);
    expect(new Set(first)).toEqual(new Set(ids));
    expect(await walk()).toEqual(first);
    const past = await client.get('/Users?startIndex=251&count=50');
    expect(past.json.totalResults).toBe(250);
    expect(past.json.Resources ?? []).toEqual([]);
  }, 60_000);

  it('reading page N after N-1 reads about count items, never the earlier pages', async () => {
    for (let startIndex = 1; startIndex <= 250; startIndex += 50) {
      const calls = await recordCalls(async () => {
        expect((await client.get(`/Users?startIndex=${startIndex}&count=50`)).status).toBe(200);
      });
      const itemsRead = calls.reduce((sum, call) => sum + call.items.length, 0);
      const skips = calls.filter((call) => call.input.Select === 'COUNT');
      expect(skips, `page at ${startIndex}`).toEqual([]);
      // 50 users + up to 10 counter shards + the remembered page end + the token's connection.
      expect(itemsRead, `page at ${startIndex}`).toBeLessThanOrEqual(50 + 15);
      expect(itemsRead).toBeGreaterThanOrEqual(50);
    }
  }, 60_000);
});

describe('connection isolation', () => {
  let a: ScimClient;
  let b: ScimClient;
  let tenantB: Tenant;
  let bUser: string;
  let bGroup: string;

  beforeAll(async () => {
    const tenantA = await newTenant();
    tenantB = await newTenant();
    a = scimClient(app.baseUrl, tenantA.token);
    b = scimClient(app.baseUrl, tenantB.token);
    await createUser(a, 'a.one@example.com');
    await createGroup(a, 'A team');
    bUser = await createUser(b, 'b.one@example.com', { externalId: 'b-ext' });
    await createUser(b, 'b.two@example.com');
    bGroup = await createGroup(b, 'B team', [bUser]);
  });

  it('A cannot read, PATCH, PUT or DELETE B’s user or group (404), and B’s data is unchanged', async () => {
    const before = await linkState(tenantB.connectionId);
    for (const path of [`/Users/${bUser}`, `/Groups/${bGroup}`]) {
      expect((await a.get(path)).status).toBe(404);
      expect((await a.patch(path, [{ op: 'replace', path: 'displayName', value: 'Hijacked' }])).status).toBe(
        404,
      );
      expect((await a.del(path)).status).toBe(404);
    }
    expect(
      (await a.request('PUT', `/Users/${bUser}`, { body: { userName: 'b.one@example.com' } })).status,
    ).toBe(404);
    expect(await linkState(tenantB.connectionId)).toEqual(before);
    expect((await b.get(`/Users/${bUser}`)).status).toBe(200);
  });

  it('A’s lists and filters never include B, and A’s totals count only A', async () => {
    const users = await a.get('/Users');
    expect(users.json.totalResults).toBe(1);
    expect((users.json.Resources as JsonObject[]).map((r) => r.userName)).toEqual(['a.one@example.com']);
    const groups = await a.get('/Groups');
    expect(groups.json.totalResults).toBe(1);
    for (const filter of [
      `userName eq "b.one@example.com"`,
      `id eq "${bUser}"`,
      `externalId eq "b-ext"`,
      `emails.value eq "b.one@example.com"`,
      `userName sw "b."`,
    ]) {
      const reply = await a.get(`/Users?filter=${encodeURIComponent(filter)}`);
      expect(reply.status, filter).toBe(200);
      expect(reply.json.totalResults, filter).toBe(0);
    }
    for (const filter of [`displayName eq "B team"`, `id eq "${bGroup}"`, `displayName co "B"`]) {
      const reply = await a.get(`/Groups?filter=${encodeURIComponent(filter)}`);
      expect(reply.json.totalResults, filter).toBe(0);
    }
    expect((await b.get('/Users')).json.totalResults).toBe(2);
  });

  it('A can create a user with B’s userName: uniqueness is per connection', async () => {
    const reply = await a.post('/Users', { userName: 'b.two@example.com' });
    expect(reply.status).toBe(201);
    expect(reply.json.id).not.toBe(bUser);
  });
});
