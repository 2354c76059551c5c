/**
 * One full sync in a process of its own, so that its peak RSS is the sync's alone: it runs
 * `runSync` on the built-in workspace exactly as `roster sync` does, counting every DynamoDB call
 * and item, samples RSS every 100 ms, and prints one JSON line with the figures on stdout.
 *
 * Usage: node --import tsx bench/sync/sync-child.ts <connectionId> <workspaceId>
 * (DYNAMODB_ENDPOINT and ROSTER_TABLE name the table). With BENCH_MODE set (JSON: baseUrl,
 * workspace, token, secret) the connector is Mode's, pointed at the Mode test server, instead.
 * BENCH_SYNC_DRY_RUN=1 makes it a dry run (read, plan, store the plan): repeatable on one world.
 * Like the full-sync function, it bounds the heap's growth (functions/full-sync/heap-growth.ts;
 * `SYNC_HEAP_GROWING_PERCENT=0` measures V8's own growth instead).
 */
import { boundHeapGrowth } from '../../functions/full-sync/heap-growth';
import { db } from '../../shared/store/client';
import { countingDb } from '../../shared/store/counting-db';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import { runSync } from '../../shared/sync/run-sync';
import { totals } from '../../shared/sync/sync-run';
import { BuiltinWorkspace } from '../../shared/workspace/builtin/builtin-workspace';
import { ModeWorkspace } from '../../shared/workspace/mode/mode-workspace';
import type { WorkspaceConnector } from '../../shared/workspace/port';

/** How the child reaches the Mode test server (the env var BENCH_MODE, as JSON). */
export interface BenchModeTarget {
  baseUrl: string;
  workspace: string;
  token: string;
  secret: string;
  /** The Discovery signature token (an Enterprise workspace), when the variant has one. */
  signature?: { token: string; accessKey: string; accessSecret: string };
  /** The connector's pacer, when the variant paces. */
  maxRequestsPerSecond?: number;
}

function connectorFor(
  db: ReturnType<typeof countingDb>['db'],
  workspaceId: string,
  connectionId: string,
): WorkspaceConnector {
  const mode = process.env.BENCH_MODE;
  if (!mode) return new BuiltinWorkspace(db, workspaceId, connectionId);
  const target = JSON.parse(mode) as BenchModeTarget;
  return new ModeWorkspace({
    baseUrl: target.baseUrl,
    credentials: async () => ({
      workspace: target.workspace,
      token: target.token,
      secret: target.secret,
      ...(target.signature ? { signature: target.signature } : {}),
    }),
    ...(target.maxRequestsPerSecond === undefined
      ? {}
      : { maxRequestsPerSecond: target.maxRequestsPerSecond }),
  });
}

export interface SyncChildReport {
  status: string;
  seconds: number;
  /** readAndPlan, storeAndApply, and each read step (`read members`, `read grants`, `read users`…). */
  phaseSeconds: Record<string, number>;
  calls: number;
  itemsRead: number;
  itemsWritten: number;
  byCommand: Record<string, number>;
  read: Record<string, number> | null;
  counts: Record<string, { planned: number; applied: number; failed: number }>;
  planned: number;
  applied: number;
  failed: number;
  errors: string[];
  /** Shards the run read and planned in (1: in one piece). */
  shards: number;
  peakRssBytes: number;
  maxRssBytes: number;
  /**
   * Peak RSS sampled every 100 ms until the run's first plan report (the reads, and the whole join
   * or the first shard), and after it (the other shards, storing, the apply).
   */
  peakRssByPhaseMiB: Record<'untilPlan' | 'afterPlan', number>;
  /** RSS with everything loaded, just before the run: what a sync of no users would hold. */
  baselineRssBytes: number;
  /** The heap growth bound applied, as the full-sync function applies it (0: V8's own). */
  heapGrowingPercent: number;
  /**
   * With `--expose-gc` only (the sync scenario's dry run passes it): the largest heap in use after a full
   * collection, sampled every second and as each shard is planned, before the run (`baseline`),
   * during it (`peak`) and by the phase of the run's last progress report (`byPhase`). What the
   * run keeps alive, as opposed to what the collector has not yet given back.
   */
  liveHeapMiB?: { baseline: number; peak: number; samples: number; byPhase: Record<string, number> };
}

