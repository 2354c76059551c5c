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

export function normalizeUserBody(input: JsonValue): NormalizedUser {
  const body = normalizeResourceBody('User', input, { active: true });
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
