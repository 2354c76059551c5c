/**
 * Markers of resources whose desired state has not reached the workspace yet: one item per pending
 * resource in the connection's PENDING partition, written in the same transaction as the write that
 * left the resource unapplied and removed in the same transaction as the apply that completed it.
 * The reconciler finds all of them with one Query instead of scanning resources.
 *
 * The marker's key is the resource's kind and id, so every writer can compute it from the record
 * it holds, without reading it first, and a marker can never be stranded under an old key.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client';
import { keys } from './keys';
import type { PendingRef, ResourceKind } from './link-store';
import type { ApplyState } from './record';
import type { ChangeOp } from './atomic-change';
import type { Write } from './transact';
import { decodeCursor, encodeCursor } from './opaque-cursor';

export interface PendingSubject {
  connectionId: string;
  id: string;
  apply: ApplyState;
}

export function isPending(apply: ApplyState): boolean {
  return apply.status !== 'applied';
}

/** How long a write the stream has not applied yet is left to the stream before the retry pass takes it. */
export const STREAM_GRACE_MS = 30_000;
/** The retry pass's backoff after the n-th failed attempt: 1 s, 2 s, 4 s… at most 15 s. */
export function backoffMs(attempts: number): number {
  return Math.min(15_000, 1_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * When the retry pass may take the resource (shared/apply/retry-pending.ts): after a failed
 * attempt, its backoff; a write not attempted yet belongs to the stream-fed apply for a grace
 * period first, so that the two do not apply one resource side by side.
 */
export function retryAtOf(apply: ApplyState, now = Date.now()): string {
  const attempted = apply.attemptedAt === undefined ? Number.NaN : Date.parse(apply.attemptedAt);
  if (apply.attempts === 0 || Number.isNaN(attempted)) return new Date(now + STREAM_GRACE_MS).toISOString();
  return new Date(attempted + backoffMs(apply.attempts)).toISOString();
}

/**
 * Writes the marker; `since` keeps the time the resource first stopped being applied, however often
 * it is written or attempted meanwhile, so the retry pass can tell how long a change has waited.
 */
export function putMarker(db: Db, kind: ResourceKind, subject: PendingSubject): Write {
  const now = Date.now();
  // A write after a hold makes the resource an ordinary pending one again (see putHeldMarker).
  return markerUpdate(db, kind, subject, 'since = if_not_exists(since, :now) REMOVE held, heldSince', {
    ':retryAt': retryAtOf(subject.apply, now),
    ':now': new Date(now).toISOString(),
  });
}

/** How long a resource held back by the rollout settings waits before the retry pass looks again. */
export const HELD_RECHECK_MS = 60 * 60_000;

/**
 * The marker of a resource the rollout settings hold back (outside the pilot scope, released, a
 * takeover awaiting approval): not a change waiting for the workspace but a decision an operator
 * made, so it is not counted as pending for the age alarm or the retry pass's "keep passing". It
 * names the settings' version it was held under: the retry pass takes it again as soon as the
 * settings move (the scope is widened, a takeover approved), and otherwise once an hour.
 */
export function putHeldMarker(
  db: Db,
  kind: ResourceKind,
  subject: Pick<PendingSubject, 'connectionId' | 'id'>,
  rolloutVersion: number,
  now: Date,
): Write {
  return markerUpdate(
    db,
    kind,
    subject,
    'held = :held, heldSince = if_not_exists(heldSince, :now) REMOVE since',
    {
      ':retryAt': new Date(now.getTime() + HELD_RECHECK_MS).toISOString(),
      ':held': rolloutVersion,
      ':now': now.toISOString(),
    },
  );
}

/** The marker's update: its kind, id and `retryAt`, then `rest` (more SETs, then a REMOVE). */
function markerUpdate(
  db: Db,
  kind: ResourceKind,
  subject: Pick<PendingSubject, 'connectionId' | 'id'>,
  rest: string,
  values: Record<string, unknown> & { ':retryAt': string },
): Write {
  return {
    item: {
      Update: {
        TableName: db.table,
        Key: markerKey(kind, subject),
        UpdateExpression: `SET kind = :kind, id = :id, retryAt = :retryAt, ${rest}`,
        ExpressionAttributeValues: { ':kind': kind, ':id': subject.id, ...values },
      },
    },
  };
}

export function deleteMarker(db: Db, kind: ResourceKind, subject: PendingSubject): Write {
  return { item: { Delete: { TableName: db.table, Key: markerKey(kind, subject) } } };
}

function markerKey(kind: ResourceKind, subject: Pick<PendingSubject, 'connectionId' | 'id'>) {
  return keys.pending(subject.connectionId, kind, subject.id);
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
  const wasPending = before !== undefined && isPending(before.apply);
  // The key does not move: a resource that stays pending keeps its marker (the put overwrites it).
  if (after && isPending(after.apply)) {
    return [
      {
        forward: [putMarker(db, kind, after)],
        undo: wasPending ? [] : [deleteMarker(db, kind, after)],
        delta: 0,
      },
    ];
  }
  if (before) {
    return [
      {
        forward: [deleteMarker(db, kind, before)],
        undo: wasPending ? [putMarker(db, kind, before)] : [],
        delta: 0,
      },
    ];
  }
  return [];
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
  const items = (out.Items ?? []).map((item) => ({
    kind: item.kind as ResourceKind,
    id: String(item.id),
    ...(typeof item.retryAt === 'string' ? { retryAt: item.retryAt } : {}),
    ...(typeof item.since === 'string' ? { since: item.since } : {}),
    ...(typeof item.held === 'number' ? { heldAtVersion: item.held } : {}),
  }));
  const last = out.LastEvaluatedKey?.sk;
  return { items, ...(typeof last === 'string' ? { cursor: encodeCursor(last) } : {}) };
}

/**
 * How many resources of the connection are not yet applied (pending or failed), and how many of
 * those the rollout settings hold back: one COUNT Query a page (the filter counts the held ones,
 * the scanned count all of them).
 */
export async function countPendingMarkers(
  db: Db,
  connectionId: string,
): Promise<{ total: number; held: number }> {
  let total = 0;
  let held = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'attribute_exists(held)',
        ExpressionAttributeValues: { ':pk': keys.pendingPartition(connectionId) },
        Select: 'COUNT',
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    total += out.ScannedCount ?? 0;
    held += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return { total, held };
}
