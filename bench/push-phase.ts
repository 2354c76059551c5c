/**
 * One phase of a push (users, groups, memberships): its request latencies and time, and the
 * request path's DynamoDB calls, transactions, items and partition writes made during it.
 */
import type { BenchEnvironment } from './environment';
import { Latencies, round } from './latency';
import type { Extra } from './result';

export interface Phase {
  name: string;
  latencies: Latencies;
  seconds: number;
  calls: number;
  transactions: number;
  itemsWritten: number;
  /** Items written per partition key during the phase (request path). */
  partitionWrites: Map<string, number>;
}

/** Runs one phase with the call counts reset before it. */
export async function phase(
  env: BenchEnvironment,
  name: string,
  run: (latencies: Latencies) => Promise<void>,
): Promise<Phase> {
  env.calls.reset();
  const latencies = new Latencies();
  const start = performance.now();
  await run(latencies);
  const { stats } = env.calls;
  return {
    name,
    latencies,
    seconds: (performance.now() - start) / 1000,
    calls: stats.calls,
    transactions: Object.entries(stats.byCommand)
      .filter(([command]) => command.startsWith('TransactWrite'))
      .reduce((sum, [, n]) => sum + n, 0),
    itemsWritten: stats.itemsWritten,
    partitionWrites: new Map(env.calls.partitionWrites),
  };
}

export function phaseFigures(p: Phase): Record<string, Extra> {
  return {
    requests: p.latencies.count,
    seconds: round(p.seconds, 3),
    requestsPerSecond: round(p.latencies.count / p.seconds, 1),
    p50Ms: p.latencies.percentile(50),
    p95Ms: p.latencies.percentile(95),
    p99Ms: p.latencies.percentile(99),
    dynamoCallsPerRequest: round(p.calls / p.latencies.count, 2),
    transactionsPerRequest: round(p.transactions / p.latencies.count, 2),
    itemsWrittenPerRequest: round(p.itemsWritten / p.latencies.count, 2),
  };
}
