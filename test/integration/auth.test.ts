// @vitest-environment stream-engine
/** Every authentication failure is a 401 SCIM Error with WWW-Authenticate: Bearer, as SCIM JSON. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTenant, startScimApp } from '../support/scim-app';
import type { Tenant } from '../support/scim-app';
import { scimClient } from './scim-client';

let app: Awaited<ReturnType<typeof startScimApp>>;
let tenant: Tenant;

beforeAll(async () => {
  app = await startScimApp();
  tenant = await newTenant();
});
afterAll(async () => {
  await app.close();
});

describe('401s', () => {
  const cases: { name: string; authorization: string }[] = [
    { name: 'no Authorization header', authorization: 'none' },
    { name: 'an empty header', authorization: '' },
    { name: 'the Basic scheme', authorization: 'Basic dXNlcjpwYXNz' },
    { name: 'a bearer scheme without a token', authorization: 'Bearer' },
    { name: 'a token that does not exist', authorization: 'Bearer not-a-real-token' },
  ];
  for (const { name, authorization } of cases) {
    for (const [method, path] of [
      ['GET', '/Users'],
      ['POST', '/Users'],
      ['GET', '/Groups/some-id'],
      ['GET', '/ServiceProviderConfig'],
    ] as const) {
      it(`${name}: ${method} ${path}`, async () => {
        const client = scimClient(app.baseUrl, tenant.token);
        const reply = await client.request(method, path, {
          authorization,
          ...(method === 'POST' ? { body: { userName: 'nobody@example.com' } } : {}),
        });
        expect(reply.status).toBe(401);
        expect(reply.headers.get('content-type')).toContain('application/scim+json');
        expect(reply.headers.get('www-authenticate') ?? '').toMatch(/^Bearer\b/);
        expect(reply.json).toMatchObject({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          status: '401',
        });
        expect(typeof reply.json.detail).toBe('string');
        expect(reply.text).not.toContain(tenant.token);
      });
    }
  }

  it('the tenant’s own token answers 200 and the same token altered answers 401', async () => {
    const client = scimClient(app.baseUrl, tenant.token);
    expect((await client.get('/Users')).status).toBe(200);
    const wrong = await client.request('GET', '/Users', { authorization: `Bearer ${tenant.token}x` });
    expect(wrong.status).toBe(401);
  });
});
