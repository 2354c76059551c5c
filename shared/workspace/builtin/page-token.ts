/** Opaque page tokens over DynamoDB's LastEvaluatedKey, so callers never depend on key layout. */
import { WorkspaceRejectedError } from '../workspace-error';

type Key = Record<string, unknown>;

export function encodePageToken(key: Key | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export function decodePageToken(token: string | undefined): Key | undefined {
  if (token === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (key && typeof key === 'object' && !Array.isArray(key)) return key as Key;
  } catch {
    // fall through to the rejection below
  }
  throw new WorkspaceRejectedError('invalid page token', 400, 'invalid_page');
}
