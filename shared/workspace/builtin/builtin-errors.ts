/**
 * The built-in workspace's refusals, each a WorkspaceRejectedError with a stable code, and the test
 * that tells a refused DynamoDB condition from any other failure. No message names another
 * connection or an object's email: they are logged and kept in apply state.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { WorkspaceRejectedError } from '../workspace-error';

export function isConditionFailure(error: unknown, index?: number): boolean {
  if (error instanceof TransactionCanceledException) {
    const reasons = error.CancellationReasons ?? [];
    return index === undefined
      ? reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')
      : reasons[index]?.Code === 'ConditionalCheckFailed';
  }
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

export function notFound(kind: 'member' | 'group', id: string): WorkspaceRejectedError {
  return new WorkspaceRejectedError(`${kind} ${id} not found`, 404, 'not_found');
}

export function everyoneIsReadOnly(): WorkspaceRejectedError {
  return new WorkspaceRejectedError(
    'the Everyone group belongs to the workspace: it cannot be renamed, deleted, granted or revoked',
    400,
    'everyone_read_only',
  );
}

/** No message names the other connection or the object's email: it is logged and kept in apply state. */
export function ownedByOther(kind: 'member' | 'group', id: string): WorkspaceRejectedError {
  return new WorkspaceRejectedError(
    `${kind} ${id} is managed by another connection`,
    409,
    'owned_by_other_connection',
  );
}
