/** Refuses methods the route does not answer with 405 and the `Allow` header (RFC 9110 §15.5.6). */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ScimError } from '../scim/error';
import { pathBelowBase } from './base-url';
import type { RouteMethods } from './route-methods';
import { allowedMethods } from './route-methods';
import { idFromPath } from './scim-request';
import { SEARCH_ID } from '../scim/search-request';

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
  const below = pathBelowBase(event.path);
  if (below.replace(/\/$/, '') === `/${SEARCH_ID}`) return ['POST', 'OPTIONS'];
  const id = event.pathParameters?.id ?? idFromPath(below);
  // POST /Users/.search and /Groups/.search (RFC 7644 §3.4.3) on routes that serve lists.
  if (id === SEARCH_ID && route.collection.includes('GET') && route.collection.includes('POST')) {
    return ['POST', 'OPTIONS'];
  }
  return allowedMethods(route, id !== undefined);
}
