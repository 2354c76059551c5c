import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ConnectionRateLimiter, rateLimitFromEnv } from '../../../shared/http/connection-rate-limit';
import { scimHandler } from '../../../shared/http/scim-handler';
import type { Connection, ConnectionDirectory } from '../../../shared/secrets/connection';
import { proxyEvent } from './proxy-event';

describe('per-connection rate limit', () => {
  it('lets a burst through, then answers with the seconds to wait, per connection', () => {
    let now = 0;
    const limiter = new ConnectionRateLimiter({ perSecond: 2, burst: 3 }, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    // Another connection has its own bucket: one IdP cannot starve another.
    expect(limiter.take('b')).toBe(0);
    now += 500;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });

  it('reads its limit from the environment, ignoring nonsense', () => {
    expect(rateLimitFromEnv({ ROSTER_CONNECTION_RATE_LIMIT: '25' })).toEqual({ perSecond: 25, burst: 50 });
    expect(rateLimitFromEnv({ ROSTER_CONNECTION_RATE_LIMIT: 'lots' })).toEqual({ perSecond: 50, burst: 100 });
  });

  it('answers 429 with Retry-After and a SCIM body past the limit, and leaves another connection alone', async () => {
    const connection = (id: string): Connection => ({
      id,
      name: id,
      tokens: [],
      settings: { requireSamlOnly: false, workspace: { kind: 'builtin', workspaceId: 'w' } },
    });
    const directory: ConnectionDirectory = {
      resolveToken: async (token) => connection(token === 'tok-a' ? 'a' : 'b'),
      get: async () => undefined,
      list: async () => [],
    };
    const handler = scimHandler(async () => ({ status: 200, body: {} }), {
      directory: () => directory,
      env: { ...process.env, ROSTER_CONNECTION_RATE_LIMIT: '1', ROSTER_CONNECTION_RATE_BURST: '2' },
    });
    const as = (token: string) =>
      handler(
        proxyEvent({ path: '/scim/v2/Users', headers: { Authorization: `Bearer ${token}`, Host: 'h' } }),
        {} as Context,
      );
    expect((await as('tok-a')).statusCode).toBe(200);
    expect((await as('tok-a')).statusCode).toBe(200);
    const limited = await as('tok-a');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers?.['Retry-After']).toBe('1');
    expect(JSON.parse(limited.body)).toMatchObject({ status: '429' });
    expect((await as('tok-b')).statusCode).toBe(200);
  });
});
