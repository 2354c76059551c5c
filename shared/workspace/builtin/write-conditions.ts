/**
 * The conditions the built-in workspace writes under, as pure builders of DynamoDB expressions and
 * transaction items: the owner condition of a bound connection, the group and member checks a
 * grant commits with, and the grant's two items (the grant and its reverse item under the member).
 * Built here so that every write states its guard in one place the tests can read.
 */
import type { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { GrantsLayout } from './grants-layout';
import { keys } from './keys';

export type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** A condition on an item's owner, with the names and values it uses. */
export interface OwnerCondition {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** DynamoDB refuses empty name and value maps: only the non-empty ones are sent. */
export function expressionMaps(
  names: Record<string, string>,
  values: Record<string, unknown>,
): {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
} {
  return {
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}

/**
 * The condition every write of the bound connection carries: the object is this connection's.
 * The workspace itself (unbound) writes without one.
 */
export function ownerCondition(actor: string | undefined): OwnerCondition {
  if (actor === undefined) return { expression: 'attribute_exists(pk)', names: {}, values: {} };
  return {
    expression: '#owner = :actor',
    names: { '#owner': 'owner' },
    values: { ':actor': actor },
  };
}

/** The group exists (unless `mayBeGone`) and is this connection's. */
export function groupWritable(
  table: string,
  workspaceId: string,
  actor: string | undefined,
  groupId: string,
  options: { mayBeGone?: boolean } = {},
): TransactItem {
  const owned = ownerCondition(actor);
  const ownership = actor === undefined ? undefined : owned.expression;
  const expression = options.mayBeGone
    ? ownership === undefined
      ? undefined
      : `attribute_not_exists(pk) OR ${ownership}`
    : ownership === undefined
      ? 'attribute_exists(pk)'
      : `attribute_exists(pk) AND ${ownership}`;
  return {
    ConditionCheck: {
      TableName: table,
      Key: keys.group(workspaceId, groupId),
      // A ConditionCheck needs a condition: an unbound revoke checks only that the key is well-formed.
      ConditionExpression: expression ?? 'attribute_not_exists(pk) OR attribute_exists(pk)',
      ...(Object.keys(owned.names).length > 0 && ownership !== undefined
        ? { ExpressionAttributeNames: owned.names, ExpressionAttributeValues: owned.values }
        : {}),
    },
  };
}

/**
 * Grants are written on this condition, so none can be added to a deactivated member, nor to a
 * member another connection owns.
 */
export function memberActive(
  table: string,
  workspaceId: string,
  actor: string | undefined,
  memberId: string,
): TransactItem {
  const owned = actor === undefined ? undefined : ownerCondition(actor);
  return {
    ConditionCheck: {
      TableName: table,
      Key: keys.member(workspaceId, memberId),
      ConditionExpression: `attribute_exists(pk) AND #state = :active${owned ? ` AND ${owned.expression}` : ''}`,
      ExpressionAttributeNames: { '#state': 'state', ...owned?.names },
      ExpressionAttributeValues: { ':active': 'active', ...owned?.values },
    },
  };
}

/**
 * The grant in its group's partition (what the sync reads) and its reverse item under the member.
 * Always the per-group key, whatever the workspace's layout: a grant also in the old partition is
 * read once (group-grants-slice.ts) and removed from both (grantDeletes).
 */
export function grantPuts(
  table: string,
  workspaceId: string,
  groupId: string,
  memberId: string,
): TransactItem[] {
  return [
    {
      Put: {
        TableName: table,
        Item: { ...keys.grant(workspaceId, groupId, memberId), groupId, memberId },
      },
    },
    {
      Put: {
        TableName: table,
        Item: { ...keys.memberGrant(workspaceId, memberId, groupId), groupId, memberId },
      },
    },
  ];
}

/**
 * Deletes of every key the grant may be under, in one transaction: a revoke never leaves the grant
 * readable in either layout, and a migration moving it (grants-migration.ts) commits either before
 * (its new item is deleted here) or after (it finds the old item gone and writes nothing).
 */
export function grantDeletes(
  table: string,
  workspaceId: string,
  groupId: string,
  memberId: string,
  layout: GrantsLayout,
): TransactItem[] {
  return [
    keys.grant(workspaceId, groupId, memberId),
    keys.memberGrant(workspaceId, memberId, groupId),
    ...(layout === 1 ? [keys.legacyGrant(workspaceId, groupId, memberId)] : []),
  ].map((Key) => ({ Delete: { TableName: table, Key } }));
}
