/**
 * Reads a SCIM attribute from a stored body by name, case-insensitively: RFC 7643 §2.1 makes
 * attribute names case-insensitive, and OneLogin templates send `Emails` or `Name.GivenName`.
 */
import type { JsonObject, JsonValue } from '../scim/json';
import { isJsonObject } from '../scim/json';

export function bodyAttribute(body: JsonObject, name: string): JsonValue | undefined {
  if (name in body) return body[name];
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(body)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export function bodyString(body: JsonObject, name: string): string | undefined {
  const value = bodyAttribute(body, name);
  return typeof value === 'string' ? value : undefined;
}

export function bodyObject(body: JsonObject, name: string): JsonObject | undefined {
  const value = bodyAttribute(body, name);
  return isJsonObject(value) ? value : undefined;
}
