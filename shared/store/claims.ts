/**
 * Workspace claims: which connection, and which of its resources, holds a workspace-wide value. One
 * workspace can be bound to several connections (two IdPs, or a second connection issued by
 * `roster token issue`), so the values that link to workspace objects are unique per workspace,
 * not per connection:
 *
 * - a user's primary email (the key that links a user to an account): two users, of one connection
 *   or of two, can never resolve to one workspace account;
 * - a group's display name (the key that links a group to a workspace group).
 *
 * A claim is an item written in the same transaction as the resource that holds it, put on the
 * condition that nobody else holds it: a taken value cancels the whole write (409 `uniqueness`,
 * nothing written), whatever the interleaving. These are the only items outside a connection's
 * `C#<id>#` key space; they carry nothing but the holder's connection and resource ids, and no
 * SCIM read ever returns them.
 */
import { ScimError } from '../scim/error';
import type { ChangeOp } from './atomic-change';
import type { Db } from './client';
import type { Key } from './keys';
import { VersionConflictError } from './link-store';
import type { WorkspaceClaim } from './record';
import type { Write } from './transact';

const KIND_PREFIX: Record<WorkspaceClaim['kind'], string> = { email: 'EMAIL', groupName: 'GNAME' };

/** The workspace binding is escaped so that no `#` in it can shift the key's parts. */
export function claimKey(claim: WorkspaceClaim): Key {
  return {
    pk: `O#${encodeURIComponent(claim.workspace)}#${KIND_PREFIX[claim.kind]}#${claim.value}`,
    sk: '#',
  };
}

export interface ClaimHolder {
  connectionId: string;
  resourceId: string;
}

function refusal(claim: WorkspaceClaim, holder: ClaimHolder, stored?: Record<string, unknown>): Error {
  const sameConnection = stored?.connectionId === holder.connectionId;
  if (claim.kind === 'email') {
    // No email and nothing of the other connection in the message: it reaches the IdP's logs.
    return sameConnection
      ? ScimError.conflict(
          'Another user of this connection has the same primary email; two users cannot share one workspace account.',
        )
      : ScimError.conflict('The workspace account with this primary email is managed by another connection.');
  }
  return sameConnection
    ? ScimError.conflict('A group with this displayName already exists.')
    : ScimError.conflict('The workspace group with this displayName is managed by another connection.');
}

export function putClaim(db: Db, claim: WorkspaceClaim, holder: ClaimHolder): Write {
  return {
    item: {
      Put: {
        TableName: db.table,
        Item: { ...claimKey(claim), ...holder },
        ConditionExpression:
          'attribute_not_exists(pk) OR (connectionId = :connection AND resourceId = :resource)',
        ExpressionAttributeValues: { ':connection': holder.connectionId, ':resource': holder.resourceId },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    onConditionFailed: (stored) => refusal(claim, holder, stored),
  };
}

/** Releases only a claim this resource holds, so a stale writer can never free another's value. */
export function releaseClaim(db: Db, claim: WorkspaceClaim, holder: ClaimHolder): Write {
  return {
    item: {
      Delete: {
        TableName: db.table,
        Key: claimKey(claim),
        ConditionExpression:
          'attribute_not_exists(pk) OR (connectionId = :connection AND resourceId = :resource)',
        ExpressionAttributeValues: { ':connection': holder.connectionId, ':resource': holder.resourceId },
      },
    },
    onConditionFailed: () => new VersionConflictError(holder.resourceId),
  };
}

const same = (a: WorkspaceClaim | undefined, b: WorkspaceClaim | undefined) =>
  a?.workspace === b?.workspace && a?.kind === b?.kind && a?.value === b?.value;

/** The writes that move a resource's claim from `before` to `after` (either absent), as change ops. */
export function claimChange(
  db: Db,
  holder: ClaimHolder,
  before: WorkspaceClaim | undefined,
  after: WorkspaceClaim | undefined,
): ChangeOp[] {
  if (same(before, after)) return [];
  const ops: ChangeOp[] = [];
  if (before) {
    ops.push({
      forward: [releaseClaim(db, before, holder)],
      undo: [putClaim(db, before, holder)],
      delta: 0,
    });
  }
  if (after) {
    ops.push({ forward: [putClaim(db, after, holder)], undo: [releaseClaim(db, after, holder)], delta: 0 });
  }
  return ops;
}
