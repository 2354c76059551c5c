/**
 * A Db that counts its DynamoDB round trips and the items they read and wrote, for tests that prove
 * an operation's cost and for the benchmarks' "calls per operation". It wraps `send` on a proxy and
 * leaves the client it wraps untouched (the document client shares its middleware stack with the
 * process-wide client, so adding middleware would count other callers too).
 */
import type { Db } from './client';

export interface DbStats {
  /** Round trips (a retried request counts once per attempt the SDK reports, i.e. once). */
  calls: number;
  /** Round trips by command name, e.g. `QueryCommand`. */
  byCommand: Record<string, number>;
  /** Items returned, or passed over by a Select COUNT query. */
  itemsRead: number;
  /** Items in write requests (each item of a transaction or batch counts). */
  itemsWritten: number;
}

export interface CountingDb {
  db: Db;
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
type Input = {
  TransactItems?: unknown[];
  RequestItems?: Record<string, unknown>;
  Select?: string;
};

function itemsRead(input: Input, output: Output): number {
  if (Array.isArray(output.Items)) return output.Items.length;
  if (input.Select === 'COUNT') return output.ScannedCount ?? output.Count ?? 0;
  if (output.Responses) return Object.values(output.Responses).reduce((sum, items) => sum + items.length, 0);
  return output.Item === undefined ? 0 : 1;
}

function itemsWritten(name: string, input: Input): number {
  if (input.TransactItems) return name.startsWith('TransactWrite') ? input.TransactItems.length : 0;
  if (name.startsWith('BatchWrite') && input.RequestItems) {
    return Object.values(input.RequestItems).reduce<number>(
      (sum, r) => sum + (Array.isArray(r) ? r.length : 0),
      0,
    );
  }
  return /^(Put|Update|Delete)/.test(name) ? 1 : 0;
}

export function countingDb(inner: Db): CountingDb {
  const stats: DbStats = { calls: 0, byCommand: {}, itemsRead: 0, itemsWritten: 0 };
  const send = async (command: { constructor: { name: string }; input: unknown }, ...rest: unknown[]) => {
    const name = command.constructor.name;
    const input = (command.input ?? {}) as Input;
    stats.calls++;
    stats.byCommand[name] = (stats.byCommand[name] ?? 0) + 1;
    stats.itemsWritten += itemsWritten(name, input);
    const output = (await (inner.doc.send as (...args: unknown[]) => Promise<unknown>)(
      command,
      ...rest,
    )) as Output;
    stats.itemsRead += itemsRead(input, output ?? {});
    return output;
  };
  const doc = new Proxy(inner.doc, {
    get(target, property, receiver) {
      return property === 'send' ? send : Reflect.get(target, property, receiver);
    },
  });
  return {
    db: { doc, table: inner.table },
    stats,
    reset() {
      stats.calls = 0;
      stats.byCommand = {};
      stats.itemsRead = 0;
      stats.itemsWritten = 0;
    },
  };
}
