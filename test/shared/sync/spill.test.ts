/**
 * The spill (spill.ts) on DynamoDB Local: records come back per shard and stream in the order they
 * were added, chunks close at their size, what waits in buffers stays under its bound however many
 * shards there are, and a chunk the table lost fails the read rather than answer part of a shard.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { newRunId } from '../../../shared/sync/run-store';
import { readSpill, spillKind, SpillWriter } from '../../../shared/sync/spill';
import { syncKeys } from '../../../shared/sync/sync-keys';
import type { SyncRun } from '../../../shared/sync/sync-run';
import { testDb, uniqueConnectionId } from '../../support/db';

function aRun(): SyncRun {
  const now = Date.now();
  return {
    connectionId: uniqueConnectionId('spill'),
    runId: newRunId(now),
    status: 'running',
    dryRun: false,
    startedAt: new Date(now).toISOString(),
    invocations: 1,
    counts: {},
    changeCount: 0,
    chunkCount: 0,
    nextChunk: 0,
    observationCount: 0,
    observationChunks: 0,
    errors: [],
  };
}

async function readAll<T>(run: SyncRun, shard: number, stream: 'MEMBERS' | 'GRANTS', chunks: number) {
  const out: T[] = [];
  for await (const records of readSpill<T>(testDb(), run, shard, stream, chunks)) out.push(...records);
  return out;
}

describe('the spill', () => {
  it('gives back each shard and stream in order, in chunks closed at their size', async () => {
    const db = testDb();
    const run = aRun();
    const writer = new SpillWriter(db, run, {}, { chunkBytes: 2_000 });
    const record = (shard: number, i: number) => ({ id: `m-${shard}-${i}`, email: `p${i}@example.com` });
    for (let i = 0; i < 300; i++) {
      for (let shard = 0; shard < 3; shard++) await writer.add(shard, 'MEMBERS', record(shard, i));
      await writer.add(1, 'GRANTS', ['g1', `m-1-${i}`]);
    }
    await writer.flush();

    for (let shard = 0; shard < 3; shard++) {
      const chunks = writer.chunks[`${shard}#MEMBERS`] ?? 0;
      // About 50 bytes a record: 300 records do not fit one 2,000-byte chunk.
      expect(chunks).toBeGreaterThan(5);
      expect(await readAll(run, shard, 'MEMBERS', chunks)).toEqual(
        Array.from({ length: 300 }, (_, i) => record(shard, i)),
      );
    }
    expect(writer.chunks['0#GRANTS']).toBeUndefined();
    const grants = await readAll<[string, string]>(run, 1, 'GRANTS', writer.chunks['1#GRANTS'] ?? 0);
    expect(grants.map(([, memberId]) => memberId)).toEqual(Array.from({ length: 300 }, (_, i) => `m-1-${i}`));
  });

  it('keeps what it buffers under its bound with many shards, by writing the fullest buffer early', async () => {
    const db = testDb();
    const run = aRun();
    const writer = new SpillWriter(db, run, {}, { chunkBytes: 50_000, bufferBytes: 10_000 });
    let peak = 0;
    for (let i = 0; i < 2_000; i++) {
      await writer.add(i % 40, 'MEMBERS', { id: `m-${i}`, name: 'x'.repeat(40) });
      peak = Math.max(peak, writer.bufferedBytes);
    }
    await writer.flush();
    expect(peak).toBeLessThanOrEqual(10_000 + 100);
    expect(writer.bufferedBytes).toBe(0);
    let total = 0;
    for (let shard = 0; shard < 40; shard++)
      total += (await readAll(run, shard, 'MEMBERS', writer.chunks[`${shard}#MEMBERS`] ?? 0)).length;
    expect(total).toBe(2_000);
  });

  it('fails the read when a chunk it wrote is missing', async () => {
    const db = testDb();
    const run = aRun();
    const writer = new SpillWriter(db, run, {}, { chunkBytes: 100 });
    for (let i = 0; i < 20; i++) await writer.add(0, 'MEMBERS', { id: `m-${i}` });
    await writer.flush();
    const chunks = writer.chunks['0#MEMBERS'] ?? 0;
    expect(chunks).toBeGreaterThan(2);
    await db.doc.send(
      new DeleteCommand({
        TableName: db.table,
        Key: syncKeys.chunk(run.connectionId, run.runId, spillKind(0, 'MEMBERS'), 1),
      }),
    );
    await expect(readAll(run, 0, 'MEMBERS', chunks)).rejects.toThrow(
      /spilled chunk 0\/MEMBERS\/1 is missing/,
    );
  });
});
