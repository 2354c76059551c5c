/**
 * Keeps the benchmark from rotting: every scenario runs at a hundredth of its size (the 100,000-user
 * sync left out) through the same function `npm run bench` calls, and the report must have the
 * documented shape with positive figures.
 */
import { describe, expect, it } from 'vitest';
import { runBench } from '../../bench/bench';
import type { ScenarioResult } from '../../bench/result';

const COMMON = [
  'operations',
  'seconds',
  'opsPerSecond',
  'p50Ms',
  'p95Ms',
  'p99Ms',
  'dynamoCallsPerOperation',
] as const;

function scenario(scenarios: ScenarioResult[], name: string): ScenarioResult {
  const found = scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`no ${name} scenario in the report`);
  return found;
}

describe('npm run bench', () => {
  it('runs every scenario small and reports positive figures', { timeout: 240_000 }, async () => {
    const report = await runBench({ scale: 0.01, skipLargeSync: true, output: null });

    expect(report.scenarios.map((s) => s.name)).toEqual([
      'raw',
      'push',
      'engine-replay',
      'workspace-outage',
      'group-scaling',
      'paging',
      'sync',
      'mode-sync',
      'cold-init',
    ]);
    for (const result of report.scenarios) {
      for (const field of COMMON) {
        // Loading a bundle calls no DynamoDB: the one figure that is rightly 0.
        if (result.name === 'cold-init' && field === 'dynamoCallsPerOperation') {
          expect(result[field]).toBe(0);
          continue;
        }
        expect(result[field], `${result.name}.${field}`).toBeTypeOf('number');
        expect(result[field] as number, `${result.name}.${field}`).toBeGreaterThan(0);
      }
      expect(Array.isArray(result.targets) || result.name === 'raw').toBe(true);
    }

    const raw = scenario(report.scenarios, 'raw');
    const transactions = raw.transactWrite as Record<string, unknown>[];
    expect(transactions.map((t) => t.items)).toEqual([2, 21]);
    for (const t of transactions) expect(t.opsPerSecond).toBeGreaterThan(0);

    const push = scenario(report.scenarios, 'push');
    const memberships = (push.phases as Record<string, Record<string, unknown>>).memberships;
    // A PATCH adding members writes at least one member item per member it adds.
    expect(memberships?.itemsWrittenPerRequest).toBeGreaterThanOrEqual(push.batchSize as number);
    expect(memberships?.transactionsPerRequest).toBeGreaterThan(0);
    expect(push.batchSize).toBeGreaterThan(0);
    expect(push.membershipsPerSecond).toBeGreaterThan(0);
    expect(push.requestRateToRawPut).toBeGreaterThan(0);

    // The replay makes again every request the push sent, and the push is judged against it.
    const replay = scenario(report.scenarios, 'engine-replay');
    expect(replay.recordedRequests).toBe(push.operations);
    expect(replay.pushToReplayRatio).toBeTypeOf('number');
    expect(replay.pushToReplayRatio as number).toBeGreaterThan(0);
    expect(replay.pushRequestsPerSecond).toBe(push.opsPerSecond);

    // Every request answered 2xx while the workspace was down, and it caught up with nothing lost.
    const outage = scenario(report.scenarios, 'workspace-outage');
    expect((outage.outage as Record<string, number>).requestsAnswered).toBeGreaterThan(0);
    expect(outage.non2xxDuringOutage).toBe(0);
    expect(outage.non2xx).toBe(0);
    expect(outage.converged).toBe(true);
    expect(outage.missingAfterConvergence).toBe(0);
    expect(outage.pendingAfterConvergence).toBe(0);
    expect(outage.convergedSecondsAfterRecovery as number).toBeLessThanOrEqual(30);

    const scaling = scenario(report.scenarios, 'group-scaling');
    expect(Array.isArray(scaling.sizes) && scaling.sizes.length).toBeGreaterThanOrEqual(2);
    // Small groups are read back whole, members and all; excluding members answers too.
    for (const row of scaling.sizes as Record<string, number>[]) {
      expect(row.getStatus, `GET of the ${row.groupSize}-member group`).toBe(200);
      expect(row.getBytes).toBeGreaterThan(0);
      expect(row.getExcludedMs).toBeGreaterThan(0);
    }

    const paging = scenario(report.scenarios, 'paging');
    expect(paging.itemsRead).toBeGreaterThanOrEqual(paging.users as number);

    const sync = scenario(report.scenarios, 'sync');
    const [run] = sync.runs as Record<string, unknown>[];
    expect(run?.planAsExpected).toBe(true);
    expect(run?.changesApplied).toBe(run?.changesPlanned);
    expect(run?.itemsRead).toBeGreaterThan(0);
    expect(run?.maxRssBytes).toBeGreaterThan(0);
    // The dry run before it reports the heap alive after full collections: the loaded code's before
    // the run, and the run's peak, sampled at least once (its plan).
    const live = run?.liveHeap as { baseline: number; peak: number; samples: number } | undefined;
    expect(live?.baseline).toBeGreaterThan(0);
    expect(live?.peak).toBeGreaterThanOrEqual(live?.baseline ?? Infinity);
    expect(live?.samples).toBeGreaterThan(0);
    expect(run?.shards).toBe(1);
    // The child bounds its heap's growth as the full-sync function does.
    expect(run?.heapGrowingPercent).toBe(30);

    const cold = scenario(report.scenarios, 'cold-init').perFunction as Record<
      string,
      Record<string, number>
    >;
    expect(Object.keys(cold)).toEqual(['scimUsers', 'scimGroups', 'scimDiscovery', 'fullSync', 'apply']);
    for (const figures of Object.values(cold)) expect(figures.p50Ms).toBeGreaterThan(0);
    // The discovery function loads no DynamoDB client: its bundle is the smallest by far.
    expect(cold.scimDiscovery?.bundleKB).toBeLessThan((cold.scimUsers?.bundleKB ?? 0) / 2);

    const mode = scenario(report.scenarios, 'mode-sync');
    expect(mode.planAsExpected).toBe(true);
    expect(mode.changesApplied).toBe(mode.changesPlanned);
    expect(mode.modeCalls).toBeGreaterThan(0);
    const byKind = mode.modeCallsByKind as Record<string, number>;
    expect(byKind.membershipPages).toBeGreaterThan(0);
    expect(byKind.groupMembershipPages).toBeGreaterThan(0);
    expect(byKind.otherWrites).toBe(0);
    expect(byKind.batchPages).toBeGreaterThan(0);
    expect(byKind.userReads).toBe(0);
    const withoutDiscovery = mode.withoutDiscovery as Record<string, number>;
    expect(withoutDiscovery.userReads).toBeGreaterThanOrEqual(mode.users as number); // every Mode member, once
    const paced = mode.paced as Record<string, number>;
    expect(paced.answered429).toBe(0);
    expect(paced.changesFailed).toBe(0);
  });
});
