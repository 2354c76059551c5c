/**
 * A Group body from a POST or PUT (or a PATCH result) in canonical form. Members are split off:
 * they are stored as items of their own, never inside the group's body.
 */
import { ScimError } from './error';
import { isJsonObject } from './json';
import type { JsonObject, JsonValue } from './json';
import { checkIdentifier, IDENTIFIER_LIMITS } from './identifier';
import { normalizeResourceBody } from './resource-body';

/** The largest group body as stored, without its members (which are items of their own). */
export const MAX_GROUP_BYTES = 100 * 1024;

export interface NormalizedMember {
  value: string;
  display?: string;
}

export interface NormalizedGroup {
  /** Without `members`. */
  body: JsonObject;
  displayName: string;
  externalId?: string;
  /** Deduplicated by value, first occurrence kept. */
  members: NormalizedMember[];
}

export function normalizeGroupBody(input: JsonValue): NormalizedGroup {
  if (!isJsonObject(input)) {
    throw ScimError.badRequest('invalidSyntax', 'The request body must be a JSON object.');
  }
  const rest: JsonObject = {};
  let members: JsonValue = null;
  for (const [key, value] of Object.entries(input)) {
    if (key.toLowerCase() === 'members') members = value;
    else rest[key] = value;
  }
  const body = normalizeResourceBody('Group', rest);
  const { displayName, externalId } = body;
  if (typeof displayName !== 'string') throw new Error('The Group schema guarantees displayName.');
  if (displayName.trim() === '') throw ScimError.badRequest('invalidValue', 'displayName must not be empty.');
  checkIdentifier('displayName', displayName, IDENTIFIER_LIMITS.displayName);
  if (typeof externalId === 'string') checkIdentifier('externalId', externalId, IDENTIFIER_LIMITS.externalId);
  const size = Buffer.byteLength(JSON.stringify(body), 'utf8');
  if (size > MAX_GROUP_BYTES) {
    throw ScimError.badRequest(
      'invalidValue',
      `The group is ${size} bytes as stored; the limit is ${MAX_GROUP_BYTES}.`,
    );
  }
  return {
    body,
    displayName,
    ...(typeof externalId === 'string' ? { externalId } : {}),
    members: normalizeMembers(members),
  };
}

function normalizeMembers(members: JsonValue): NormalizedMember[] {
  if (members === null) return [];
  const items = Array.isArray(members) ? members : [members];
  const byValue = new Map<string, NormalizedMember>();
  items.forEach((item, index) => {
    if (item === null) return;
    const member = normalizeMember(item, `members[${index}]`);
    if (!byValue.has(member.value)) byValue.set(member.value, member);
  });
  return [...byValue.values()];
}

/**
 * `$ref` and `type` are accepted and dropped: Entra sends `"$ref": null`, and the server derives
 * both from the value (only users can be members).
 */
function normalizeMember(item: JsonValue, label: string): NormalizedMember {
  if (!isJsonObject(item)) throw ScimError.badRequest('invalidValue', `${label} must be an object.`);
  let value: JsonValue | undefined;
  let display: JsonValue | undefined;
  for (const [key, field] of Object.entries(item)) {
    switch (key.toLowerCase()) {
      case 'value':
        value = field;
        break;
      case 'display':
        display = field;
        break;
      case '$ref':
      case 'type':
        break;
      default:
        throw ScimError.badRequest('invalidSyntax', `Unknown attribute "${label}.${key}".`);
    }
  }
  if (typeof value !== 'string' || value === '') {
    throw ScimError.badRequest('invalidValue', `${label}.value must be a non-empty string.`);
  }
  if (display !== undefined && display !== null && typeof display !== 'string') {
    throw ScimError.badRequest('invalidValue', `${label}.display must be a string.`);
  }
  return { value, ...(typeof display === 'string' ? { display } : {}) };
}
