// @vitest-environment stream-engine
/**
 * Values inside every advertised limit are served, values outside them are refused with a SCIM
 * error naming the attribute and the limit, and hostile strings never reach the table: for each
 * case the connection's link state, the workspace claims and the workspace are read before and
 * after to prove that nothing was written. Not one of them may answer 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useOwnTable } from '../support/own-table';
import { newTenant, startScimApp } from '../support/scim-app';
import type { Tenant } from '../support/scim-app';
import { GROUP_SCHEMA, createUser, linkState, scimClient, snapshot, userBody } from './scim-client';
import type { Reply, ScimClient } from './scim-client';

let app: Awaited<ReturnType<typeof startScimApp>>;
let tenant: Tenant;
let client: ScimClient;
let userId: string;

beforeAll(async () => {
  await useOwnTable('hostile');
  app = await startScimApp();
  tenant = await newTenant();
  client = scimClient(app.baseUrl, tenant.token);
  userId = await createUser(client, 'hostile.target@example.com');
});
afterAll(async () => {
  await app.close();
});

async function everything(): Promise<string[]> {
  return [
    ...(await linkState(tenant.connectionId)),
    ...(await snapshot(`O#${encodeURIComponent(`builtin:${tenant.workspaceId}`)}#`)),
    ...(await snapshot(`W#${tenant.workspaceId}#`)),
  ];
}

async function refused(send: () => Promise<Reply>, status: number, scimType?: string, detail?: RegExp) {
  const before = await everything();
  const reply = await send();
  expect(reply.status, reply.text).toBe(status);
  expect(reply.json.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  if (scimType) expect(reply.json.scimType).toBe(scimType);
  if (detail) expect(String(reply.json.detail)).toMatch(detail);
  expect(await everything()).toEqual(before);
  return reply;
}

const user = (userName: string, extra: Record<string, unknown> = {}) =>
  userBody('plain@example.com', {
    userName,
    emails: [{ value: 'plain@example.com', primary: true }],
    ...extra,
  });

describe('limits that match the storage', () => {
  it.each([
    ['a userName of 2,040 ASCII characters', user('x'.repeat(2040)), /userName is 2040 bytes/],
    ['a userName of 700 emoji', user('😀'.repeat(700)), /userName is 2800 bytes/],
    [
      'an externalId of 2,040 characters',
      user('ext.long@example.com', { externalId: 'e'.repeat(2040) }),
      /externalId/,
    ],
    [
      '100 emails of 1.9 KB',
      user('many.emails@example.com', {
        emails: Array.from({ length: 100 }, (_, i) => ({ value: `${'m'.repeat(1900)}${i}@example.com` })),
      }),
      /at most 40 emails/,
    ],
    [
      'a 797 KB user (each attribute within its own limits)',
      user('huge.body@example.com', {
        addresses: Array.from({ length: 100 }, () => ({
          formatted: 'f'.repeat(2000),
          streetAddress: 's'.repeat(2000),
          locality: 'l'.repeat(2000),
          region: 'r'.repeat(1900),
        })),
      }),
      /bytes as stored; the limit is 102400/,
    ],
  ])('POST /Users with %s → 400 invalidValue, nothing written', async (_name, body, detail) => {
    await refused(() => client.post('/Users', body), 400, 'invalidValue', detail);
  });

  it('one email of 1.9 KB → 400 invalidValue naming it and the limit', async () => {
    await refused(
      () =>
        client.post(
          '/Users',
          user('long.email@example.com', { emails: [{ value: `${'m'.repeat(1900)}@example.com` }] }),
        ),
      400,
      'invalidValue',
      /emails\[0\]\.value is 1912 bytes in UTF-8; the limit is 254/,
    );
  });

  it('a displayName of 2,040 characters → 400 invalidValue', async () => {
    await refused(
      () => client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g'.repeat(2040) }),
      400,
      'invalidValue',
      /displayName is 2040 bytes/,
    );
  });

  it('an eq filter on a 3,000-character value → 400 invalidFilter', async () => {
    const reply = await client.get(
      `/Users?filter=${encodeURIComponent(`userName eq "${'q'.repeat(3000)}"`)}`,
    );
    expect(reply.status).toBe(400);
    expect(reply.json.scimType).toBe('invalidFilter');
  });

  it('a 3,000-character id in the path → 404 on every method, nothing written', async () => {
    const id = 'i'.repeat(3000);
    for (const send of [
      () => client.get(`/Users/${id}`),
      () => client.del(`/Users/${id}`),
      () => client.patch(`/Users/${id}`, [{ op: 'replace', path: 'active', value: false }]),
      () => client.request('PUT', `/Groups/${id}`, { body: { schemas: [GROUP_SCHEMA], displayName: 'G' } }),
    ]) {
      await refused(send, 404);
    }
  });

  it('a group member with a 3,000-character id → 400 invalidValue, nothing written', async () => {
    await refused(
      () =>
        client.post('/Groups', {
          schemas: [GROUP_SCHEMA],
          displayName: 'Odd Members',
          members: [{ value: 'v'.repeat(3000) }],
        }),
      400,
      'invalidValue',
    );
  });
});

describe('one validation for every write', () => {
  it('PATCH replace userName=42 → 400 invalidValue, as POST and PUT', async () => {
    await refused(
      () => client.patch(`/Users/${userId}`, [{ op: 'replace', path: 'userName', value: 42 }]),
      400,
      'invalidValue',
    );
    await refused(
      () => client.patch(`/Users/${userId}`, [{ op: 'replace', value: { userName: 42 } }]),
      400,
      'invalidValue',
    );
    await refused(() => client.post('/Users', { ...user('x'), userName: 42 }), 400, 'invalidValue');
  });

  it('a PATCH that would make the userName hostile or too long is refused like a POST', async () => {
    await refused(
      () => client.patch(`/Users/${userId}`, [{ op: 'replace', path: 'userName', value: 'admin\u202e' }]),
      400,
      'invalidValue',
    );
    await refused(
      () => client.patch(`/Users/${userId}`, [{ op: 'replace', path: 'userName', value: 'y'.repeat(600) }]),
      400,
      'invalidValue',
    );
  });
});

describe('text that is safe to show', () => {
  it('a body that is not valid UTF-8 → 400 invalidSyntax, nothing written', async () => {
    const before = await everything();
    const bytes = Buffer.concat([
      Buffer.from('{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bad'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('@example.com"}'),
    ]);
    const response = await fetch(`${app.baseUrl}/Users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tenant.token}`, 'Content-Type': 'application/scim+json' },
      body: bytes,
    });
    const json = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(400);
    expect(json.scimType).toBe('invalidSyntax');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(await everything()).toEqual(before);
  });

  it.each([
    ['NUL', 'nul\u0000@example.com'],
    ['CR/LF', 'crlf\r\n@example.com'],
    ['ESC', 'esc\u001b[31m@example.com'],
    ['DEL', 'del\u007f@example.com'],
    ['a bidi override', 'moc.elpmaxe@\u202enimda'],
    ['a zero-width space', 'ad\u200bmin@example.com'],
    ['a BOM', '\ufeffbom@example.com'],
    ['a lone surrogate (escaped in JSON)', 'lone\ud800@example.com'],
  ])('a userName with %s → 400 invalidValue, nothing written', async (_name, userName) => {
    await refused(() => client.post('/Users', user(userName)), 400, 'invalidValue');
  });

  it('an email value or a group name with a control character is refused too', async () => {
    await refused(
      () =>
        client.post(
          '/Users',
          userBody('ctl.mail@example.com', { emails: [{ value: 'ctl\u0007@example.com' }] }),
        ),
      400,
      'invalidValue',
    );
    await refused(
      () => client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ops\u200b' }),
      400,
      'invalidValue',
    );
  });

  it('the NFC and NFD forms of one name are one name: the second is 409 uniqueness', async () => {
    const nfc = 'ren\u00e9e@example.com';
    const nfd = 'rene\u0301e@example.com';
    expect(nfc).not.toBe(nfd);
    expect(
      (await client.post('/Users', user(nfc, { emails: [{ value: 'renee.one@example.com' }] }))).status,
    ).toBe(201);
    await refused(
      () => client.post('/Users', user(nfd, { emails: [{ value: 'renee.two@example.com' }] })),
      409,
      'uniqueness',
    );
  });
});

describe('what can never be applied is refused up front', () => {
  it('a user with no usable primary email → 400 invalidValue with the reason, nothing written', async () => {
    const { emails: _none, ...body } = user('jsmith');
    const reply = await refused(
      () => client.post('/Users', body),
      400,
      'invalidValue',
      /no usable primary email/,
    );
    expect(String(reply.json.detail)).toMatch(/links and provisions accounts by email/);
    // A PATCH that takes the last email away is refused the same way.
    await refused(
      () =>
        client.patch(`/Users/${userId}`, [
          { op: 'remove', path: 'emails' },
          { op: 'replace', path: 'userName', value: 'nomail' },
        ]),
      400,
      'invalidValue',
    );
  });
});

describe('413 always answered', () => {
  it('a body of 10× the maximum gets 413 with a request id, never a connection reset', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await fetch(`${app.baseUrl}/Users`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${tenant.token}`, 'Content-Type': 'application/scim+json' },
        body: `{"userName":"${'x'.repeat(10 * 1024 * 1024)}"}`,
      });
      expect(response.status).toBe(413);
      expect(response.headers.get('x-request-id')).toBeTruthy();
    }
  });

  it('an unknown path answers 404 with a request id', async () => {
    const reply = await client.get('/Nope');
    expect(reply.status).toBe(404);
    expect(reply.headers.get('x-request-id')).toBeTruthy();
  });
});
