/** Conditional requests (RFC 7644 §3.14, RFC 7232): If-Match on writes, If-None-Match on reads. */
import { ScimError } from '../scim/error';
import { etagMatches } from '../scim/etag';
import type { ScimRequest } from '../scim/http';

export function checkIfMatch(request: ScimRequest, version: number): void {
  const header = request.headers['if-match'];
  if (header !== undefined && !etagMatches(header, version)) {
    throw ScimError.preconditionFailed(
      'The resource has changed since it was read (If-Match does not match its current version).',
    );
  }
}

/** True when the client already holds the current version (answer 304). */
export function notModified(request: ScimRequest, version: number): boolean {
  const header = request.headers['if-none-match'];
  return header !== undefined && etagMatches(header, version);
}