/** Samples the live heap (after a forced full collection) every second, when `gc` is exposed. */
function liveHeapSampler(
  phaseNow: () => string,
): { sample(): void; stop(): SyncChildReport['liveHeapMiB'] } | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  const live = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  const baseline = live();
  let peak = baseline;
  let samples = 0;
  const byPhase: Record<string, number> = {};
  const sample = () => {
    const now = live();
    const phase = phaseNow();
    peak = Math.max(peak, now);
    byPhase[phase] = Math.max(byPhase[phase] ?? 0, now);
    samples++;
  };
  const timer = setInterval(sample, 1_000);
  const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  return {
    sample,
    stop() {
      clearInterval(timer);
      const phases = Object.fromEntries(Object.entries(byPhase).map(([phase, bytes]) => [phase, mib(bytes)]));
      return { baseline: mib(baseline), peak: mib(peak), samples, byPhase: phases };
    },
  };
}

async function main(): Promise<void> {
  const [connectionId, workspaceId] = process.argv.slice(2);
  if (!connectionId || !workspaceId) throw new Error('usage: sync-child <connectionId> <workspaceId>');
  const heapGrowingPercent = boundHeapGrowth();
  // The phase of the run's last progress report: read, plan (a shard planned) or apply.
  let progressPhase = 'read';
  const liveHeap = liveHeapSampler(() => progressPhase);
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  let phase: 'untilPlan' | 'afterPlan' = 'untilPlan';
  const phasePeak = { untilPlan: baselineRss, afterPlan: 0 };
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    phasePeak[phase] = Math.max(phasePeak[phase], rss);
  }, 100);
  // BENCH_SYNC_SHARD_USERS: users per shard (shard.ts), to compare a sharded plan with one piece.
  const shardUsers = Number(process.env.BENCH_SYNC_SHARD_USERS);
  const counted = countingDb(db());
  let planned: number | undefined;
  // Each read step's span, from the run's start or the previous step's end to its last report.
  const steps = new Map<string, number>();
  let lastMark = performance.now();
  let lastStep = '';
  const start = performance.now();
  const result = await runSync(
    {
      db: counted.db,
      store: new DynamoLinkStore(counted.db),
      connector: connectorFor(counted.db, workspaceId, connectionId),
      connectionId,
      ...(Number.isInteger(shardUsers) && shardUsers > 0 ? { shardUsers } : {}),
      onProgress: (progress) => {
        const now = performance.now();
        progressPhase = progress.phase;
        // Each shard planned (and the plan of a run in one piece): its heap, before the next is read.
        if (progress.phase === 'plan') liveHeap?.sample();
        if (progress.phase !== 'read') phase = 'afterPlan';
        if (progress.phase === 'plan') planned ??= now;
        if (progress.phase !== 'read') return;
        if (progress.step !== lastStep) {
          lastMark = steps.size === 0 ? start : lastMark + (steps.get(lastStep) ?? 0);
          lastStep = progress.step;
        }
        steps.set(progress.step, now - lastMark);
      },
    },
    { dryRun: process.env.BENCH_SYNC_DRY_RUN === '1' },
  );
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  const liveHeapMiB = liveHeap?.stop();
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  // The run reports the plan once both reads and planning are done; the rest is storing the plan,
  // applying it and recording outcomes.
  const end = start + seconds * 1000;
  const phaseSeconds = {
    readAndPlan: Math.round(((planned ?? end) - start) / 10) / 100,
    storeAndApply: Math.round((end - (planned ?? end)) / 10) / 100,
    ...Object.fromEntries([...steps].map(([step, ms]) => [`read ${step}`, Math.round(ms / 10) / 100])),
  };
  const run = result.status === 'overlapping' ? undefined : result.run;
  const sum = run ? totals(run) : { planned: 0, applied: 0, failed: 0 };
  const report: SyncChildReport = {
    status: result.status,
    seconds,
    phaseSeconds,
    calls: counted.stats.calls,
    itemsRead: counted.stats.itemsRead,
    itemsWritten: counted.stats.itemsWritten,
    byCommand: counted.stats.byCommand,
    read: run?.read ? { ...run.read } : null,
    counts: (run?.counts ?? {}) as SyncChildReport['counts'],
    ...sum,
    errors: run?.errors.slice(0, 10) ?? [],
    shards: run?.shards?.count ?? 1,
    peakRssByPhaseMiB: {
      untilPlan: Math.round((phasePeak.untilPlan / 2 ** 20) * 10) / 10,
      afterPlan: Math.round((phasePeak.afterPlan / 2 ** 20) * 10) / 10,
    },
    peakRssBytes: peakRss,
    // ru_maxrss is in kilobytes on Linux: the true peak, between samples too.
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    baselineRssBytes: baselineRss,
    heapGrowingPercent,
    ...(liveHeapMiB ? { liveHeapMiB } : {}),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  db().doc.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
