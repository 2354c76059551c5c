/**
 * Group membership: one item per member in the group's MEMBERS partition (sort key = user id), and
 * its reverse item in the user's GROUPS partition (sort key = group id), written and deleted in the
 * same transaction, so that the groups of a user are one strongly consistent Query (an eventually
 * consistent index could hide a membership from a deactivation). Adding or removing k members
 * writes O(k) items, whatever the group's size, and a page of members reads only that page.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { groupAuditStamp } from '../audit/audit-context';
import type { ChangeOp } from './atomic-change';
import { batchGet } from './batch';
import type { Item } from './batch';
import type { Db } from './client';
import { keys } from './keys';
import { VersionConflictError } from './link-store';
import type { MemberRecord } from './record';
import type { Write } from './transact';
import { decodeCursor, encodeCursor } from './opaque-cursor';

export function memberItem(connectionId: string, member: MemberRecord): Item {
  return {
    ...keys.member(connectionId, member.groupId, member.userId),
    groupId: member.groupId,
    userId: member.userId,
    ...(member.display === undefined ? {} : { display: member.display }),
  };
}

export function memberFromItem(item: Item): MemberRecord {
  const member = item as unknown as MemberRecord;
  return {
    groupId: member.groupId,
    userId: member.userId,
    ...(member.display === undefined ? {} : { display: member.display }),
  };
}

/** The reverse item: the membership seen from the user. */
export function reverseKey(connectionId: string, groupId: string, userId: string) {
  return { pk: keys.groupsOfUser(connectionId, userId), sk: groupId };
}

