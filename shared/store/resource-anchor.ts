/**
 * The anchor of a user or group change (see atomic-change.ts): the resource item itself, written
 * with a condition on the version the caller read, plus the writes that belong to it (guards, email
 * index items, counters, pending markers) so that they commit or fail together with it.
 */
import { ScimError } from '../scim/error';
import type { Anchor, ChangeOp } from './atomic-change';
import type { Item } from './batch';
import type { Db } from './client';
import type { Key } from './keys';
import { VersionConflictError } from './link-store';
import type { Write } from './transact';

/** Set on a resource while a multi-transaction change of it is in progress. */
export const CHANGE_TOKEN = 'changeToken';

export const VERSION_CONDITION = '#meta.#version = :version AND attribute_not_exists(changeToken)';
export const VERSION_NAMES = { '#meta': 'meta', '#version': 'version' };

export interface AnchorSpec {
  key: Key;
  id: string;
  /** The stored item the change replaces and the version it was read at; absent for a create. */
  before?: { item: Item; version: number };
  /** The item to write, given the net member-count change of the first chunk. */
  after: (delta: number) => Item;
  /** Whether later chunks move the anchor's memberCount (groups) or only check the marker (users). */
  counted: boolean;
  /** A further condition on the stored item (with its values), checked with the version. */
  condition?: { expression: string; values: Record<string, unknown> };
  related: ChangeOp[];
}

export function resourceAnchor(db: Db, spec: AnchorSpec): Anchor {
  const { key, id, before } = spec;
  const onMarkerLost = () => new VersionConflictError(id);
  const markerCondition = (token: string) => ({
    ConditionExpression: 'changeToken = :token',
    ExpressionAttributeValues: { ':token': token },
  });
  const moveCount = (delta: number, token: string, clear: boolean): Write => ({
    item: {
      Update: {
        TableName: db.table,
        Key: key,
        UpdateExpression: `ADD memberCount :delta${clear ? ' REMOVE changeToken, changeStartedAt' : ''}`,
        ConditionExpression: 'changeToken = :token',
        ExpressionAttributeValues: { ':token': token, ':delta': delta },
      },
    },
    onConditionFailed: onMarkerLost,
  });
  const checkMarker = (token: string): Write => ({
    item: { ConditionCheck: { TableName: db.table, Key: key, ...markerCondition(token) } },
    onConditionFailed: onMarkerLost,
  });

  return {
    begin(delta, token) {
      const item = {
        ...spec.after(delta),
        ...(token ? { changeToken: token, changeStartedAt: new Date().toISOString() } : {}),
      };
      const put: Write = before
        ? {
            item: {
              Put: {
                TableName: db.table,
                Item: item,
                ConditionExpression: spec.condition
                  ? `${VERSION_CONDITION} AND ${spec.condition.expression}`
                  : VERSION_CONDITION,
                ExpressionAttributeNames: VERSION_NAMES,
                ExpressionAttributeValues: { ':version': before.version, ...spec.condition?.values },
              },
            },
            onConditionFailed: () => new VersionConflictError(id),
          }
        : {
            item: {
              Put: { TableName: db.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
            },
            onConditionFailed: () => ScimError.conflict('A resource with this id already exists.'),
          };
      const undo: Write[] = !token
        ? []
        : before
          ? [{ item: { Put: { TableName: db.table, Item: before.item, ...markerCondition(token) } } }]
          : [{ item: { Delete: { TableName: db.table, Key: key, ...markerCondition(token) } } }];
      return [{ forward: [put], undo, delta: 0 }, ...spec.related];
    },
    step(delta, token, last) {
      if (spec.counted) return moveCount(delta, token, last);
      if (!last) return checkMarker(token);
      return {
        item: {
          Update: {
            TableName: db.table,
            Key: key,
            UpdateExpression: 'REMOVE changeToken, changeStartedAt',
            ...markerCondition(token),
          },
        },
        onConditionFailed: onMarkerLost,
      };
    },
    undoStep(delta, token) {
      return spec.counted ? moveCount(-delta, token, false) : checkMarker(token);
    },
  };
}
