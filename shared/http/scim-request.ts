/** Builds the transport-independent ScimRequest from an API Gateway REST API proxy event. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { HttpMethod, ScimRequest } from '../scim/http';
import { pathBelowBase, scimBaseUrl } from './base-url';
import { lowerCaseHeaders } from './header';
import type { RequestState } from './request-state';

export function toScimRequest(
  event: APIGatewayProxyEvent,
  state: RequestState,
  env: NodeJS.ProcessEnv = process.env,
): ScimRequest {
  const path = pathBelowBase(event.path);
  const id = event.pathParameters?.id ?? idFromPath(path);
  return {
    // HEAD is answered as a GET whose body is dropped on the way out (RFC 9110 §9.3.2).
    method:
      event.httpMethod.toUpperCase() === 'HEAD' ? 'GET' : (event.httpMethod.toUpperCase() as HttpMethod),
    path,
    ...(id !== undefined ? { id } : {}),
    // REST API proxy events carry query values already URL-decoded; the last of repeated values wins.
    query: { ...(event.queryStringParameters ?? {}) },
    headers: lowerCaseHeaders(event),
    ...(state.body !== undefined ? { body: state.body } : {}),
    baseUrl: scimBaseUrl(event, env),
    requestId: state.requestId,
  };
}

/** `/Users/abc` → `abc`; the collection itself and deeper paths have no id. */
export function idFromPath(path: string): string | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length !== 2 || segments[1] === undefined) return undefined;
  try {
    return decodeURIComponent(segments[1]);
  } catch {
    return segments[1];
  }
}
