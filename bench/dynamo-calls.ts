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
  reset(): void;
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
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      stats.calls++;
      stats.byCommand[name] = (stats.byCommand[name] ?? 0) + 1;
      stats.itemsWritten += itemsWritten(name, args.input as Parameters<typeof itemsWritten>[1]);
      const result = await next(args);
      stats.itemsRead += itemsRead(args.input as { Select?: string }, (result.output ?? {}) as Output);
      return result;
    },
    { step: 'initialize', name: 'rosterBenchCallCounter' },
  );
  const counter: CallCounter = {
    stats,
    reset() {
      stats.calls = 0;
      stats.byCommand = {};
      stats.itemsRead = 0;
      stats.itemsWritten = 0;
    },
  };
  counters.set(doc, counter);
  return counter;
}
