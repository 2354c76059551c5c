/**
 * Runs of one connection never overlap: a run holds the connection's lease item, taken with a
 * conditional put that succeeds only when the lease is free, expired, or already held by the same
 * run (a run resuming from its checkpoint). The expiry bounds how long a crashed run can block the
 * next one; `expiresAt` (epoch seconds) lets DynamoDB's TTL clear old items, while the condition
 * compares `until` (epoch milliseconds) because TTL deletion is lazy.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../store/client';
import { syncKeys } from './sync-keys';

/** Longer than Lambda's 15-minute limit, so an invocation never outlives its lease. */
export const LEASE_MS = 16 * 60 * 1000;

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** True when the lease is now held by `runId` until `nowMs + durationMs`. */
export async function acquireLease(
  db: Db,
  connectionId: string,
  runId: string,
  nowMs: number,
  durationMs = LEASE_MS,
): Promise<boolean> {
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: {
          ...syncKeys.lease(connectionId),
          runId,
          until: nowMs + durationMs,
          expiresAt: Math.ceil((nowMs + durationMs) / 1000) + 3600,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR runId = :runId OR #until < :now',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':runId': runId, ':now': nowMs },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Releases the lease if `runId` still holds it; a lease taken over after expiry is left alone. */
export async function releaseLease(db: Db, connectionId: string, runId: string): Promise<void> {
  try {
    await db.doc.send(
      new DeleteCommand({
        TableName: db.table,
        Key: syncKeys.lease(connectionId),
        ConditionExpression: 'runId = :runId',
        ExpressionAttributeValues: { ':runId': runId },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
