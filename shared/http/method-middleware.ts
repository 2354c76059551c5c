/** Refuses methods the route does not answer with 405 and the `Allow` header (RFC 9110 §15.5.6). */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ScimError } from '../scim/error';
import { pathBelowBase } from './base-url';
import type { RouteMethods } from './route-methods';
import { allowedMethods } from './route-methods';
import { idFromPath } from './scim-request';

export function methodMiddleware(
  route: RouteMethods,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    name: 'method',
    before: ({ event }) => {
      const allowed = allowedForEvent(route, event);
      const method = event.httpMethod.toUpperCase();
      if (!(allowed as string[]).includes(method)) {
        throw new ScimError(405, `${method} is not supported here.`, undefined, {
          Allow: allowed.join(', '),
        });
      }
    },
  };
}

export function allowedForEvent(
  route: RouteMethods,
  event: APIGatewayProxyEvent,
): ReturnType<typeof allowedMethods> {
  const hasId = (event.pathParameters?.id ?? idFromPath(pathBelowBase(event.path))) !== undefined;
  return allowedMethods(route, hasId);
}
