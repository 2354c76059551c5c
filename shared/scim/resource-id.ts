/**
 * Resource ids are the server's own (RFC 7643 §3.1: "issued by the service provider"): UUIDs.
 * Anything else in a path, a filter or a member value cannot name a resource, so it is answered
 * (404, no match, unknown member) without building a DynamoDB key from it, which for an over-long
 * value would fail the request instead.
 */
const RESOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

export function isResourceId(id: string): boolean {
  return RESOURCE_ID.test(id);
}

/** The longest filter value an indexed lookup accepts, in UTF-8 bytes (see identifier.ts). */
export const MAX_FILTER_VALUE_BYTES = 1024;
