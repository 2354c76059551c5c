/** One scenario's figures, as written to bench/results/latest.json and printed in the table. */
import type { Latencies } from './latency';
import { round } from './latency';

export type Extra = string | number | boolean | null | Extra[] | { [key: string]: Extra };

export interface ScenarioResult {
  name: string;
  operations: number;
  seconds: number;
  opsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  dynamoCallsPerOperation: number;
  /** Scenario-specific figures (batch sizes, per-size rows, targets met…). */
  [field: string]: Extra;
}

export function measured(
  name: string,
  latencies: Latencies,
  seconds: number,
  dynamoCalls: number,
  extra: Record<string, Extra> = {},
): ScenarioResult {
  const operations = latencies.count;
  return {
    name,
    operations,
    seconds: round(seconds, 3),
    opsPerSecond: seconds > 0 ? round(operations / seconds, 1) : 0,
    p50Ms: latencies.percentile(50),
    p95Ms: latencies.percentile(95),
    p99Ms: latencies.percentile(99),
    dynamoCallsPerOperation: operations > 0 ? round(dynamoCalls / operations, 2) : 0,
    ...extra,
  };
}

/** A target and whether this run met it, kept beside the figures it judges. */
export function target(description: string, met: boolean, actual: Extra): Record<string, Extra> {
  return { description, met, actual };
}
