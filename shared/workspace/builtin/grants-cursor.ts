/**
 * Where a paged grant read stands, as opaque page tokens (page-token.ts). The tokens carry ids only,
 * never a partition key: the keys are rebuilt from the reading instance's own workspace, so a forged
 * token cannot lead a Query into another workspace's items, and it resumes the same way whichever
 * layout (grants-layout.ts) the workspace is in by then.
 */
import { WorkspaceRejectedError } from '../workspace-error';
import { decodePageToken, encodePageToken } from './page-token';

/**
 * In `readGrants`: every grant of the groups before `group` has been returned, and of `group` those
 * of members up to `after` (none when absent); `done` means all of `group`'s too.
 */
export interface GrantsCursor {
  group: string;
  after?: string;
  done?: boolean;
}

export function encodeGrantsCursor(cursor: GrantsCursor): string {
  return encodePageToken({
    g: cursor.group,
    ...(cursor.after !== undefined ? { m: cursor.after } : {}),
    ...(cursor.done ? { d: 1 } : {}),
  }) as string;
}

export function decodeGrantsCursor(token: string | undefined): GrantsCursor | undefined {
  const raw = decodePageToken(token);
  if (raw === undefined) return undefined;
  const { g, m, d, ...rest } = raw;
  if (!isId(g) || (m !== undefined && !isId(m)) || (d !== undefined && d !== 1) || hasKeys(rest))
    throw invalidToken();
  return { group: g, ...(m !== undefined ? { after: m as string } : {}), ...(d === 1 ? { done: true } : {}) };
}

/** In `readGroupMembers`: the members of the group up to `after` have been returned. */
export function encodeMemberCursor(after: string): string {
  return encodePageToken({ m: after }) as string;
}

export function decodeMemberCursor(token: string | undefined): string | undefined {
  const raw = decodePageToken(token);
  if (raw === undefined) return undefined;
  const { m, ...rest } = raw;
  if (!isId(m) || hasKeys(rest)) throw invalidToken();
  return m;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 1024;
}

function hasKeys(value: object): boolean {
  return Object.keys(value).length > 0;
}

function invalidToken(): WorkspaceRejectedError {
  return new WorkspaceRejectedError('invalid page token', 400, 'invalid_page');
}
