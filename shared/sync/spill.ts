/**
 * What a sharded full sync (sharded-sync.ts) writes of its reads so that it never holds the whole
 * workspace: each record goes to its shard's stream (members, grants, users, memberships, ...),
 * and each stream is written as chunks in the run's partition, read back when its shard is planned.
 *
 * Written by hand rather than with putChunks: a chunk is one JSON string, not a DynamoDB list of
 * maps, because marshalling a thousand small maps costs the SDK far more than one string, and
 * because a chunk is closed by its size (SPILL_CHUNK_BYTES, below DynamoDB's 400 KB item limit)
 * whatever its records hold. What the writer buffers is bounded too (SPILL_BUFFER_BYTES across all
 * shards): past it, the fullest buffer is written early, so memory does not grow with the number
 * of shards. A failed write fails the run before anything is applied, as a failed plan write does.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchPut } from '../store/batch';
import type { Db } from '../store/client';
import { syncKeys } from './sync-keys';
import type { SyncRun } from './sync-run';

export type SpillStream =
  'MEMBERS' | 'GRANTS' | 'USERS' | 'MEMBERSHIPS' | 'GROUPS' | 'INCIDENTS' | 'UNCHANGED' | 'SUMMARY';

export const SPILL_CHUNK_BYTES = 100_000;
/**
 * Spilled reads are needed only until the run is planned and its unchanged resources recorded
 * (a resumed run follows within minutes), so they expire after a day rather than with the run's
 * report: an hourly sync of 100,000 users spills about 100 MB a run.
 */
export const SPILL_RETENTION_HOURS = 24;
export const SPILL_BUFFER_BYTES = 3_000_000;
/** Chunks written per BatchWriteItem call (at most 25, and 16 MB). */
const WRITE_GROUP = 8;

const pad = (n: number) => String(n).padStart(4, '0');
export const spillKind = (shard: number, stream: SpillStream) => `SHARD#${pad(shard)}#${stream}` as const;

interface Buffer {
  shard: number;
  stream: SpillStream;
  records: string[];
  bytes: number;
}

export class SpillWriter {
  private readonly buffers = new Map<string, Buffer>();
  private readonly pending: Record<string, unknown>[] = [];
  private buffered = 0;
  /** Chunks written per `shard#stream`. */
  readonly chunks: Record<string, number>;

  private readonly chunkBytes: number;
  private readonly bufferBytes: number;

  constructor(
    private readonly db: Db,
    private readonly run: SyncRun,
    written: Record<string, number> = {},
    limits: { chunkBytes?: number; bufferBytes?: number } = {},
  ) {
    this.chunks = { ...written };
    this.chunkBytes = limits.chunkBytes ?? SPILL_CHUNK_BYTES;
    this.bufferBytes = limits.bufferBytes ?? SPILL_BUFFER_BYTES;
  }

  /** Bytes held in buffers now, not yet closed into a chunk. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  async add(shard: number, stream: SpillStream, record: unknown): Promise<void> {
    const key = `${shard}#${stream}`;
    let buffer = this.buffers.get(key);
    if (!buffer) this.buffers.set(key, (buffer = { shard, stream, records: [], bytes: 0 }));
    const json = JSON.stringify(record);
    buffer.records.push(json);
    buffer.bytes += json.length + 1;
    this.buffered += json.length + 1;
    if (buffer.bytes >= this.chunkBytes) await this.close(buffer);
    else if (this.buffered >= this.bufferBytes) {
      let fullest = buffer;
      for (const other of this.buffers.values()) if (other.bytes > fullest.bytes) fullest = other;
      await this.close(fullest);
    }
  }

  /** Writes every buffer and everything pending. */
  async flush(): Promise<void> {
    for (const buffer of this.buffers.values())
      if (buffer.records.length > 0) await this.close(buffer, false);
    await this.write();
  }

  private async close(buffer: Buffer, writeNow = true): Promise<void> {
    const key = `${buffer.shard}#${buffer.stream}`;
    const index = this.chunks[key] ?? 0;
    this.chunks[key] = index + 1;
    this.pending.push({
      ...syncKeys.chunk(this.run.connectionId, this.run.runId, spillKind(buffer.shard, buffer.stream), index),
      data: `[${buffer.records.join(',')}]`,
      expiresAt: Math.floor(Date.parse(this.run.startedAt) / 1000) + SPILL_RETENTION_HOURS * 3_600,
    });
    this.buffered -= buffer.bytes;
    buffer.records = [];
    buffer.bytes = 0;
    if (writeNow && this.pending.length >= WRITE_GROUP) await this.write();
  }

  private async write(): Promise<void> {
    if (this.pending.length === 0) return;
    const items = this.pending.splice(0, this.pending.length);
    await batchPut(this.db, items);
  }
}

/** Every record of one shard's stream, chunk by chunk, in the order they were added. */
export async function* readSpill<T>(
  db: Db,
  run: SyncRun,
  shard: number,
  stream: SpillStream,
  chunks: number,
): AsyncGenerator<T[]> {
  for (let index = 0; index < chunks; index++) {
    const out = await db.doc.send(
      new GetCommand({
        TableName: db.table,
        Key: syncKeys.chunk(run.connectionId, run.runId, spillKind(shard, stream), index),
        ConsistentRead: true,
      }),
    );
    const data = out.Item?.data;
    // A chunk the writer recorded but the table does not hold: the spill is incomplete.
    if (typeof data !== 'string') throw new Error(`spilled chunk ${shard}/${stream}/${index} is missing`);
    yield JSON.parse(data) as T[];
  }
}
