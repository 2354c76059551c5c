/** A User body from a POST or PUT (or a PATCH result) in canonical form, with its indexed fields. */
import { ScimError } from './error';
import { isJsonObject } from './json';
import type { JsonObject, JsonValue } from './json';
import { normalizeResourceBody } from './resource-body';

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
