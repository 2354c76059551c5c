/**
 * One TransactWriteItems call with meaningful failures: every write may say which error its failed
 * condition means (a taken userName is a 409, a moved version is a VersionConflictError), and
 * cancellations caused only by contention (another transaction on the same item, throttling) are
 * retried, because the conditions are evaluated afresh on each attempt.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteItem } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Db } from './client';

export type { TransactWriteItem };

/** DynamoDB's limit on the items of one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

export interface Write {
  item: TransactWriteItem;
  /**
   * The error a failed condition on this item means; writes without a condition leave it out. Gets
   * the item as stored when the write asked for it (`ReturnValuesOnConditionCheckFailure`).
   */
  onConditionFailed?: (stored?: Record<string, unknown>) => Error;
}

const RETRYABLE = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);
const ATTEMPTS = 5;

export async function transact(db: Db, writes: Write[]): Promise<void> {
  if (writes.length === 0) return;
  if (writes.length > MAX_TRANSACTION_ITEMS) {
    throw new Error(`a transaction holds at most ${MAX_TRANSACTION_ITEMS} items, got ${writes.length}`);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await db.doc.send(new TransactWriteCommand({ TransactItems: writes.map((w) => w.item) }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (failed >= 0) {
        const stored = reasons[failed]?.Item;
        throw writes[failed]?.onConditionFailed?.(stored ? unmarshall(stored) : undefined) ?? error;
      }
      const contended = reasons.some((r) => r.Code !== undefined && RETRYABLE.has(r.Code));
      if (!contended || attempt >= ATTEMPTS) throw error;
      await backoff(attempt);
    }
  }
}

/** Full jitter, so that writers that collided do not collide again in step. */
export function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(1000, 25 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