/** A conflicting membership write means the group's members moved since the caller read them. */
function putMember(db: Db, connectionId: string, member: MemberRecord, conditional: boolean): Write[] {
  return [
    {
      item: {
        Put: {
          TableName: db.table,
          Item: memberItem(connectionId, member),
          ...(conditional ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
        },
      },
      onConditionFailed: () => new VersionConflictError(member.groupId),
    },
    {
      item: {
        Put: {
          TableName: db.table,
          Item: {
            ...reverseKey(connectionId, member.groupId, member.userId),
            groupId: member.groupId,
            userId: member.userId,
            ...(member.display === undefined ? {} : { display: member.display }),
          },
        },
      },
    },
  ];
}

function deleteMember(
  db: Db,
  connectionId: string,
  groupId: string,
  userId: string,
  conditional: boolean,
): Write[] {
  return [
    {
      item: {
        Delete: {
          TableName: db.table,
          Key: keys.member(connectionId, groupId, userId),
          ...(conditional ? { ConditionExpression: 'attribute_exists(pk)' } : {}),
        },
      },
      onConditionFailed: () => new VersionConflictError(groupId),
    },
    { item: { Delete: { TableName: db.table, Key: reverseKey(connectionId, groupId, userId) } } },
  ];
}

/**
 * The user's side of an add: its item's membership revision (`groupRev`) moves, on the condition
 * that the user exists, is active and is not in the middle of a multi-transaction change, in the
 * same transaction as the member item. So a deactivated or deleted user can never be added,
 * whatever the interleaving; and a deactivation or deletion, conditioned on the revision it read
 * beside the memberships it removes, fails (and is retried) when a membership was added after it
 * looked, so it never leaves one behind.
 */
function addedToGroup(db: Db, connectionId: string, userId: string): Write {
  return {
    item: {
      Update: {
        TableName: db.table,
        Key: keys.user(connectionId, userId),
        UpdateExpression: 'ADD groupRev :one',
        ConditionExpression: 'attribute_exists(pk) AND active = :true AND attribute_not_exists(changeToken)',
        ExpressionAttributeValues: { ':one': 1, ':true': true },
      },
    },
    // The endpoint re-reads the users and answers why (unknown or deactivated) on the retry.
    onConditionFailed: () => new VersionConflictError(userId),
  };
}

/** Adding a member to a group whose item is the anchor (the anchor absorbs the count). */
export function addMemberOp(db: Db, connectionId: string, member: MemberRecord): ChangeOp {
  return {
    forward: [...putMember(db, connectionId, member, true), addedToGroup(db, connectionId, member.userId)],
    undo: deleteMember(db, connectionId, member.groupId, member.userId, false),
    delta: 1,
  };
}

/** `original` is the stored member, needed only to undo the removal of a multi-transaction change. */
export function removeMemberOp(db: Db, connectionId: string, original: MemberRecord): ChangeOp {
  return {
    forward: deleteMember(db, connectionId, original.groupId, original.userId, true),
    undo: putMember(db, connectionId, original, false),
    delta: -1,
  };
}

/**
 * Removing a user from a group whose item is not the anchor (deactivation, user delete): the group's
 * count moves here, and its version too, because its members (and so its ETag) changed. A group
 * in the middle of a multi-transaction change refuses (marker condition) rather than interleave.
 */
export function leaveGroupOp(db: Db, connectionId: string, member: MemberRecord, now: string): ChangeOp {
  const group = (delta: number, conditional: boolean): Write => ({
    item: {
      Update: {
        TableName: db.table,
        Key: keys.group(connectionId, member.groupId),
        UpdateExpression:
          'SET #meta.#version = #meta.#version + :one, #meta.#lm = :now, audit = :audit ADD memberCount :delta',
        ...(conditional
          ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(changeToken)' }
          : {}),
        ExpressionAttributeNames: { '#meta': 'meta', '#version': 'version', '#lm': 'lastModified' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':now': now,
          ':delta': delta,
          // Who took the user out of the group (shared/audit/).
          ':audit': delta < 0 ? groupAuditStamp([], [member.userId]) : groupAuditStamp([member.userId]),
        },
      },
    },
    onConditionFailed: () => new VersionConflictError(member.groupId),
  });
  return {
    forward: [...deleteMember(db, connectionId, member.groupId, member.userId, true), group(-1, true)],
    undo: [...putMember(db, connectionId, member, false), group(1, false)],
    delta: 0,
  };
}

/** A membership left behind by a deleted group (see deleteGroup): only the item itself goes. */
export function dropOrphanOp(db: Db, connectionId: string, member: MemberRecord): ChangeOp {
  return {
    forward: deleteMember(db, connectionId, member.groupId, member.userId, false),
    undo: putMember(db, connectionId, member, false),
    delta: 0,
  };
}

export async function getMembers(
  db: Db,
  connectionId: string,
  groupId: string,
  userIds: string[],
): Promise<MemberRecord[]> {
  const found = await batchGet(
    db,
    userIds.map((userId) => keys.member(connectionId, groupId, userId)),
  );
  return found.map(memberFromItem);
}

export async function listMemberPage(
  db: Db,
  connectionId: string,
  groupId: string,
  options: { limit?: number; cursor?: string },
): Promise<{ members: MemberRecord[]; cursor?: string }> {
  const pk = keys.membersPartition(connectionId, groupId);
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
      Limit: options.limit ?? 100,
      ...(after === undefined ? {} : { ExclusiveStartKey: { pk, sk: after } }),
    }),
  );
  const last = out.LastEvaluatedKey?.sk;
  return {
    members: (out.Items ?? []).map(memberFromItem),
    ...(typeof last === 'string' ? { cursor: encodeCursor(last) } : {}),
  };
}

/** Every membership of a user, from its reverse items, strongly consistent. */
export async function membershipsOfUser(
  db: Db,
  connectionId: string,
  userId: string,
): Promise<MemberRecord[]> {
  const members: MemberRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.groupsOfUser(connectionId, userId) },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    members.push(...(out.Items ?? []).map(memberFromItem));
    start = out.LastEvaluatedKey;
  } while (start);
  return members;
}

/** Splits memberships into those of groups that still exist and those a group delete left behind. */
export async function partitionByLiveGroup(
  db: Db,
  connectionId: string,
  members: MemberRecord[],
): Promise<{ live: MemberRecord[]; orphaned: MemberRecord[] }> {
  if (members.length === 0) return { live: [], orphaned: [] };
  const groups = await batchGet(
    db,
    members.map((m) => keys.group(connectionId, m.groupId)),
    ['id'],
  );
  const alive = new Set(groups.map((g) => String(g.id)));
  return {
    live: members.filter((m) => alive.has(m.groupId)),
    orphaned: members.filter((m) => !alive.has(m.groupId)),
  };
}
