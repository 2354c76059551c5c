/**
 * The benchmark: starts its own DynamoDB Local and SCIM server, runs the chosen scenarios one after
 * another (raw first, so the push can be judged against it), writes bench/results/latest.json and
 * stops everything, whatever happened.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startEnvironment } from './environment';
import type { BenchEnvironment } from './environment';
import { runPool } from './pool';
import type { ScenarioResult } from './result';
import type { Scenario } from './scenario';
import { coldInit } from './scenarios/cold-init';
import { engineReplay } from './scenarios/engine-replay';
import { groupScaling } from './scenarios/group-scaling';
import { modeSync } from './scenarios/mode-sync';
import { paging } from './scenarios/paging';
import { push } from './scenarios/push';
import { raw } from './scenarios/raw';
import { sync } from './scenarios/sync';
import { workspaceOutage } from './scenarios/workspace-outage';

export const SCENARIOS: Readonly<Record<string, Scenario>> = {
  raw,
  push,
  // Replays what the push just sent to DynamoDB: right after it, on the engine the push left.
  'engine-replay': engineReplay,
  'workspace-outage': workspaceOutage,
  'group-scaling': groupScaling,
  paging,
  sync,
  'mode-sync': modeSync,
  'cold-init': coldInit,
};

export const DEFAULT_OUTPUT = fileURLToPath(new URL('./results/latest.json', import.meta.url));

export interface BenchOptions {
  only?: string[];
  scale?: number;
  skipLargeSync?: boolean;
  /** Where to write the JSON; `null` writes nothing. */
  output?: string | null;
  log?: (line: string) => void;
}

export interface BenchReport {
  date: string;
  machine: { cpus: number; memoryGiB: number; node: string; platform: string };
  scale: number;
  scenarios: ScenarioResult[];
}

/**
 * DynamoDB Local is a JVM and the handlers are JIT-compiled on first use: without a warm-up the
 * first scenario would measure compilation. Not measured.
 */
async function warmUp(env: BenchEnvironment, scale: number): Promise<void> {
  const count = Math.max(100, Math.round(3_000 * scale));
  await runPool(
    Array.from({ length: count }, (_, i) => i),
    16,
    async (i) => {
      const Key = { pk: `BENCH#warmup#${i}`, sk: '#' };
      await env.db.doc.send(new PutCommand({ TableName: env.db.table, Item: { ...Key, n: i } }));
      await env.db.doc.send(new GetCommand({ TableName: env.db.table, Key, ConsistentRead: true }));
    },
  );
  await push(env, { scale: Math.min(scale, 0.05), skipLargeSync: true, earlier: new Map(), log: () => {} });
}

export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new Error('--scale must be a positive number');
  const names = options.only ?? Object.keys(SCENARIOS);
  for (const name of names) {
    if (!(name in SCENARIOS))
      throw new Error(`unknown scenario ${name} (known: ${Object.keys(SCENARIOS).join(', ')})`);
  }
  if (names.includes('engine-replay') && !names.includes('push')) {
    throw new Error('engine-replay replays the push: select push with it');
  }
  const log = options.log ?? (() => {});
  const ordered = Object.keys(SCENARIOS).filter((name) => names.includes(name));
  const env = await startEnvironment();
  const results = new Map<string, ScenarioResult>();
  try {
    await warmUp(env, scale);
    // The push records its request path's calls only for the replay (the warm-up's push does not).
    env.requestCalls.armed = ordered.includes('engine-replay');
    for (const name of ordered) {
      const scenario = SCENARIOS[name] as Scenario;
      log(`${name}: running`);
      results.set(
        name,
        await scenario(env, { scale, skipLargeSync: options.skipLargeSync ?? false, earlier: results, log }),
      );
    }
  } finally {
    await env.stop();
  }
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      memoryGiB: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    scale,
    scenarios: [...results.values()],
  };
  const output = options.output === undefined ? DEFAULT_OUTPUT : options.output;
  if (output !== null) {
    await mkdir(dirname(output), { recursive: true });
    await writeFile(output, `${JSON.stringify(report, null, 2)}\n`);
  }
  return report;
}
