/**
 * Bearer authentication (RFC 6750): the token resolves to exactly one connection, which scopes
 * everything the request can touch. Every failure is a 401 SCIM Error with `WWW-Authenticate`, and
 * none says whether a token exists. The token itself is never logged or echoed.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ScimError } from '../scim/error';
import type { ConnectionDirectory } from '../secrets/connection';
import { header } from './header';
import { setLogContext } from './log-context';
import { requestState } from './request-state';

const REALM = 'Bearer realm="roster"';

export function authMiddleware(
  directory: () => ConnectionDirectory,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    name: 'auth',
    before: async ({ event }) => {
      // OPTIONS only lists the allowed methods; it reveals nothing and preflights carry no token.
      if (event.httpMethod.toUpperCase() === 'OPTIONS') return;
      const token = bearerToken(header(event, 'authorization'));
      const connection = await directory().resolveToken(token);
      if (!connection) throw invalidToken();
      requestState(event).connection = connection;
      setLogContext({ connectionId: connection.id });
    },
  };
}

/** The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive. */
export function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === '') throw ScimError.unauthorized();
  const match = /^(\S+)\s+(\S+)\s*$/.exec(authorization.trim());
  if (!match || match[1]?.toLowerCase() !== 'bearer' || match[2] === undefined) {
    throw new ScimError(401, 'Only bearer tokens are accepted (Authorization: Bearer <token>).', undefined, {
      'WWW-Authenticate': REALM,
    });
  }
  return match[2];
}

function invalidToken(): ScimError {
  return new ScimError(401, 'The bearer token is not valid.', undefined, {
    'WWW-Authenticate': `${REALM}, error="invalid_token"`,
  });
}
