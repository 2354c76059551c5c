/**
 * Wraps a SCIM endpoint (plain data in, plain data out) into a Lambda handler for API Gateway REST
 * API proxy events. The middlewares run in this order: request context (id, logs), error mapping,
 * method check, bearer auth, body parsing; then the endpoint, whose ScimResponse becomes the
 * proxy result.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Connection, ConnectionDirectory } from '../secrets/connection';
import { connectionDirectory } from '../secrets/connection-directory';
import type { ScimRequest, ScimResponse } from '../scim/http';
import { authMiddleware } from './auth-middleware';
import { bodyMiddleware, MAX_PAYLOAD_BYTES } from './body-middleware';
import { ConnectionRateLimiter, rateLimitFromEnv, rateLimitMiddleware } from './connection-rate-limit';
import { runWithLogContext } from './log-context';
import { errorMiddleware } from './error-middleware';
import { allowedForEvent, methodMiddleware } from './method-middleware';
import { toProxyResult } from './proxy-result';
import { requestContextMiddleware } from './request-context-middleware';
import { requestState } from './request-state';
import type { RouteMethods } from './route-methods';
import { RESOURCE_ROUTE } from './route-methods';
import { requestBudgetMs, withinDeadline } from './request-deadline';
import { toScimRequest } from './scim-request';

export interface ScimEndpointInput {
  connection: Connection;
  request: ScimRequest;
}

export type ScimEndpoint = (input: ScimEndpointInput) => Promise<ScimResponse>;

export interface ScimHandlerOptions {
  /** The methods the route answers; /Users and /Groups by default. */
  methods?: RouteMethods;
  /** Where tokens are resolved; the process-wide directory by default. */
  directory?: () => ConnectionDirectory;
  maxPayloadBytes?: number;
  env?: NodeJS.ProcessEnv;
}

export type ScimLambdaHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>;

/** Time since API Gateway received the request; 0 for a synthetic event or a skewed clock. */
function elapsedSince(epochMs: number | undefined): number {
  if (typeof epochMs !== 'number' || epochMs <= 0) return 0;
  const elapsed = Date.now() - epochMs;
  return elapsed > 0 && elapsed < 29_000 ? elapsed : 0;
}

export function scimHandler(endpoint: ScimEndpoint, options: ScimHandlerOptions = {}): ScimLambdaHandler {
  const route = options.methods ?? RESOURCE_ROUTE;
  const limiter = new ConnectionRateLimiter(rateLimitFromEnv(options.env));
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(requestContextMiddleware())
    .use(errorMiddleware())
    .use(methodMiddleware(route))
    .use(authMiddleware(options.directory ?? connectionDirectory))
    .use(rateLimitMiddleware(limiter))
    .use(bodyMiddleware(options.maxPayloadBytes ?? MAX_PAYLOAD_BYTES))
    .handler(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
      if (event.httpMethod.toUpperCase() === 'OPTIONS') {
        return toProxyResult({ status: 204, headers: { Allow: allowedForEvent(route, event).join(', ') } });
      }
      const state = requestState(event);
      if (!state.connection) throw new Error('the auth middleware did not run');
      const response = await withinDeadline(
        endpoint({ connection: state.connection, request: toScimRequest(event, state, options.env) }),
        // The budget counts from when the request arrived, so authentication's time is in it.
        requestBudgetMs(options.env) - elapsedSince(event.requestContext?.requestTimeEpoch),
      );
      return toProxyResult(response);
    });
  // Each invocation gets its own log keys (see log-context.ts).
  return (event, context) => runWithLogContext(() => handler(event, context));
}
