/**
 * BatchGetItem and BatchWriteItem with their limits (100 keys, 25 writes) and their partial results
 * (unprocessed keys are retried with backoff until done, or, for a write given `maxAttempts`, until
 * that many calls left some unprocessed: then `UnprocessedWritesError`).
 */
import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client';
import type { Key } from './keys';
import { backoff } from './transact';

export type Item = Record<string, unknown>;

const GET_LIMIT = 100;
const WRITE_LIMIT = 25;

function chunks<T>(values: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** Strongly consistent; items come back in no particular order, missing keys are left out. */
export async function batchGet(db: Db, keyList: Key[], projection?: string[]): Promise<Item[]> {
  const found: Item[] = [];
  const unique = [...new Map(keyList.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  await Promise.all(
    chunks(unique, GET_LIMIT).map(async (chunk) => {
      let pending: Key[] = chunk;
      for (let attempt = 1; pending.length > 0; attempt++) {
        const out = await db.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [db.table]: {
                Keys: pending,
                ConsistentRead: true,
                ...(projection
                  ? {
                      ProjectionExpression: projection.map((_, i) => `#p${i}`).join(', '),
                      ExpressionAttributeNames: Object.fromEntries(
                        projection.map((name, i) => [`#p${i}`, name]),
                      ),
                    }
                  : {}),
              },
            },
          }),
        );
        found.push(...((out.Responses?.[db.table] ?? []) as Item[]));
        pending = (out.UnprocessedKeys?.[db.table]?.Keys ?? []) as Key[];
        if (pending.length > 0) await backoff(attempt);
      }
    }),
  );
  return found;
}

/** The table kept leaving writes unprocessed for `maxAttempts` calls. */
export class UnprocessedWritesError extends Error {
  constructor(readonly attempts: number) {
    super(`writes left unprocessed by the table after ${attempts} calls`);
    this.name = 'UnprocessedWritesError';
  }
}

/** Not atomic: only for items whose leftovers readers already tolerate (see deleteGroup). */
export function batchDelete(db: Db, keyList: Key[], options: { maxAttempts?: number } = {}): Promise<void> {
  return batchWrite(
    db,
    keyList.map((Key) => ({ DeleteRequest: { Key } })),
    options.maxAttempts,
  );
}

/** Not atomic: for items that are whole on their own and idempotent to write again (the audit trail). */
export function batchPut(db: Db, items: Item[]): Promise<void> {
  return batchWrite(
    db,
    items.map((Item) => ({ PutRequest: { Item } })),
  );
}

type WriteRequest = { DeleteRequest: { Key: Key } } | { PutRequest: { Item: Item } };

async function batchWrite(
  db: Db,
  requests: WriteRequest[],
  maxAttempts = Number.POSITIVE_INFINITY,
): Promise<void> {
  for (const chunk of chunks(requests, WRITE_LIMIT)) {
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAttempts) throw new UnprocessedWritesError(maxAttempts);
      const out = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.table]: pending } }));
      pending = (out.UnprocessedItems?.[db.table] ?? []) as WriteRequest[];
      if (pending.length > 0) await backoff(attempt);
    }
  }
}
