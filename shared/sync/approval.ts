/**
 * An operator's approval of a refused plan (`roster sync approve RUN`). It lets the next run apply
 * a plan no larger than the refused one, once: the run that uses it deletes it, conditionally, so
 * two runs can never both spend it. It expires after a day, so an old approval never lets through
 * a plan nobody looked at recently.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../store/client';
import type { BreakerApproval } from './circuit-breaker';
import { getRun } from './run-store';
import { syncKeys } from './sync-keys';

export const APPROVAL_TTL_MS = 24 * 60 * 60 * 1000;

export class ApprovalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApprovalError';
  }
}

export async function approveRun(
  db: Db,
  connectionId: string,
  runId: string,
  nowMs: number,
): Promise<BreakerApproval> {
  const run = await getRun(db, connectionId, runId);
  if (!run) throw new ApprovalError(`no run ${runId} for connection ${connectionId}`);
  if (run.status !== 'refused' || !run.breaker) {
    throw new ApprovalError(`run ${runId} was not refused by the circuit breaker (status ${run.status})`);
  }
  const approval: BreakerApproval = {
    runId,
    memberRemovals: run.breaker.memberRemovals,
    groupDeletions: run.breaker.groupDeletions,
    revokes: run.breaker.revokes ?? 0,
    emptyRead: run.breaker.reasons.includes('emptyRead'),
  };
  await db.doc.send(
    new PutCommand({
      TableName: db.table,
      Item: {
        ...syncKeys.approval(connectionId),
        approval,
        until: nowMs + APPROVAL_TTL_MS,
        expiresAt: Math.ceil((nowMs + APPROVAL_TTL_MS) / 1000),
      },
    }),
  );
  return approval;
}

export async function readApproval(
  db: Db,
  connectionId: string,
  nowMs: number,
): Promise<BreakerApproval | undefined> {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: syncKeys.approval(connectionId), ConsistentRead: true }),
  );
  if (!out.Item || Number(out.Item.until) < nowMs) return undefined;
  return out.Item.approval as BreakerApproval;
}

/** True when this caller spent the approval; false when another run spent it first. */
export async function consumeApproval(db: Db, connectionId: string, runId: string): Promise<boolean> {
  try {
    await db.doc.send(
      new DeleteCommand({
        TableName: db.table,
        Key: syncKeys.approval(connectionId),
        ConditionExpression: 'approval.runId = :runId',
        ExpressionAttributeValues: { ':runId': runId },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
