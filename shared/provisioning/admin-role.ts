/**
 * Rule: the role `admin` makes the member a workspace admin, whether it arrives as a core `roles`
 * value or as the workspace extension's `role` (Okta sends the latter when a group assignment sets
 * it). Only `admin` counts, case-insensitively; any other role is ignored, and a user without it is
 * not an admin, so removing the role demotes the member.
 */
import { ROSTER_USER_SCHEMA } from '../scim/schemas/attribute';
import type { JsonObject, JsonValue } from '../scim/json';
import { isJsonObject } from '../scim/json';
import { bodyAttribute, bodyObject } from './body-attribute';

const ADMIN = 'admin';

export function isAdmin(body: JsonObject): boolean {
  const extension = bodyObject(body, ROSTER_USER_SCHEMA);
  if (extension && isAdminValue(bodyAttribute(extension, 'role'))) return true;
  const roles = bodyAttribute(body, 'roles');
  const entries = Array.isArray(roles) ? roles : roles === undefined ? [] : [roles];
  return entries.some((entry) => isAdminValue(isJsonObject(entry) ? bodyAttribute(entry, 'value') : entry));
}

function isAdminValue(value: JsonValue | undefined): boolean {
  return typeof value === 'string' && value.trim().toLowerCase() === ADMIN;
}
