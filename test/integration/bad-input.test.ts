// @vitest-environment stream-engine
/**
 * A refused request writes nothing: for each kind of bad input, the status and scimType the RFC
 * gives it, and the connection's link state and the workspace are byte for byte what they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES } from '../../shared/http/body-middleware';
import { useOwnTable } from '../support/own-table';
import { newTenant, startScimApp } from '../support/scim-app';
import type { Tenant } from '../support/scim-app';
import { createGroup, createUser, linkState, scimClient, snapshot } from './scim-client';
import type { Reply, ScimClient } from './scim-client';

let app: Awaited<ReturnType<typeof startScimApp>>;
let tenant: Tenant;
let client: ScimClient;
let userId: string;
let groupId: string;

beforeAll(async () => {
  await useOwnTable('badinput');
  app = await startScimApp();
  tenant = await newTenant();
  client = scimClient(app.baseUrl, tenant.token);
  userId = await createUser(client, 'ada.lovelace@example.com');
  await createUser(client, 'alan.turing@example.com');
  groupId = await createGroup(client, 'Engineers', [userId]);
});
afterAll(async () => {
  await app.close();
});

const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

async function refusedWithoutWrites(
  send: () => Promise<Reply>,
  status: number,
  scimType?: string,
): Promise<Reply> {
  const linkBefore = await linkState(tenant.connectionId);
  const workspaceBefore = await snapshot(`W#${tenant.workspaceId}#`);
  const reply = await send();
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get('content-type')).toContain('application/scim+json');
  expect(reply.json.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  expect(reply.json.status).toBe(String(status));
  if (scimType !== undefined) expect(reply.json.scimType).toBe(scimType);
  expect(await linkState(tenant.connectionId)).toEqual(linkBefore);
  expect(await snapshot(`W#${tenant.workspaceId}#`)).toEqual(workspaceBefore);
  return reply;
}

describe('bad input never writes anything', () => {
  it('the snapshot sees this connection’s items and a real write changes it', async () => {
    const before = await linkState(tenant.connectionId);
    expect(before.length).toBeGreaterThan(5);
    const id = await createUser(client, 'probe.write@example.com');
    expect(await linkState(tenant.connectionId)).not.toEqual(before);
    expect((await client.del(`/Users/${id}`)).status).toBe(204);
  });

  it('malformed JSON on POST, PUT and PATCH → 400 invalidSyntax', async () => {
    const raw = '{"userName": "broken@example.com",';
    await refusedWithoutWrites(
      () => client.request('POST', '/Users', { rawBody: raw }),
      400,
      'invalidSyntax',
    );
    await refusedWithoutWrites(
      () => client.request('PUT', `/Users/${userId}`, { rawBody: raw }),
      400,
      'invalidSyntax',
    );
    await refusedWithoutWrites(
      () => client.request('PATCH', `/Groups/${groupId}`, { rawBody: '{"Operations":[' }),
      400,
      'invalidSyntax',
    );
  });

  it('wrong types → 400 invalidValue', async () => {
    await refusedWithoutWrites(
      () => client.post('/Users', { userName: 42, emails: [{ value: 'x@example.com' }] }),
      400,
      'invalidValue',
    );
    await refusedWithoutWrites(
      () => client.post('/Users', { userName: 'typed@example.com', name: 'not an object' }),
      400,
      'invalidValue',
    );
    await refusedWithoutWrites(
      () => client.patch(`/Users/${userId}`, [{ op: 'replace', path: 'active', value: 'maybe' }]),
      400,
      'invalidValue',
    );
    await refusedWithoutWrites(
      () => client.post('/Groups', { displayName: ['Not', 'a', 'string'] }),
      400,
      'invalidValue',
    );
  });

  it('unknown attributes → 400 invalidSyntax', async () => {
    await refusedWithoutWrites(
      () => client.post('/Users', { userName: 'unknown@example.com', favouriteColour: 'teal' }),
      400,
      'invalidSyntax',
    );
    await refusedWithoutWrites(
      () =>
        client.request('PUT', `/Users/${userId}`, {
          body: { userName: 'ada.lovelace@example.com', shoeSize: 38 },
        }),
      400,
      'invalidSyntax',
    );
  });

  it('an invalid filter → 400 invalidFilter', async () => {
    for (const filter of ['userName xx "a"', 'userName eq', '(userName eq "a"', 'userName eq "a" and']) {
      await refusedWithoutWrites(
        () => client.get(`/Users?filter=${encodeURIComponent(filter)}`),
        400,
        'invalidFilter',
      );
    }
    await refusedWithoutWrites(
      () => client.get(`/Groups?filter=${encodeURIComponent('displayName eq "unterminated')}`),
      400,
      'invalidFilter',
    );
  });

  it('an invalid PATCH path → 400 invalidPath', async () => {
    await refusedWithoutWrites(
      () => client.patch(`/Users/${userId}`, [{ op: 'replace', path: 'name..givenName', value: 'x' }]),
      400,
      'invalidPath',
    );
    await refusedWithoutWrites(
      () => client.patch(`/Users/${userId}`, [{ op: 'replace', path: 'emails[type eq', value: 'x' }]),
      400,
      'invalidPath',
    );
  });

  it('a PATCH operation on an unknown attribute → 400 invalidPath', async () => {
    await refusedWithoutWrites(
      () => client.patch(`/Users/${userId}`, [{ op: 'add', path: 'favouriteColour', value: 'teal' }]),
      400,
      'invalidPath',
    );
    await refusedWithoutWrites(
      () => client.patch(`/Groups/${groupId}`, [{ op: 'replace', path: 'colour', value: 'teal' }]),
      400,
      'invalidPath',
    );
  });

  it('a PATCH with one valid and one invalid operation applies neither', async () => {
    await refusedWithoutWrites(
      () =>
        client.patch(`/Users/${userId}`, [
          { op: 'replace', path: 'displayName', value: 'Changed' },
          { op: 'replace', path: 'favouriteColour', value: 'teal' },
        ]),
      400,
    );
    expect((await client.get(`/Users/${userId}`)).json.displayName).toBeUndefined();
    await refusedWithoutWrites(
      () =>
        client.patch(`/Groups/${groupId}`, [
          { op: 'replace', path: 'displayName', value: 'Renamed' },
          { op: 'add', path: 'members', value: [{ value: 'no-such-user' }] },
        ]),
      400,
      'invalidValue',
    );
    expect((await client.get(`/Groups/${groupId}`)).json.displayName).toBe('Engineers');
  });

  it('a body over the maximum → 413', async () => {
    const big = JSON.stringify({ userName: 'big@example.com', displayName: 'x'.repeat(MAX_PAYLOAD_BYTES) });
    await refusedWithoutWrites(() => client.request('POST', '/Users', { rawBody: big }), 413);
    await refusedWithoutWrites(
      () =>
        client.request('PATCH', `/Users/${userId}`, {
          rawBody: JSON.stringify({
            schemas: [PATCH_SCHEMA],
            Operations: [{ op: 'replace', path: 'displayName', value: 'y'.repeat(MAX_PAYLOAD_BYTES) }],
          }),
        }),
      413,
    );
  });

  it('a wrong content type → 415', async () => {
    for (const contentType of ['text/plain', 'application/xml', 'application/json; charset=latin1']) {
      await refusedWithoutWrites(
        () =>
          client.request('POST', '/Users', {
            rawBody: JSON.stringify({ userName: 'ctype@example.com' }),
            contentType,
          }),
        415,
      );
    }
  });

  it('a member that is not a provisioned user → 400 invalidValue naming the id', async () => {
    const reply = await refusedWithoutWrites(
      () =>
        client.post('/Groups', { displayName: 'Ghosts', members: [{ value: userId }, { value: 'ghost-1' }] }),
      400,
      'invalidValue',
    );
    expect(reply.json.detail).toContain('ghost-1');
    const patched = await refusedWithoutWrites(
      () =>
        client.patch(`/Groups/${groupId}`, [{ op: 'add', path: 'members', value: [{ value: 'ghost-2' }] }]),
      400,
      'invalidValue',
    );
    expect(patched.json.detail).toContain('ghost-2');
    const other = await newTenant();
    const foreign = await createUser(scimClient(app.baseUrl, other.token), 'foreign@example.com');
    const crossed = await refusedWithoutWrites(
      () => client.patch(`/Groups/${groupId}`, [{ op: 'add', path: 'members', value: [{ value: foreign }] }]),
      400,
      'invalidValue',
    );
    expect(crossed.json.detail).toContain(foreign);
  });

  it('creating or renaming to Everyone is refused', async () => {
    await refusedWithoutWrites(
      () => client.post('/Groups', { displayName: 'Everyone', members: [] }),
      409,
      'uniqueness',
    );
    await refusedWithoutWrites(
      () => client.post('/Groups', { displayName: ' everyone ' }),
      409,
      'uniqueness',
    );
    await refusedWithoutWrites(
      () => client.patch(`/Groups/${groupId}`, [{ op: 'replace', path: 'displayName', value: 'Everyone' }]),
      400,
      'invalidValue',
    );
    const groups = await client.get(`/Groups?filter=${encodeURIComponent('displayName eq "Everyone"')}`);
    expect(groups.json.totalResults).toBe(0);
  });

  it('an unknown PATCH op → 400 invalidSyntax; an empty Operations list is a no-op that writes nothing', async () => {
    await refusedWithoutWrites(
      () => client.patch(`/Users/${userId}`, [{ op: 'merge', path: 'displayName', value: 'x' }]),
      400,
      'invalidSyntax',
    );
    // Accepted as a no-op by design (test/shared/scim/patch-op.test.ts); it must still write nothing.
    const before = await linkState(tenant.connectionId);
    const reply = await client.request('PATCH', `/Users/${userId}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [] },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('etag')).toBe('W/"1"');
    expect(await linkState(tenant.connectionId)).toEqual(before);
  });
});
