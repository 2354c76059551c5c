/** The contract of a scenario: it runs alone on the environment and returns its figures. */
import type { BenchEnvironment } from './environment';
import type { ScenarioResult } from './result';

export interface ScenarioOptions {
  /** Multiplies every size (1 = the sizes in docs/benchmarks.md). */
  scale: number;
  /** Skips the 100,000-user sync (the test runs the bench small and only the small sync). */
  skipLargeSync: boolean;
  /** Results of the scenarios run before this one, for ratios (push against raw). */
  earlier: ReadonlyMap<string, ScenarioResult>;
  log: (line: string) => void;
}

export type Scenario = (env: BenchEnvironment, options: ScenarioOptions) => Promise<ScenarioResult>;

/** A size scaled down for quick runs, never below `min`. */
export function scaled(size: number, scale: number, min = 1): number {
  return Math.max(min, Math.round(size * scale));
}
