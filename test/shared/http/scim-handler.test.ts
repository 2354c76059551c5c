import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Context } from 'aws-lambda';
import { ScimError } from '../../../shared/scim/error';
import type { ScimRequest } from '../../../shared/scim/http';
import type { Connection, ConnectionDirectory } from '../../../shared/secrets/connection';
import { hashToken, matchTokenHash } from '../../../shared/secrets/token';
import { MAX_PAYLOAD_BYTES } from '../../../shared/http/body-middleware';
import { SCIM_CONTENT_TYPE } from '../../../shared/http/proxy-result';
import { DISCOVERY_ROUTE } from '../../../shared/http/route-methods';
import { logger } from '../../../shared/http/logger';
import { scimHandler } from '../../../shared/http/scim-handler';
import type { ScimEndpoint } from '../../../shared/http/scim-handler';
import { proxyEvent } from './proxy-event';

const TOKEN = 'rst_test-token-for-acme';
const acme: Connection = {
  id: 'acme',
  name: 'Acme',
  tokens: [{ sha256: hashToken(TOKEN), createdAt: '2024-01-01T00:00:00.000Z' }],
  settings: { requireSamlOnly: false, workspace: { kind: 'builtin', workspaceId: 'w1' } },
};

const directory: ConnectionDirectory = {
  resolveToken: async (token) => (matchTokenHash(token, [acme.tokens[0]!.sha256]) === 0 ? acme : undefined),
  get: async (id) => (id === acme.id ? acme : undefined),
  list: async () => [acme],
};

const context = {} as Context;
const auth = {
  Authorization: `Bearer ${TOKEN}`,
  Host: 'abc.execute-api.eu-west-1.amazonaws.com',
  'X-Forwarded-Proto': 'https',
};

function capture(): { lines: () => string } {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return { lines: () => chunks.join('') };
}

