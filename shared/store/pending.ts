/**
 * Markers of resources whose desired state has not reached the workspace yet: one item per pending
 * resource in the connection's PENDING partition, written in the same transaction as the write that
 * left the resource unapplied and removed in the same transaction as the apply that completed it.
 * The reconciler finds all of them with one Query instead of scanning resources.
 *
 * The marker's sort key is derived from the resource's `meta.lastModified`, which only resource
 * writes change (setApplyState does not), so every writer can compute the key of the current marker
 * from the record it holds, without reading it first.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client';
import { keys } from './keys';
import type { PendingRef, ResourceKind } from './link-store';
import type { ApplyState, ResourceMeta } from './record';
import type { ChangeOp } from './atomic-change';
import type { Write } from './transact';
import { decodeCursor, encodeCursor } from './opaque-cursor';

export interface PendingSubject {
  connectionId: string;
  id: string;
  meta: ResourceMeta;
  apply: ApplyState;
}

export function isPending(apply: ApplyState): boolean {
  return apply.status !== 'applied';
}

export function putMarker(db: Db, kind: ResourceKind, subject: PendingSubject): Write {
  return {
    item: {
      Put: {
        TableName: db.table,
        Item: { ...markerKey(kind, subject), kind, id: subject.id },
      },
    },
  };
}

export function deleteMarker(db: Db, kind: ResourceKind, subject: PendingSubject): Write {
  return { item: { Delete: { TableName: db.table, Key: markerKey(kind, subject) } } };
}

function markerKey(kind: ResourceKind, subject: PendingSubject) {
  return keys.pending(subject.connectionId, kind, subject.id, subject.meta.lastModified);
}

/**
 * The marker writes of a resource going from `before` to `after` (either may be absent: create,
 * delete). The old marker is deleted even when `before` says applied: the caller's copy of the
 * apply state may be older than the stored one (setApplyState does not move the version), and a
 * delete of an absent item is harmless.
 */
export function markerChange(
  db: Db,
  kind: ResourceKind,
  before: PendingSubject | undefined,
  after: PendingSubject | undefined,
): ChangeOp[] {
  if (before && after && before.meta.lastModified === after.meta.lastModified && isPending(after.apply))
    return [];
  const ops: ChangeOp[] = [];
  if (before) {
    ops.push({
      forward: [deleteMarker(db, kind, before)],
      undo: isPending(before.apply) ? [putMarker(db, kind, before)] : [],
      delta: 0,
    });
  }
  if (after && isPending(after.apply)) {
    ops.push({ forward: [putMarker(db, kind, after)], undo: [deleteMarker(db, kind, after)], delta: 0 });
  }
  return ops;
}

export async function listPendingMarkers(
  db: Db,
  connectionId: string,
  options: { limit?: number; cursor?: string },
): Promise<{ items: PendingRef[]; cursor?: string }> {
  const pk = keys.pendingPartition(connectionId);
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
  const items = (out.Items ?? []).map((item) => ({ kind: item.kind as ResourceKind, id: String(item.id) }));
  const last = out.LastEvaluatedKey?.sk;
  return { items, ...(typeof last === 'string' ? { cursor: encodeCursor(last) } : {}) };
}
