/**
 * Seeding at speed: BatchWriteItem (25 items a call) with many calls in flight, retrying what
 * DynamoDB leaves unprocessed. Seeding is never measured; it only has to be fast and complete.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../shared/store/client';
import { backoff } from '../../shared/store/transact';
import { runPool } from '../pool';

export type SeedItem = Record<string, unknown>;

const BATCH = 25;

export async function writeAll(db: Db, items: readonly SeedItem[], concurrency = 16): Promise<void> {
  const batches: SeedItem[][] = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
  await runPool(batches, concurrency, async (batch) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      const out = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.table]: pending } }));
      pending = (out.UnprocessedItems?.[db.table] ?? []) as typeof pending;
      if (pending.length > 0) await backoff(attempt);
    }
  });
}

/**
 * Streams items from a generator in slices, so that seeding 1.4 million items never holds them all
 * in memory at once.
 */
export async function writeStream(
  db: Db,
  items: Iterable<SeedItem>,
  concurrency = 16,
  slice = 20_000,
): Promise<number> {
  let buffer: SeedItem[] = [];
  let written = 0;
  for (const item of items) {
    buffer.push(item);
    if (buffer.length >= slice) {
      await writeAll(db, buffer, concurrency);
      written += buffer.length;
      buffer = [];
    }
  }
  await writeAll(db, buffer, concurrency);
  return written + buffer.length;
}
