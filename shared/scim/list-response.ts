/** The ListResponse message (RFC 7644 §3.4.2). */
import type { JsonObject } from './json';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** One page of results; the numbers are JSON numbers, which Okta's and Entra's validators insist on. */
export function listResponse(resources: JsonObject[], totalResults: number, startIndex: number): JsonObject {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
