// @vitest-environment stream-engine
/**
 * ETags (RFC 7644 §3.14): the ETag header equals meta.version, If-None-Match answers 304, a stale
 * If-Match answers 412 on every write and writes nothing, the current one succeeds with a new ETag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useOwnTable } from '../support/own-table';
import { newTenant, startScimApp } from '../support/scim-app';
import type { Tenant } from '../support/scim-app';
import { createGroup, createUser, linkState, scimClient, userBody } from './scim-client';
import type { JsonObject } from '../../shared/scim/json';
import type { ScimClient } from './scim-client';

let app: Awaited<ReturnType<typeof startScimApp>>;
let tenant: Tenant;
let client: ScimClient;

beforeAll(async () => {
  await useOwnTable('etags');
  app = await startScimApp();
  tenant = await newTenant();
  client = scimClient(app.baseUrl, tenant.token);
});
afterAll(async () => {
  await app.close();
});

function version(body: JsonObject): unknown {
  return (body.meta as JsonObject | undefined)?.version;
}

describe.each([
  { kind: 'Users', make: (name: string) => createUser(client, `${name}@example.com`) },
  { kind: 'Groups', make: (name: string) => createGroup(client, name) },
])('ETags on $kind', ({ kind, make }) => {
  const rename = (kind: string) =>
    kind === 'Users'
      ? { op: 'replace', path: 'displayName', value: 'Renamed' }
      : { op: 'replace', path: 'displayName', value: `Renamed ${Math.random()}` };

  it('GET returns an ETag equal to meta.version; If-None-Match with it → 304 without a body', async () => {
    const id = await make(`etag.get.${kind}`);
    const got = await client.get(`/${kind}/${id}`);
    expect(got.status).toBe(200);
    const etag = got.headers.get('etag');
    expect(etag).toMatch(/^W\/"\d+"$/);
    expect(version(got.json)).toBe(etag);
    const cached = await client.get(`/${kind}/${id}`, { 'If-None-Match': etag ?? '' });
    expect(cached.status).toBe(304);
    expect(cached.text).toBe('');
    expect(cached.headers.get('etag')).toBe(etag);
    const stale = await client.get(`/${kind}/${id}`, { 'If-None-Match': 'W/"999"' });
    expect(stale.status).toBe(200);
  });

  it('a stale If-Match → 412 on PUT, PATCH and DELETE, and nothing is written', async () => {
    const id = await make(`etag.stale.${kind}`);
    const first = await client.get(`/${kind}/${id}`);
    const staleTag = String(first.headers.get('etag'));
    const patched = await client.patch(`/${kind}/${id}`, [rename(kind)]);
    expect([200, 204]).toContain(patched.status);
    expect(patched.headers.get('etag')).not.toBe(staleTag);

    const before = await linkState(tenant.connectionId);
    const headers = { 'If-Match': staleTag };
    const put = await client.request('PUT', `/${kind}/${id}`, {
      headers,
      body: kind === 'Users' ? userBody(`etag.stale.put@example.com`) : { displayName: 'Put name' },
    });
    expect(put.status, put.text).toBe(412);
    expect(put.json.status).toBe('412');
    const patch = await client.patch(`/${kind}/${id}`, [rename(kind)], headers);
    expect(patch.status).toBe(412);
    const del = await client.del(`/${kind}/${id}`, headers);
    expect(del.status).toBe(412);
    expect(await linkState(tenant.connectionId)).toEqual(before);
    expect((await client.get(`/${kind}/${id}`)).status).toBe(200);
  });

  it('the current If-Match succeeds and answers a new ETag; DELETE with it succeeds', async () => {
    const id = await make(`etag.current.${kind}`);
    const current = String((await client.get(`/${kind}/${id}`)).headers.get('etag'));
    const patched = await client.patch(`/${kind}/${id}`, [rename(kind)], { 'If-Match': current });
    expect([200, 204]).toContain(patched.status);
    const next = patched.headers.get('etag');
    expect(next).toMatch(/^W\/"\d+"$/);
    expect(next).not.toBe(current);
    const reread = await client.get(`/${kind}/${id}`);
    expect(reread.headers.get('etag')).toBe(next);
    expect(version(reread.json)).toBe(next);

    const put = await client.request('PUT', `/${kind}/${id}`, {
      headers: { 'If-Match': String(next) },
      body:
        kind === 'Users' ? userBody(`etag.current.put.${kind}@example.com`) : { displayName: `Put ${id}` },
    });
    expect(put.status, put.text).toBe(200);
    const afterPut = String(put.headers.get('etag'));
    expect(afterPut).not.toBe(next);
    expect(version(put.json)).toBe(afterPut);

    expect((await client.del(`/${kind}/${id}`, { 'If-Match': afterPut })).status).toBe(204);
    expect((await client.get(`/${kind}/${id}`)).status).toBe(404);
  });
});
