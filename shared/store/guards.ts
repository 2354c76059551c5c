/**
 * Uniqueness guards: one item per guarded value, holding the id of the resource that owns it, written
 * in the same transaction as the resource. A put conditioned on attribute_not_exists makes the
 * whole transaction fail when the value is taken, which is how a duplicate becomes a 409 without a
 * read-then-write race.
 */
import { ScimError } from '../scim/error';
import { canonicalIdentifier } from '../scim/identifier';
import type { Db } from './client';
import { keys } from './keys';
import type { GuardKind } from './keys';
import { VersionConflictError } from './link-store';
import type { ChangeOp } from './atomic-change';
import type { Write } from './transact';

const ATTRIBUTE: Record<GuardKind, string> = {
  userName: 'userName',
  userExternalId: 'externalId',
  groupDisplayName: 'displayName',
  groupExternalId: 'externalId',
};

/**
 * userName and displayName are unique case-insensitively (RFC 7643 §4.1.1 caseExact false) and in
 * NFC, so the NFC and NFD spellings of one name are one name; externalId is case-exact.
 */
export function guardValue(kind: GuardKind, value: string): string {
  return kind === 'userName' || kind === 'groupDisplayName' ? canonicalIdentifier(value) : value;
}

export function guardKey(connectionId: string, kind: GuardKind, value: string) {
  return keys.guard(connectionId, kind, guardValue(kind, value));
}

export function claimGuard(db: Db, connectionId: string, kind: GuardKind, value: string, id: string): Write {
  const resource = kind.startsWith('user') ? 'user' : 'group';
  return {
    item: {
      Put: {
        TableName: db.table,
        Item: { ...guardKey(connectionId, kind, value), id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    onConditionFailed: () => ScimError.conflict(`A ${resource} with this ${ATTRIBUTE[kind]} already exists.`),
  };
}

/** Only releases a guard that still points at this resource, so a stale caller can never free someone else's value. */
export function releaseGuard(
  db: Db,
  connectionId: string,
  kind: GuardKind,
  value: string,
  id: string,
): Write {
  return {
    item: {
      Delete: {
        TableName: db.table,
        Key: guardKey(connectionId, kind, value),
        ConditionExpression: 'attribute_not_exists(pk) OR id = :id',
        ExpressionAttributeValues: { ':id': id },
      },
    },
    onConditionFailed: () => new VersionConflictError(id),
  };
}

/** Moves a guard from one value to another atomically; nothing when the guarded value is unchanged. */
export function guardSwap(
  db: Db,
  connectionId: string,
  kind: GuardKind,
  id: string,
  before: string | undefined,
  after: string | undefined,
): ChangeOp[] {
  const same =
    before !== undefined && after !== undefined && guardValue(kind, before) === guardValue(kind, after);
  if (same || (before === undefined && after === undefined)) return [];
  const ops: ChangeOp[] = [];
  if (before !== undefined) {
    ops.push({
      forward: [releaseGuard(db, connectionId, kind, before, id)],
      undo: [claimGuard(db, connectionId, kind, before, id)],
      delta: 0,
    });
  }
  if (after !== undefined) {
    ops.push({
      forward: [claimGuard(db, connectionId, kind, after, id)],
      undo: [releaseGuard(db, connectionId, kind, after, id)],
      delta: 0,
    });
  }
  return ops;
}
