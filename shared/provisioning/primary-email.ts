/**
 * Rule: a user is linked to an existing workspace account by its primary email. The primary email
 * is the one marked `primary: true`, else the `work` one, else the first, else the userName when it
 * is an email (Okta recommends userName = email and some IdPs send no `emails` at all). Lower-cased,
 * because the workspace compares emails case-insensitively.
 */
import type { JsonObject } from '../scim/json';
import { isJsonObject } from '../scim/json';
import { bodyAttribute } from './body-attribute';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function primaryEmail(body: JsonObject, userName: string): string | undefined {
  const raw = bodyAttribute(body, 'emails');
  // OneLogin templates may send a single object instead of an array.
  const entries = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(isJsonObject);
  const withValue = entries.filter((entry) => typeof bodyAttribute(entry, 'value') === 'string');
  const pick =
    withValue.find((entry) => isTrue(bodyAttribute(entry, 'primary'))) ??
    withValue.find((entry) => String(bodyAttribute(entry, 'type') ?? '').toLowerCase() === 'work') ??
    withValue[0];
  const value = pick ? String(bodyAttribute(pick, 'value')).trim() : userName.trim();
  if (!EMAIL.test(value)) return undefined;
  return value.toLowerCase();
}

function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}