describe('scimHandler', () => {
  let seen: ScimRequest[];
  let endpoint: ScimEndpoint;
  let logs: { lines: () => string };

  beforeEach(() => {
    seen = [];
    endpoint = async ({ request, connection }) => {
      seen.push(request);
      return { status: 200, body: { connection: connection.id, id: request.id ?? null } };
    };
    logs = capture();
  });
  afterEach(() => vi.restoreAllMocks());

  const handler = (options: Parameters<typeof scimHandler>[1] = {}) =>
    scimHandler((input) => endpoint(input), { directory: () => directory, env: {}, ...options });

  it('builds the ScimRequest and answers application/scim+json', async () => {
    const result = await handler()(
      proxyEvent({
        path: '/scim/v2/Users/u%201',
        headers: { ...auth, 'X-Custom': 'x' },
        queryStringParameters: { filter: 'userName eq "a@b.c"', count: '2' },
      }),
      context,
    );
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['Content-Type']).toBe(SCIM_CONTENT_TYPE);
    expect(result.headers?.['X-Request-Id']).toBe('req-1');
    expect(JSON.parse(result.body)).toEqual({ connection: 'acme', id: 'u 1' });
    expect(seen[0]).toMatchObject({
      method: 'GET',
      path: '/Users/u%201',
      id: 'u 1',
      query: { filter: 'userName eq "a@b.c"', count: '2' },
      baseUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev/scim/v2',
      requestId: 'req-1',
    });
    expect(seen[0]?.headers['x-custom']).toBe('x');
  });

  it('prefers pathParameters.id and SCIM_BASE_URL', async () => {
    await handler({ env: { SCIM_BASE_URL: 'https://scim.example.com/scim/v2/' } })(
      proxyEvent({ path: '/scim/v2/Groups/g1', pathParameters: { id: 'g-1' }, headers: auth }),
      context,
    );
    expect(seen[0]).toMatchObject({ id: 'g-1', baseUrl: 'https://scim.example.com/scim/v2' });
  });

  it('overrides a content type set by the endpoint', async () => {
    endpoint = async () => ({ status: 204, headers: { 'content-type': 'text/plain', ETag: 'W/"1"' } });
    const result = await handler()(
      proxyEvent({ path: '/scim/v2/Users/u1', httpMethod: 'DELETE', headers: auth }),
      context,
    );
    expect(result.statusCode).toBe(204);
    expect(result.headers).toMatchObject({ 'Content-Type': SCIM_CONTENT_TYPE, ETag: 'W/"1"' });
    expect(result.headers?.['content-type']).toBeUndefined();
    expect(result.body).toBe('');
  });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', undefined, 'Bearer realm="roster"'],
      ['an unknown token', `Bearer rst_not-a-real-token`, 'Bearer realm="roster", error="invalid_token"'],
      ['Basic credentials', 'Basic dXNlcjpwYXNz', 'Bearer realm="roster"'],
      ['an empty bearer', 'Bearer ', 'Bearer realm="roster"'],
    ])('answers 401 with a SCIM error for %s', async (_, authorization, challenge) => {
      const headers: Record<string, string> = { Host: 'h' };
      if (authorization !== undefined) headers.Authorization = authorization;
      const result = await handler()(proxyEvent({ path: '/scim/v2/Users', headers }), context);
      expect(result.statusCode).toBe(401);
      expect(result.headers).toMatchObject({
        'Content-Type': SCIM_CONTENT_TYPE,
        'WWW-Authenticate': challenge,
      });
      expect(JSON.parse(result.body)).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
      });
      expect(seen).toHaveLength(0);
      expect(result.body).not.toContain('rst_');
      expect(logs.lines()).not.toContain('rst_');
    });

    it('accepts the scheme in any case', async () => {
      const result = await handler()(
        proxyEvent({ path: '/scim/v2/Users', headers: { Authorization: `bearer ${TOKEN}` } }),
        context,
      );
      expect(result.statusCode).toBe(200);
    });
  });

  describe('bodies', () => {
    const post = (body: string, headers: Record<string, string> = {}, isBase64Encoded = false) =>
      handler()(
        proxyEvent({
          path: '/scim/v2/Users',
          httpMethod: 'POST',
          headers: { ...auth, 'Content-Type': 'application/scim+json', ...headers },
          body,
          isBase64Encoded,
        }),
        context,
      );

    it.each([
      'application/scim+json',
      'application/json',
      'application/json; charset=utf-8',
      'Application/SCIM+JSON;charset="UTF-8"',
    ])('accepts %s', async (contentType) => {
      const result = await post('{"userName":"a"}', { 'Content-Type': contentType });
      expect(result.statusCode).toBe(200);
      expect(seen[0]?.body).toEqual({ userName: 'a' });
    });

    it('decodes base64 bodies from API Gateway', async () => {
      const result = await post(Buffer.from('{"displayName":"Ünïcode"}').toString('base64'), {}, true);
      expect(result.statusCode).toBe(200);
      expect(seen[0]?.body).toEqual({ displayName: 'Ünïcode' });
    });

    it('refuses other media types with 415', async () => {
      const result = await post('<user/>', { 'Content-Type': 'application/xml' });
      expect(result.statusCode).toBe(415);
      expect(JSON.parse(result.body)).toMatchObject({ status: '415' });
      expect(seen).toHaveLength(0);
    });

    it('refuses malformed JSON with 400 invalidSyntax', async () => {
      const result = await post('{"userName":');
      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body)).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    });

    it('refuses bodies over the payload limit with 413', async () => {
      const result = await post(JSON.stringify({ x: 'a'.repeat(MAX_PAYLOAD_BYTES) }));
      expect(result.statusCode).toBe(413);
      expect(result.headers?.['Content-Type']).toBe(SCIM_CONTENT_TYPE);
    });

    it('ignores a body on GET', async () => {
      const result = await handler()(
        proxyEvent({
          path: '/scim/v2/Users',
          headers: { ...auth, 'Content-Type': 'text/plain' },
          body: 'junk',
        }),
        context,
      );
      expect(result.statusCode).toBe(200);
      expect(seen[0]?.body).toBeUndefined();
    });
  });

  describe('methods', () => {
    it('answers 405 with Allow for a method the route does not support', async () => {
      const result = await handler()(
        proxyEvent({ path: '/scim/v2/Users/u1', httpMethod: 'POST', headers: auth }),
        context,
      );
      expect(result.statusCode).toBe(405);
      expect(result.headers).toMatchObject({ Allow: 'GET, PUT, PATCH, DELETE, HEAD, OPTIONS' });
      expect(JSON.parse(result.body)).toMatchObject({ status: '405' });
    });

    it('keeps discovery routes read-only', async () => {
      const result = await handler({ methods: DISCOVERY_ROUTE })(
        proxyEvent({ path: '/scim/v2/Schemas', httpMethod: 'DELETE', headers: auth }),
        context,
      );
      expect(result.statusCode).toBe(405);
      expect(result.headers?.Allow).toBe('GET, HEAD, OPTIONS');
    });

    it('answers HEAD as GET without a body', async () => {
      const result = await handler()(
        proxyEvent({ path: '/scim/v2/Users', httpMethod: 'HEAD', headers: auth }),
        context,
      );
      expect(result.statusCode).toBe(200);
      expect(result.body).toBe('');
      expect(seen[0]?.method).toBe('GET');
    });

    it('answers OPTIONS with Allow, without a token and without calling the endpoint', async () => {
      const result = await handler()(proxyEvent({ path: '/scim/v2/Users', httpMethod: 'OPTIONS' }), context);
      expect(result.statusCode).toBe(204);
      expect(result.headers?.Allow).toBe('GET, POST, HEAD, OPTIONS');
      expect(seen).toHaveLength(0);
    });
  });

  describe('errors', () => {
    it('maps a ScimError to its status, body and headers', async () => {
      endpoint = async () => {
        throw new ScimError(409, 'userName is taken', 'uniqueness', { 'X-Why': 'guard' });
      };
      const result = await handler()(
        proxyEvent({ path: '/scim/v2/Users', httpMethod: 'POST', headers: auth }),
        context,
      );
      expect(result.statusCode).toBe(409);
      expect(result.headers).toMatchObject({ 'X-Why': 'guard', 'Content-Type': SCIM_CONTENT_TYPE });
      expect(JSON.parse(result.body)).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '409',
        scimType: 'uniqueness',
        detail: 'userName is taken',
      });
    });

    it('answers 500 with the request id and logs the bug without leaking internals or secrets', async () => {
      endpoint = async () => {
        throw new Error('boom: table roster-prod key C#acme#ann@example.com');
      };
      const result = await handler()(proxyEvent({ path: '/scim/v2/Users', headers: auth }), context);
      expect(result.statusCode).toBe(500);
      const body = JSON.parse(result.body) as { detail: string; status: string };
      expect(body.status).toBe('500');
      expect(body.detail).toContain('req-1');
      expect(result.body).not.toContain('boom');
      const logged = logs.lines();
      expect(logged).toContain('boom');
      expect(logged).toContain('"requestId":"req-1"');
      expect(logged).toContain('"connectionId":"acme"');
      expect(logged).not.toContain('ann@example.com');
      expect(logged).not.toContain(TOKEN);
    });

    it('maps DynamoDB throttling to 429 with Retry-After', async () => {
      endpoint = async () => {
        const error = new Error('Rate exceeded');
        error.name = 'ProvisionedThroughputExceededException';
        throw error;
      };
      const result = await handler()(proxyEvent({ path: '/scim/v2/Users', headers: auth }), context);
      expect(result.statusCode).toBe(429);
      expect(result.headers?.['Retry-After']).toBe('2');
      expect(JSON.parse(result.body)).toMatchObject({ status: '429' });
    });
  });

  it('logs one JSON line per request with request and connection ids, never the token', async () => {
    // The test run quiets logs to WARN (vitest.config.ts); this test is about the INFO request line.
    logger.setLogLevel('INFO');
    await handler()(proxyEvent({ path: '/scim/v2/Users', headers: auth }), context);
    const line = logs
      .lines()
      .split('\n')
      .filter((l) => l.includes('scim request'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)[0];
    expect(line).toMatchObject({
      requestId: 'req-1',
      connectionId: 'acme',
      status: 200,
      path: '/scim/v2/Users',
    });
    expect(logs.lines()).not.toContain(TOKEN);
  });

  it("keeps each request's ids on its own log lines when requests overlap in one process", async () => {
    logger.setLogLevel('INFO');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    endpoint = async ({ request }) => {
      // The first request waits inside the endpoint while the second one runs to completion.
      if (request.requestId === 'req-slow') await gate;
      logger.info('inside endpoint', { tag: request.requestId });
      return { status: 200, body: {} };
    };
    const slowEvent = proxyEvent({ path: '/scim/v2/Users', headers: auth });
    slowEvent.requestContext.requestId = 'req-slow';
    const fastEvent = proxyEvent({ path: '/scim/v2/Users', headers: auth });
    fastEvent.requestContext.requestId = 'req-fast';
    const slow = handler()(slowEvent, context);
    await handler()(fastEvent, context);
    release();
    await slow;
    const lines = logs
      .lines()
      .split('\n')
      .filter((l) => l.includes('inside endpoint') || l.includes('scim request'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    for (const line of lines.filter((l) => l.message === 'inside endpoint')) {
      expect(line.requestId).toBe(line.tag);
    }
    expect(lines.filter((l) => l.message === 'scim request').map((l) => l.requestId)).toEqual([
      'req-fast',
      'req-slow',
    ]);
  });
});
