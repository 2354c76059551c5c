/** A User body from a POST or PUT (or a PATCH result) in canonical form, with its indexed fields. */
import { ScimError } from './error';
import { isJsonObject } from './json';
import type { JsonObject, JsonValue } from './json';
import { checkIdentifier, IDENTIFIER_LIMITS } from './identifier';
import { normalizeResourceBody } from './resource-body';

/**
 * The largest user, as stored (its normalised body in bytes of JSON): a DynamoDB item holds at
 * most 400 KB, and the item carries the apply state and keys beside the body.
 */
export const MAX_USER_BYTES = 100 * 1024;
/**
 * The most email addresses one user may have. Each is an index item written in the user's own
 * transaction (100 items at most): a PUT that replaces every address deletes 40 and puts 40, with
 * the user, its guards, its claim, the counter and the pending marker beside them.
 */
export const MAX_EMAILS = 40;

export interface NormalizedUser {
  body: JsonObject;
  userName: string;
  externalId?: string;
  active: boolean;
  /** Lower-cased values, for `emails.value eq …` lookups. */
  emails: string[];
}

/**
 * `active` defaults to true for a create. A PUT or PATCH passes the stored value instead, so that
 * removing `active` (PATCH `remove`) or leaving it out of a PUT never reactivates a deactivated
 * user: reactivation is always an explicit `active: true`.
 */
export function normalizeUserBody(
  input: JsonValue,
  defaults: { active: boolean } = { active: true },
): NormalizedUser {
  const body = normalizeResourceBody('User', input, { active: defaults.active });
  const { userName, externalId, active, emails } = body;
  if (typeof userName !== 'string' || typeof active !== 'boolean') {
    throw new Error('The User schema guarantees userName and active.');
  }
  if (userName.trim() === '') throw ScimError.badRequest('invalidValue', 'userName must not be empty.');
  checkIdentifier('userName', userName, IDENTIFIER_LIMITS.userName);
  if (typeof externalId === 'string') checkIdentifier('externalId', externalId, IDENTIFIER_LIMITS.externalId);
  if (Array.isArray(emails)) {
    if (emails.length > MAX_EMAILS) {
      throw ScimError.badRequest('invalidValue', `A user may have at most ${MAX_EMAILS} emails.`);
    }
    for (const [index, email] of emails.entries()) {
      if (isJsonObject(email) && typeof email.value === 'string') {
        checkIdentifier(`emails[${index}].value`, email.value, IDENTIFIER_LIMITS.email);
      }
    }
  }
  const size = Buffer.byteLength(JSON.stringify(body), 'utf8');
  if (size > MAX_USER_BYTES) {
    throw ScimError.badRequest(
      'invalidValue',
      `The user is ${size} bytes as stored; the limit is ${MAX_USER_BYTES}.`,
    );
  }
  return {
    body,
    userName,
    ...(typeof externalId === 'string' ? { externalId } : {}),
    active,
    emails: emailValues(emails),
  };
}

function emailValues(emails: JsonValue | undefined): string[] {
  if (!Array.isArray(emails)) return [];
  const values = emails.flatMap((email) =>
    isJsonObject(email) && typeof email.value === 'string' ? [email.value.toLowerCase()] : [],
  );
  return [...new Set(values)];
}
