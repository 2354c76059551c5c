/**
 * A per-connection request rate limit, so that one IdP cannot starve another: a token bucket per
 * connection (refilled at `ROSTER_CONNECTION_RATE_LIMIT` requests per second, 50 by default, up
 * to twice that as a burst). Past it the answer is 429 with Retry-After, which Okta and Entra
 * honour. The bucket lives in the process: on AWS each function instance keeps its own, and the
 * WAF's rate rule on the Authorization header (infra/waf.ts) bounds a connection across all of
 * them at the edge.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ScimError } from '../scim/error';
import { requestState } from './request-state';

export interface RateLimit {
  perSecond: number;
  burst: number;
}

export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimit {
  const rate = Number(env.ROSTER_CONNECTION_RATE_LIMIT);
  const perSecond = Number.isFinite(rate) && rate > 0 ? rate : 50;
  const burst = Number(env.ROSTER_CONNECTION_RATE_BURST);
  return { perSecond, burst: Number.isFinite(burst) && burst > 0 ? burst : perSecond * 2 };
}

export class ConnectionRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => number = Date.now,
  ) {}

  /** 0 when the request may go ahead; otherwise the seconds to wait for the next token. */
  take(connectionId: string): number {
    const now = this.clock();
    const bucket = this.buckets.get(connectionId) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(
      this.limit.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond,
    );
    bucket.at = now;
    this.buckets.set(connectionId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond));
  }
}

export function rateLimitMiddleware(
  limiter: ConnectionRateLimiter,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    name: 'connectionRateLimit',
    before: ({ event }) => {
      const connection = requestState(event).connection;
      if (!connection) return;
      const wait = limiter.take(connection.id);
      if (wait > 0) {
        throw new ScimError(429, 'Too many requests for this connection; retry later.', undefined, {
          'Retry-After': String(wait),
        });
      }
    },
  };
}
