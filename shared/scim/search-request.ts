/**
 * POST `/.search` (RFC 7644 §3.4.3): the query of a GET carried in a SearchRequest body, for
 * clients whose filters would not fit a URL or must not appear in logs. It becomes the same query
 * parameters a GET would send, so one code path serves both.
 */
import { ScimError } from './error';
import { isJsonObject } from './json';
import type { JsonValue } from './json';

export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** The pseudo-id `.search` names the search endpoint of a resource type, never a resource. */
export const SEARCH_ID = '.search';

export function searchRequestQuery(body: JsonValue | undefined): Record<string, string> {
  if (body === undefined || body === null) return {};
  if (!isJsonObject(body))
    throw ScimError.badRequest('invalidSyntax', 'A SearchRequest must be a JSON object.');
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    const name = key.toLowerCase();
    if (name === 'schemas') {
      if (!Array.isArray(value) || !value.includes(SEARCH_REQUEST_SCHEMA)) {
        throw ScimError.badRequest(
          'invalidSyntax',
          `A SearchRequest has the schema ${SEARCH_REQUEST_SCHEMA}.`,
        );
      }
      continue;
    }
    if (name === 'filter' || name === 'sortby' || name === 'sortorder') {
      if (typeof value !== 'string') throw ScimError.badRequest('invalidValue', `${key} must be a string.`);
      query[name] = value;
    } else if (name === 'startindex' || name === 'count') {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw ScimError.badRequest('invalidValue', `${key} must be an integer.`);
      }
      query[name] = String(value);
    } else if (name === 'attributes' || name === 'excludedattributes') {
      const list = Array.isArray(value) ? value : [value];
      if (!list.every((item): item is string => typeof item === 'string')) {
        throw ScimError.badRequest('invalidValue', `${key} must be a list of attribute names.`);
      }
      query[name] = list.join(',');
    } else {
      throw ScimError.badRequest('invalidSyntax', `A SearchRequest has no attribute ${key}.`);
    }
  }
  return query;
}
