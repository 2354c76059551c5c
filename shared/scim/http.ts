/**
 * A SCIM request and response independent of the transport, so that endpoint logic is plain data
 * in, plain data out: the Lambda handlers and the local server both translate to and from these.
 */
import type { JsonValue } from './json';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface ScimRequest {
  method: HttpMethod;
  /** The path below the SCIM base, such as `/Users/abc`. */
  path: string;
  /** The resource id from the path, if any. */
  id?: string;
  /** Query parameters, decoded. */
  query: Record<string, string | undefined>;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  /** The parsed JSON body, if any (already checked for content type and size). */
  body?: JsonValue;
  /** The absolute SCIM base URL, such as `https://x.example/scim/v2`, for `meta.location`. */
  baseUrl: string;
  requestId: string;
}

export interface ScimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: JsonValue;
}
