/**
 * BatchGetItem and BatchWriteItem with their limits (100 keys, 25 writes) and their partial results.
 * Keys or writes the table leaves unprocessed (throttling, a hot partition) are sent again with
 * backoff, and the attempts are bounded: after `maxAttempts` calls (default BATCH_ATTEMPTS) that
 * still left some unprocessed, the call fails with `UnprocessedReadsError` or
 * `UnprocessedWritesError` instead of retrying until the function times out.
 *
 * A read never returns a partial result: callers take a missing key to mean the item does not
 * exist (a deleted group, an unknown user), so a read whose keys could not all be read throws.
 * A write that fails may have written some of its items (earlier calls, earlier chunks): callers
 * use it only for items whose leftovers readers tolerate (deleteGroup) or that are idempotent to
 * write again (the audit trail), and say what a failure means for them. The HTTP error mapping
 * answers either error with 503 and Retry-After (shared/http/error-middleware.ts).
 */
import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client';
import type { Key } from './keys';
import { backoff } from './transact';

export type Item = Record<string, unknown>;

const GET_LIMIT = 100;
const WRITE_LIMIT = 25;

/**
 * Calls per chunk before giving up on what the table leaves unprocessed. With the backoff of
 * transact.ts (full jitter, 50 ms doubling to 1 s) the waits add up to at most about 3.5 s.
 */
export const BATCH_ATTEMPTS = 8;

export interface BatchOptions {
  /** Calls per chunk that may leave keys or writes unprocessed before the call fails. */
  maxAttempts?: number;
}

function chunks<T>(values: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** The table kept leaving keys unprocessed for `attempts` calls; nothing read is returned. */
export class UnprocessedReadsError extends Error {
  constructor(
    readonly attempts: number,
    /** Keys of the failed chunk still unread after the last call. */
    readonly unprocessed: number,
  ) {
    super(`${unprocessed} keys left unprocessed by the table after ${attempts} calls`);
    this.name = 'UnprocessedReadsError';
  }
}

/** The table kept leaving writes unprocessed for `attempts` calls; earlier writes may have landed. */
export class UnprocessedWritesError extends Error {
  constructor(
    readonly attempts: number,
    /** Writes not made: those of the failed chunk left after the last call, and every later chunk. */
    readonly unprocessed = 0,
  ) {
    super(`${unprocessed} writes left unprocessed by the table after ${attempts} calls`);
    this.name = 'UnprocessedWritesError';
  }
}

/**
 * Strongly consistent; items come back in no particular order, missing keys are left out. Throws
 * UnprocessedReadsError rather than answer without a key it could not read.
 */
export async function batchGet(
  db: Db,
  keyList: Key[],
  projection?: string[],
  options: BatchOptions = {},
): Promise<Item[]> {
  const maxAttempts = attemptsOf(options);
  const found: Item[] = [];
  const unique = [...new Map(keyList.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  // Once one chunk has failed the result is lost anyway: the others stop retrying.
  let failed = false;
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
        if (pending.length === 0) return;
        if (attempt >= maxAttempts || failed) {
          failed = true;
          throw new UnprocessedReadsError(attempt, pending.length);
        }
        await backoff(attempt);
      }
    }),
  );
  return found;
}

/** Not atomic: only for items whose leftovers readers already tolerate (see deleteGroup). */
export function batchDelete(db: Db, keyList: Key[], options: BatchOptions = {}): Promise<void> {
  return batchWrite(
    db,
    keyList.map((Key) => ({ DeleteRequest: { Key } })),
    attemptsOf(options),
  );
}

/** Not atomic: for items that are whole on their own and idempotent to write again (the audit trail). */
export function batchPut(db: Db, items: Item[], options: BatchOptions = {}): Promise<void> {
  return batchWrite(
    db,
    items.map((Item) => ({ PutRequest: { Item } })),
    attemptsOf(options),
  );
}

type WriteRequest = { DeleteRequest: { Key: Key } } | { PutRequest: { Item: Item } };

function attemptsOf(options: BatchOptions): number {
  const attempts = options.maxAttempts ?? BATCH_ATTEMPTS;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer, got ${attempts}`);
  }
  return attempts;
}

/** Chunk by chunk, in order: a failure leaves the later chunks unwritten. */
async function batchWrite(db: Db, requests: WriteRequest[], maxAttempts: number): Promise<void> {
  const all = chunks(requests, WRITE_LIMIT);
  for (const [index, chunk] of all.entries()) {
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const out = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.table]: pending } }));
      pending = (out.UnprocessedItems?.[db.table] ?? []) as WriteRequest[];
      if (pending.length === 0) break;
      if (attempt >= maxAttempts) {
        const later = all.slice(index + 1).reduce((sum, c) => sum + c.length, 0);
        throw new UnprocessedWritesError(attempt, pending.length + later);
      }
      await backoff(attempt);
    }
  }
}
