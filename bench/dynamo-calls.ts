/**
 * Counts every DynamoDB round trip made through a client, and the items those calls returned, by
 * adding a middleware to its stack. The SCIM handlers use the process-wide client (`db()`) and
 * cannot be handed a wrapped one, so the benchmark counts at the client; each scenario resets the
 * counts before its measured phase and runs alone, so nothing else is counted with it.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DbStats } from '../shared/store/counting-db';

export interface CallCounter {
  stats: DbStats;
  /** Items written per partition key (condition checks are no writes), for the hot-partition figure. */
  partitionWrites: Map<string, number>;
  reset(): void;
}

type Keyed = { Item?: { pk?: unknown }; Key?: { pk?: unknown } };

/** The partition key of every item a write request writes (puts, updates, deletes). */
export function writtenPartitions(
  name: string,
  input: { TransactItems?: unknown[]; RequestItems?: unknown } & Keyed,
): string[] {
  const pkOf = (request: Keyed | undefined): string[] => {
    const pk = request?.Item?.pk ?? request?.Key?.pk;
    return typeof pk === 'string' ? [pk] : [];
  };
  if (name.startsWith('TransactWrite')) {
    return (input.TransactItems ?? []).flatMap((item) => {
      const write = item as { Put?: Keyed; Update?: Keyed; Delete?: Keyed };
      return pkOf(write.Put ?? write.Update ?? write.Delete);
    });
  }
  if (name.startsWith('BatchWrite') && input.RequestItems && typeof input.RequestItems === 'object') {
    return Object.values(input.RequestItems).flatMap((requests) =>
      (Array.isArray(requests) ? requests : []).flatMap((request) => {
        const r = request as { PutRequest?: Keyed; DeleteRequest?: Keyed };
        return pkOf(r.PutRequest ?? r.DeleteRequest);
      }),
    );
  }
  return /^(Put|Update|Delete)/.test(name) ? pkOf(input) : [];
}

export interface PartitionShare {
  key: string;
  writes: number;
  /** Of all the counters' writes. */
  share: number;
}

/** The partition key written most often across counters, and its share of all their writes. */
export function busiestPartition(counters: Pick<CallCounter, 'partitionWrites'>[]): PartitionShare {
  return busiestPartitions(counters, 1)[0] ?? { key: '', writes: 0, share: 0 };
}

/** The `n` partition keys written most often across counters, busiest first (ties by key). */
export function busiestPartitions(
  counters: Pick<CallCounter, 'partitionWrites'>[],
  n: number,
): PartitionShare[] {
  const total = new Map<string, number>();
  let sum = 0;
  for (const counter of counters) {
    for (const [key, writes] of counter.partitionWrites) {
      total.set(key, (total.get(key) ?? 0) + writes);
      sum += writes;
    }
  }
  return [...total]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, n)
    .map(([key, writes]) => ({ key, writes, share: writes / sum }));
}

type Output = {
  Item?: unknown;
  Items?: unknown[];
  Count?: number;
  ScannedCount?: number;
  Responses?: Record<string, unknown[]>;
};

/** The same rule as shared/store/counting-db.ts: a Select COUNT query reads what it passes over. */
function itemsRead(input: { Select?: string }, output: Output): number {
  if (Array.isArray(output.Items)) return output.Items.length;
  if (input.Select === 'COUNT') return output.ScannedCount ?? output.Count ?? 0;
  if (output.Responses) return Object.values(output.Responses).reduce((sum, items) => sum + items.length, 0);
  return output.Item === undefined ? 0 : 1;
}

function itemsWritten(name: string, input: { TransactItems?: unknown[]; RequestItems?: unknown }): number {
  if (name.startsWith('TransactWrite')) return input.TransactItems?.length ?? 0;
  if (name.startsWith('BatchWrite') && input.RequestItems && typeof input.RequestItems === 'object') {
    return Object.values(input.RequestItems).reduce<number>(
      (sum, requests) => sum + (Array.isArray(requests) ? requests.length : 0),
      0,
    );
  }
  return /^(Put|Update|Delete)/.test(name) ? 1 : 0;
}

const counters = new WeakMap<DynamoDBDocumentClient, CallCounter>();

/** Idempotent per client: the middleware is added once and its counter returned on later calls. */
export function countDynamoCalls(doc: DynamoDBDocumentClient): CallCounter {
  const existing = counters.get(doc);
  if (existing) return existing;
  const stats: DbStats = { calls: 0, byCommand: {}, itemsRead: 0, itemsWritten: 0 };
  const partitionWrites = new Map<string, number>();
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      stats.calls++;
      stats.byCommand[name] = (stats.byCommand[name] ?? 0) + 1;
      stats.itemsWritten += itemsWritten(name, args.input as Parameters<typeof itemsWritten>[1]);
      for (const pk of writtenPartitions(name, args.input as Parameters<typeof writtenPartitions>[1])) {
        partitionWrites.set(pk, (partitionWrites.get(pk) ?? 0) + 1);
      }
      const result = await next(args);
      stats.itemsRead += itemsRead(args.input as { Select?: string }, (result.output ?? {}) as Output);
      return result;
    },
    { step: 'initialize', name: 'rosterBenchCallCounter' },
  );
  const counter: CallCounter = {
    stats,
    partitionWrites,
    reset() {
      partitionWrites.clear();
      stats.calls = 0;
      stats.byCommand = {};
      stats.itemsRead = 0;
      stats.itemsWritten = 0;
    },
  };
  counters.set(doc, counter);
  return counter;
}
