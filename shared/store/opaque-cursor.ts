/**
 * Cursors handed to callers carry only a sort key. The partition key is always rebuilt from the
 * caller's own connection, so a forged cursor cannot lead a query into another connection's data.
 */
import { ScimError } from '../scim/error';

export function encodeCursor(sortKey: string): string {
  return Buffer.from(JSON.stringify({ sk: sortKey }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && 'sk' in value && typeof value.sk === 'string') {
      return value.sk;
    }
  } catch {
    // fall through to the SCIM error below
  }
  throw ScimError.badRequest('invalidValue', 'The paging cursor is not valid.');
}
