import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { routeFor, startServer } from '../../local/server';
import type { LocalServer } from '../../local/server';
import { MAX_PAYLOAD_BYTES } from '../../shared/http/body-middleware';
import { echoRoutes } from './fixtures/fake-routes';

describe('routeFor', () => {
  it.each([
    ['/scim/v2/Users', 'users', undefined],
    ['/scim/v2/Users/', 'users', undefined],
    ['/scim/v2/Users/a%20b', 'users', 'a b'],
    ['/scim/v2/Groups/g1', 'groups', 'g1'],
    ['/scim/v2/ServiceProviderConfig', 'discovery', undefined],
    ['/scim/v2/ResourceTypes/User', 'discovery', 'User'],
    [
      '/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User',
      'discovery',
      'urn:ietf:params:scim:schemas:core:2.0:User',
    ],
  ])('maps %s', (path, fn, id) => {
    const route = routeFor(path);
    expect(route?.function).toBe(fn);
    expect(route?.id).toBe(id);
  });

  it.each([
    '/',
    '/scim/v2',
    '/scim/v2/Bulk',
    '/scim/v2/Users/a/b',
    '/scim/v2/ServiceProviderConfig/x',
    '/Users',
  ])('has no route for %s', (path) => {
    expect(routeFor(path)).toBeUndefined();
  });
});

describe('the local server', () => {
  const seen: APIGatewayProxyEvent[] = [];
  let server: LocalServer;

  beforeAll(async () => {
    server = await startServer(echoRoutes(seen), { port: 0 });
  });
  afterAll(async () => server.close());

  it('listens on 127.0.0.1 only', () => {
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('turns a request into the proxy event API Gateway would send', async () => {
    const res = await fetch(
      `${server.origin}/scim/v2/Users/u%201?filter=userName%20eq%20%22a%40b.c%22&attributes=a&attributes=b`,
      {
        method: 'PATCH',
        headers: { Authorization: 'Bearer t', 'Content-Type': 'application/scim+json', 'X-Custom': 'x' },
        body: '{"Operations":[]}',
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-function')).toBe('users');
    expect(await res.json()).toEqual({ function: 'users', id: 'u 1' });
    const event = seen.at(-1)!;
    expect(event).toMatchObject({
      httpMethod: 'PATCH',
      path: '/scim/v2/Users/u%201',
      resource: '/scim/v2/Users/{id}',
      pathParameters: { id: 'u 1' },
      queryStringParameters: { filter: 'userName eq "a@b.c"', attributes: 'b' },
      multiValueQueryStringParameters: { attributes: ['a', 'b'] },
      body: Buffer.from('{"Operations":[]}').toString('base64'),
      isBase64Encoded: true,
    });
    expect(event.headers).toMatchObject({
      authorization: 'Bearer t',
      'x-custom': 'x',
      'x-forwarded-proto': 'http',
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes no body and no query as null', async () => {
    await fetch(`${server.origin}/scim/v2/ServiceProviderConfig`);
    expect(seen.at(-1)).toMatchObject({ body: null, queryStringParameters: null, pathParameters: null });
  });

  it('answers unknown paths with a 404 SCIM error', async () => {
    const res = await fetch(`${server.origin}/scim/v2/Bulk`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    expect(await res.json()).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '404',
    });
  });

  it('refuses an oversized body without buffering it', async () => {
    const before = seen.length;
    const res = await fetch(`${server.origin}/scim/v2/Users`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/scim+json' },
      body: 'x'.repeat(MAX_PAYLOAD_BYTES + 10),
    });
    expect(res.status).toBe(413);
    expect(seen.length).toBe(before);
  });
});
