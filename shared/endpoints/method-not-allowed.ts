import { ScimError } from '../scim/error';

export function methodNotAllowed(method: string, path: string, allow: string[]): ScimError {
  return new ScimError(405, `${method} is not supported on ${path}.`, undefined, { Allow: allow.join(', ') });
}
