/**
 * Rule: the workspace's full name is givenName and familyName joined by a space. When the IdP
 * sends neither, the displayName stands in, then the userName, so that a member never has an
 * empty name.
 */
import type { JsonObject } from '../scim/json';
import { bodyObject, bodyString } from './body-attribute';

export function fullName(body: JsonObject, userName: string): string {
  const name = bodyObject(body, 'name');
  const joined = [name && bodyString(name, 'givenName'), name && bodyString(name, 'familyName')]
    .map((part) => part?.trim() ?? '')
    .filter((part) => part !== '')
    .join(' ');
  if (joined !== '') return joined;
  const displayName = bodyString(body, 'displayName')?.trim();
  if (displayName) return displayName;
  return userName.trim();
}
