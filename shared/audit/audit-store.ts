/**
 * The audit trail in the link-state table (keys.ts):
 *
 * - every entry under its day, spread over AUDIT_SHARDS partitions by its id, so a burst of
 *   changes writes several partitions rather than one hot one (as the counters do, counters.ts);
 * - the same entry again under each user and group it is about (the object, the members a group
 *   change added or removed, and the users and groups an entry about a workspace object names in
 *   `related`), so `roster audit --user X` is one Query, not a scan of days.
 *
 * Sort keys are `<at>#<event id>` and every attribute of an entry comes from its stream record, so
 * writing the entries of a record again (a retried batch) writes the same items with the same keys:
 * idempotent without a condition, in BatchWriteItems of 25. Each item expires `retentionDays`
 * after the change (TTL).
 */
import { createHash } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchPut } from '../store/batch';
import type { Item } from '../store/batch';
import type { Db } from '../store/client';
import { keys } from '../store/keys';
import { TTL_ATTRIBUTE } from '../store/table';
import type { AuditEntry } from './audit-entry';

export const AUDIT_SHARDS = 4;
/** Used where the environment sets none (`npm start`, tests); infra/config.ts sets it per environment. */
export const DEFAULT_RETENTION_DAYS = 30;
/** A query reads at most this many days back. */
export const MAX_QUERY_DAYS = 400;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface AuditQuery {
  connectionId: string;
  /** Only entries about this user or group (as the object, or as a member added or removed). */
  object?: { kind: 'User' | 'Group'; id: string };
  since: Date;
  /** Default: now. */
  until?: Date;
  /** The newest this many (default 100). */
  limit?: number;
}

export function retentionDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const days = Number(env.ROSTER_AUDIT_RETENTION_DAYS);
  return Number.isInteger(days) && days > 0 ? days : DEFAULT_RETENTION_DAYS;
}

/** The shard of an entry: from its id, so the same entry always lands in the same partition. */
export function shardOf(id: string): number {
  return (createHash('sha256').update(id).digest()[0] ?? 0) % AUDIT_SHARDS;
}

/** The items one entry is written as. */
export function auditItems(entry: AuditEntry, retentionDays: number): Item[] {
  const sk = `${entry.at}#${entry.id}`;
  const expires = Math.floor(Date.parse(entry.at) / 1000) + retentionDays * 24 * 60 * 60;
  const item = (pk: string): Item => ({ pk, sk, entry, [TTL_ATTRIBUTE]: expires });
  const objects = new Set<string>();
  if (entry.object.kind === 'User' || entry.object.kind === 'Group')
    objects.add(keys.auditObject(entry.connectionId, entry.object.kind, entry.object.id));
  for (const userId of [...(entry.members?.added ?? []), ...(entry.members?.removed ?? [])])
    objects.add(keys.auditObject(entry.connectionId, 'User', userId));
  for (const related of entry.related ?? [])
    objects.add(keys.auditObject(entry.connectionId, related.kind, related.id));
  return [
    item(keys.auditDay(entry.connectionId, entry.at.slice(0, 10), shardOf(entry.id))),
    ...[...objects].map(item),
  ];
}

export class AuditStore {
  constructor(
    private readonly db: Db,
    readonly retentionDays = retentionDaysFromEnv(),
  ) {}

  async write(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await batchPut(
      this.db,
      entries.flatMap((entry) => auditItems(entry, this.retentionDays)),
    );
  }

  /** Newest first. */
  async query(query: AuditQuery): Promise<AuditEntry[]> {
    const until = query.until ?? new Date();
    const limit = query.limit ?? 100;
    const range = { from: query.since.toISOString(), to: `${until.toISOString()}\uffff` };
    if (query.object) {
      const pk = keys.auditObject(query.connectionId, query.object.kind, query.object.id);
      return this.partition(pk, range, limit);
    }
    const found: AuditEntry[] = [];
    // Day by day from the newest, all shards of a day at once, until the limit is reached.
    const first = Date.parse(query.since.toISOString().slice(0, 10));
    let day = Date.parse(until.toISOString().slice(0, 10));
    for (let days = 0; day >= first && days < MAX_QUERY_DAYS && found.length < limit; days++) {
      const name = new Date(day).toISOString().slice(0, 10);
      const shards = await Promise.all(
        Array.from({ length: AUDIT_SHARDS }, (_, shard) =>
          this.partition(keys.auditDay(query.connectionId, name, shard), range, limit - found.length),
        ),
      );
      found.push(...newestFirst(shards.flat()).slice(0, limit - found.length));
      day -= DAY_MS;
    }
    return found;
  }

  private async partition(pk: string, range: { from: string; to: string }, limit: number) {
    const entries: AuditEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': pk, ':from': range.from, ':to': range.to },
          ScanIndexForward: false,
          Limit: limit - entries.length,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      entries.push(...(out.Items ?? []).map((item) => item.entry as AuditEntry));
      start = out.LastEvaluatedKey;
    } while (start && entries.length < limit);
    return entries;
  }
}

function newestFirst(entries: AuditEntry[]): AuditEntry[] {
  const key = (entry: AuditEntry) => `${entry.at}#${entry.id}`;
  return entries.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
}
