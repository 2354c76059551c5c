/**
 * The full sync against the Mode test server: 10,000 members, 200 groups and 50,000 group
 * memberships (and Mode's Everyone group holding every member), the link state seeded as after a
 * complete push with ~1% drift on Mode's side (mode-world.ts). The HAL listings page by 100 (the
 * fixture's `halPageSize`; Mode's own page size is not documented) and the batch listing by 1,000
 * (the connector's `per_page`). The fixture's rate limit is generous on purpose (Mode's is not
 * known to us): the figures to compare with any real limit are the calls and calls per minute.
 * The sync runs in a child process (sync-child.ts), so its peak RSS is its own; the server runs
 * here and counts every request by kind.
 */
import { startModeServer } from '../../test/fixtures/mode/server';
import { round } from '../latency';
import type { ScenarioResult } from '../result';
import type { Scenario } from '../scenario';
import { scaled } from '../scenario';
import type { BenchModeTarget } from '../sync/sync-child';
import { expectedModePlan, seedModeLinks, seedModeState } from '../sync/mode-world';
import type { SyncWorldSize } from '../sync/sync-world';
import { runChild } from './sync';

export const MODE_HAL_PAGE_SIZE = 100;
/** The fixture's limit, not Mode's: generous, so that the run measures the calls, not the waits. */
export const MODE_FIXTURE_RATE_LIMIT = { requests: 100_000, windowMs: 60_000, retryAfter: '1' };

const KINDS: [string, RegExp][] = [
  ['membershipPages', /^GET \/api\/[^/]+\/memberships(\?|$)/],
  ['batchPages', /^GET \/batch\/[^/]+\/members(\?|$)/],
  ['groupListings', /^GET \/api\/[^/]+\/groups(\?|$)/],
  ['groupMembershipPages', /^GET \/api\/[^/]+\/groups\/[^/]+\/memberships(\?|$)/],
  ['groupReads', /^GET \/api\/[^/]+\/groups\/[^/?]+(\?|$)/],
  ['userReads', /^GET \/api\/[^/?]+(\?|$)/],
  ['grantWrites', /^POST \/api\/[^/]+\/groups\/[^/]+\/memberships$/],
  ['revokeWrites', /^DELETE \/api\/[^/]+\/groups\/[^/]+\/memberships\/[^/]+$/],
  ['renameWrites', /^PATCH \/api\/[^/]+\/groups\/[^/]+$/],
];

/** Counts requests by kind (the first pattern that matches); the rest as `otherReads`/`otherWrites`. */
export function requestsByKind(requests: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(KINDS.map(([kind]) => [kind, 0]));
  counts.otherReads = 0;
  counts.otherWrites = 0;
  for (const request of requests) {
    const kind = KINDS.find(([, pattern]) => pattern.test(request))?.[0];
    const key = kind ?? (request.startsWith('GET ') ? 'otherReads' : 'otherWrites');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export const modeSync: Scenario = async (env, { scale, log }) => {
  const size: SyncWorldSize = {
    users: scaled(10_000, scale, 20),
    groups: scaled(200, scale, 2),
    grants: scaled(50_000, scale, 40),
  };
  const server = await startModeServer({
    halPageSize: MODE_HAL_PAGE_SIZE,
    rateLimit: MODE_FIXTURE_RATE_LIMIT,
  });
  try {
    const tenant = await env.newTenant(`mode${size.users}`);
    const memberships = seedModeState(server.state, size);
    const seeded = await seedModeLinks(env.db, tenant.connectionId, size);
    log(`mode-sync: seeded ${size.users} members / ${size.groups} groups / ${memberships} memberships`);
    server.requests.splice(0);
    const target: BenchModeTarget = {
      baseUrl: server.baseUrl,
      workspace: server.workspace,
      token: server.token,
      secret: server.secret,
    };
    const report = await runChild(tenant.connectionId, tenant.workspaceId, {
      BENCH_MODE: JSON.stringify(target),
    });
    log(
      `mode-sync: ${report.status} in ${report.seconds.toFixed(1)} s, ${server.requests.length} Mode calls`,
    );
    if (report.status !== 'completed') {
      throw new Error(`the Mode sync ended ${report.status}: ${report.errors.join('; ')}`);
    }
    const byKind = requestsByKind(server.requests);
    const calls = server.requests.length;
    const writes = server.requests.filter((request) => !request.startsWith('GET ')).length;
    const planned = Object.fromEntries(Object.entries(report.counts).map(([kind, c]) => [kind, c.planned]));
    const wanted = expectedModePlan(size);
    const result: ScenarioResult = {
      name: 'mode-sync',
      operations: 1,
      seconds: round(report.seconds, 2),
      opsPerSecond: round(1 / report.seconds, 4),
      // One operation is one whole run: its percentiles are its duration.
      p50Ms: round(report.seconds * 1000, 0),
      p95Ms: round(report.seconds * 1000, 0),
      p99Ms: round(report.seconds * 1000, 0),
      dynamoCallsPerOperation: report.calls,
      ...size,
      memberships,
      seededItems: seeded,
      halPageSize: MODE_HAL_PAGE_SIZE,
      fixtureRateLimit: `${MODE_FIXTURE_RATE_LIMIT.requests} per ${MODE_FIXTURE_RATE_LIMIT.windowMs / 1000} s (the fixture's, not Mode's)`,
      modeCalls: calls,
      modeReads: calls - writes,
      modeWrites: writes,
      modeCallsByKind: byKind,
      modeCallsPerSecond: round(calls / report.seconds, 1),
      modeCallsPerMinute: round((calls / report.seconds) * 60, 0),
      phaseSeconds: report.phaseSeconds,
      changesPlanned: report.planned,
      changesApplied: report.applied,
      changesFailed: report.failed,
      plannedByKind: planned,
      expectedByKind: wanted,
      planAsExpected: Object.entries(wanted).every(([kind, n]) => (planned[kind] ?? 0) === n),
      peakRssMiB: round(report.maxRssBytes / 1024 ** 2, 1),
      maxRssBytes: report.maxRssBytes,
      errors: report.errors,
      targets: [],
    };
    return result;
  } finally {
    await server.close();
  }
};
