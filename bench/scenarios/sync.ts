/**
 * The full sync at scale: a world of 10,000 users (100 groups, 50,000 grants) and one of 100,000
 * users (1,000 groups, 500,000 grants), each with ~1% drift on the workspace side (sync-world.ts),
 * seeded fast, then a dry run (its child forcing full collections, for the live heap) and one full
 * run each in a child process (sync-child.ts) so that the memory measured is the sync's own. Judged
 * on wall time, memory (RSS, and the live heap), and how both grow with size.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { round } from '../latency';
import type { Extra, ScenarioResult } from '../result';
import { target } from '../result';
import type { Scenario } from '../scenario';
import { scaled } from '../scenario';
import type { SyncChildReport } from '../sync/sync-child';
import { expected, seedSyncWorld } from '../sync/sync-world';
import type { SyncWorldSize } from '../sync/sync-world';

const CHILD = fileURLToPath(new URL('../sync/sync-child.ts', import.meta.url));
const CHILD_TIMEOUT_MS = 30 * 60_000;
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const MILLION = 1_000_000;

interface SizedRun {
  users: number;
  seconds: number;
  readAndPlanSeconds: number;
  maxRssBytes: number;
}

/**
 * A run of `users` users extrapolated along the line through two measured runs: the per-user cost
 * of memory and time is the difference between them over the difference in users (what the larger
 * world costs beyond the smaller one), so fixed costs (the runtime, the SDK, the first pages) are
 * not multiplied.
 */
export function extrapolate(
  small: SizedRun,
  large: SizedRun,
  users: number,
): { users: number; perUserRssKiB: number; peakRssMiB: number; seconds: number; readAndPlanSeconds: number } {
  const more = large.users - small.users;
  if (more <= 0) throw new Error('extrapolate needs a larger second run');
  const slope = (a: number, b: number) => (b - a) / more;
  const at = (a: number, b: number) => b + slope(a, b) * (users - large.users);
  return {
    users,
    perUserRssKiB: round(slope(small.maxRssBytes, large.maxRssBytes) / 1024, 2),
    peakRssMiB: round(at(small.maxRssBytes, large.maxRssBytes) / MIB, 0),
    seconds: round(at(small.seconds, large.seconds), 0),
    readAndPlanSeconds: round(at(small.readAndPlanSeconds, large.readAndPlanSeconds), 0),
  };
}

/**
 * One full sync in a child process (sync-child.ts); `env` adds to the child's environment and
 * `nodeFlags` to its `node`, as does BENCH_SYNC_NODE_OPTIONS (say `--max-old-space-size=192`, the
 * heap a smaller function would have).
 */
export function runChild(
  connectionId: string,
  workspaceId: string,
  env: Record<string, string> = {},
  nodeFlags: readonly string[] = [],
): Promise<SyncChildReport> {
  return new Promise((resolve, reject) => {
    const flags = [...nodeFlags, ...(process.env.BENCH_SYNC_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)];
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', CHILD, connectionId, workspaceId], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1);
      if (code !== 0 || !line) {
        reject(new Error(`the sync child exited with ${code ?? signal}:\n${stderr.slice(-4000)}`));
        return;
      }
      resolve(JSON.parse(line) as SyncChildReport);
    });
  });
}

