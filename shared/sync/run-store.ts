/**
 * Where runs are kept: the header item in the connection's run list, and the plan, outcomes and
 * observations in chunks in the run's partition. Chunks keep every item far below DynamoDB's
 * 400 KB limit and let a run of 500,000 changes be written, resumed and reported a chunk at a
 * time. Items expire (TTL) after RETENTION_DAYS.
 */
import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchPut } from '../store/batch';
import type { Db } from '../store/client';
import type { ChunkKind } from './sync-keys';
import { syncKeys } from './sync-keys';
import type { PlannedChange, SyncRun } from './sync-run';

export const RETENTION_DAYS = 90;

const expiresAt = (nowMs: number) => Math.floor(nowMs / 1000) + RETENTION_DAYS * 86_400;

/** Sorts by start time: `20260101T120000123Z-<random>`. */
export function newRunId(nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export async function putRun(db: Db, run: SyncRun): Promise<void> {
  await db.doc.send(
    new PutCommand({
      TableName: db.table,
      Item: {
        ...syncKeys.run(run.connectionId, run.runId),
        run,
        expiresAt: expiresAt(Date.parse(run.startedAt)),
      },
    }),
  );
}

export async function getRun(db: Db, connectionId: string, runId: string): Promise<SyncRun | undefined> {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: syncKeys.run(connectionId, runId), ConsistentRead: true }),
  );
  return out.Item?.run as SyncRun | undefined;
}

export async function lastRun(db: Db, connectionId: string): Promise<SyncRun | undefined> {
  return (await listRuns(db, connectionId, 1))[0];
}

/** The connection's runs, newest first, at most `limit` (one Query). */
export async function listRuns(db: Db, connectionId: string, limit: number): Promise<SyncRun[]> {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': syncKeys.runs(connectionId) },
      ScanIndexForward: false,
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((item) => item.run as SyncRun).filter((run) => run !== undefined);
}

/**
 * Writes chunks `first…` of one kind, 25 items per request (batch.ts: what the table leaves
 * unprocessed is sent again, a bounded number of times). Chunks are written whole and again
 * identically on a retry, so a failure (UnprocessedWritesError) fails the run before anything is
 * applied, and the next run plans afresh.
 */
export async function putChunks<T>(
  db: Db,
  run: SyncRun,
  kind: ChunkKind,
  chunks: T[][],
  first = 0,
): Promise<void> {
  const expires = expiresAt(Date.parse(run.startedAt));
  await batchPut(
    db,
    chunks.map((items, i) => ({
      ...syncKeys.chunk(run.connectionId, run.runId, kind, first + i),
      items,
      expiresAt: expires,
    })),
  );
}

export async function getChunk<T>(db: Db, run: SyncRun, kind: ChunkKind, index: number): Promise<T[]> {
  const out = await db.doc.send(
    new GetCommand({
      TableName: db.table,
      Key: syncKeys.chunk(run.connectionId, run.runId, kind, index),
      ConsistentRead: true,
    }),
  );
  return (out.Item?.items as T[] | undefined) ?? [];
}

/** The plan's chunk `index` in apply order (a sharded run stores them in another order). */
export function plannedChunk(db: Db, run: SyncRun, index: number): Promise<PlannedChange[]> {
  return getChunk<PlannedChange>(db, run, 'CHANGES', run.chunkMap?.[index] ?? index);
}

export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