export const sync: Scenario = async (env, { scale, skipLargeSync, log }) => {
  const small: SyncWorldSize = {
    users: scaled(10_000, scale, 20),
    groups: scaled(100, scale, 2),
    grants: scaled(50_000, scale, 40),
  };
  const large: SyncWorldSize = {
    users: scaled(100_000, scale, 200),
    groups: scaled(1_000, scale, 4),
    grants: scaled(500_000, scale, 400),
  };
  const worlds = skipLargeSync ? [small] : [small, large];
  const runs: (Record<string, Extra> & SizedRun)[] = [];
  for (const size of worlds) {
    const tenant = await env.newTenant(`sync${size.users}`);
    const seedStart = performance.now();
    const seeded = await seedSyncWorld(env.db, tenant, size);
    log(
      `sync: seeded ${size.users} users / ${size.groups} groups / ${size.grants} grants (${seeded} items) in ${((performance.now() - seedStart) / 1000).toFixed(0)} s`,
    );
    // First a dry run (read, plan, store the plan; the world is left as it is) whose child forces a
    // full collection every second and as each shard is planned: the heap the run keeps alive,
    // which the real run's RSS hides (V8 lets the heap grow past it, by 30% in the full-sync
    // function: functions/full-sync/heap-growth.ts). The real run follows, unperturbed, for time and RSS.
    const dry = await runChild(tenant.connectionId, tenant.workspaceId, { BENCH_SYNC_DRY_RUN: '1' }, [
      '--expose-gc',
    ]);
    if (!dry.liveHeapMiB) throw new Error('the dry sync child reported no live heap');
    const report = await runChild(tenant.connectionId, tenant.workspaceId);
    log(`sync: ${size.users} users: ${report.status} in ${report.seconds.toFixed(1)} s`);
    if (report.status !== 'completed') {
      throw new Error(`the sync of ${size.users} users ended ${report.status}: ${report.errors.join('; ')}`);
    }
    const wanted = expected(size);
    const planned = Object.fromEntries(Object.entries(report.counts).map(([kind, c]) => [kind, c.planned]));
    runs.push({
      ...size,
      seededItems: seeded,
      seconds: round(report.seconds, 2),
      phaseSeconds: report.phaseSeconds,
      dynamoCalls: report.calls,
      itemsRead: report.itemsRead,
      itemsWritten: report.itemsWritten,
      read: report.read,
      changesPlanned: report.planned,
      changesApplied: report.applied,
      changesFailed: report.failed,
      plannedByKind: planned,
      expectedByKind: wanted,
      planAsExpected: Object.entries(wanted).every(([kind, n]) => (planned[kind] ?? 0) === n),
      peakRssBytes: report.peakRssBytes,
      maxRssBytes: report.maxRssBytes,
      peakRssMiB: round(report.maxRssBytes / MIB, 1),
      baselineRssMiB: round(report.baselineRssBytes / MIB, 1),
      heapGrowingPercent: report.heapGrowingPercent,
      readAndPlanSeconds: report.phaseSeconds.readAndPlan ?? report.seconds,
      liveHeapMiB: dry.liveHeapMiB.peak,
      liveHeap: dry.liveHeapMiB,
      shards: report.shards,
      errors: report.errors,
    });
  }
  const [first, second] = runs;
  if (!first) throw new Error('no sync ran');
  const ratio = second ? round(second.seconds / first.seconds, 2) : null;
  const rssRatio = second ? round(second.maxRssBytes / first.maxRssBytes, 2) : null;
  const liveRatio = second ? round(Number(second.liveHeapMiB) / Number(first.liveHeapMiB), 2) : null;
  const atMillion = second ? extrapolate(first, second, MILLION) : null;
  // Loaded only for the large run's target: the stack's settings bring aws-cdk-lib (~0.9 s to load),
  // which every other bench run would pay for nothing.
  const memoryMiB = second
    ? (await import('../../infra/config')).resolveEnvironment('prod').fullSync.memoryMiB
    : null;
  const judged = second ?? first;
  const result: ScenarioResult = {
    name: 'sync',
    operations: runs.length,
    seconds: round(
      runs.reduce((sum, r) => sum + r.seconds, 0),
      2,
    ),
    opsPerSecond: round(runs.length / runs.reduce((sum, r) => sum + r.seconds, 0), 4),
    // One operation is one whole run: its percentiles are its duration.
    p50Ms: round(first.seconds * 1000, 0),
    p95Ms: round(judged.seconds * 1000, 0),
    p99Ms: round(judged.seconds * 1000, 0),
    dynamoCallsPerOperation: round(runs.reduce((sum, r) => sum + Number(r.dynamoCalls), 0) / runs.length, 1),
    runs,
    largeToSmallTime: ratio,
    largeToSmallPeakRss: rssRatio,
    largeToSmallLiveHeap: liveRatio,
    estimateAt1M: atMillion,
    targets: second
      ? [
          target('peak RSS(100k) / peak RSS(10k) ≤ 1.3', rssRatio !== null && rssRatio <= 1.3, rssRatio),
          target(
            'live heap(100k) / live heap(10k) ≤ 1.3 (read and plan, after a full collection)',
            liveRatio !== null && liveRatio <= 1.3,
            liveRatio,
          ),
          target('time(100k) / time(10k) ≤ 10', ratio !== null && ratio <= 10, ratio),
          target(
            `1M estimate: peak RSS < the prod full-sync function's ${memoryMiB} MB`,
            atMillion !== null && memoryMiB !== null && atMillion.peakRssMiB < memoryMiB,
            atMillion?.peakRssMiB ?? null,
          ),
          target(
            '1M estimate: read and plan within one 15-minute invocation',
            atMillion !== null && atMillion.readAndPlanSeconds < 900,
            atMillion?.readAndPlanSeconds ?? null,
          ),
          target('100k sync < 10 minutes', second.seconds < 600, second.seconds),
          target('100k sync peak RSS < 1 GiB', second.maxRssBytes < GIB, round(second.maxRssBytes / MIB, 1)),
        ]
      : [],
  };
  return result;
};
