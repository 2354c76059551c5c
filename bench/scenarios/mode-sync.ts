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
import type { Extra, ScenarioResult } from '../result';
import type { Scenario } from '../scenario';
import { scaled } from '../scenario';
import type { BenchModeTarget, SyncChildReport } from '../sync/sync-child';
import type { BenchEnvironment } from '../environment';
import { expectedModePlan, seedModeLinks, seedModeState } from '../sync/mode-world';
import type { SyncWorldSize } from '../sync/sync-world';
import { runChild } from './sync';

export const MODE_HAL_PAGE_SIZE = 100;
/** The fixture's limit, not Mode's: generous, so that the run measures the calls, not the waits. */
export const MODE_FIXTURE_RATE_LIMIT = { requests: 100_000, windowMs: 60_000, retryAfter: '1' };
/** The paced run: the fixture allows this many calls a second, and the connector paces under it. */
export const MODE_PACED_FIXTURE_LIMIT = 40;
export const MODE_PACED_RATE = 36;

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

interface Variant {
  name: string;
  /** An Enterprise workspace: emails from the Discovery listing. */
  discovery: boolean;
  /** The fixture's limit and the connector's pacer, requests per second. */
  limit?: { fixture: number; pace: number };
}

interface VariantResult {
  report: SyncChildReport;
  calls: number;
  writes: number;
  byKind: Record<string, number>;
  rateLimited: number;
  memberships: number;
  seeded: number;
}

async function runVariant(
  env: BenchEnvironment,
  size: SyncWorldSize,
  variant: Variant,
  log: (line: string) => void,
) {
  const server = await startModeServer({
    halPageSize: MODE_HAL_PAGE_SIZE,
    rateLimit: variant.limit
      ? { requests: variant.limit.fixture, windowMs: 1000, retryAfter: '1' }
      : MODE_FIXTURE_RATE_LIMIT,
    discovery: variant.discovery,
  });
  try {
    const tenant = await env.newTenant(`mode${size.users}${variant.name}`);
    const memberships = seedModeState(server.state, size);
    server.refreshDiscovery();
    const seeded = await seedModeLinks(env.db, tenant.connectionId, size);
    server.requests.splice(0);
    const target: BenchModeTarget = {
      baseUrl: server.baseUrl,
      workspace: server.workspace,
      token: server.token,
      secret: server.secret,
      ...(variant.discovery ? { signature: server.signature } : {}),
      ...(variant.limit ? { maxRequestsPerSecond: variant.limit.pace } : {}),
    };
    const report = await runChild(tenant.connectionId, tenant.workspaceId, {
      BENCH_MODE: JSON.stringify(target),
    });
    log(
      `mode-sync ${variant.name}: ${report.status} in ${report.seconds.toFixed(1)} s, ${server.requests.length} Mode calls, ${server.rateLimited} answered 429`,
    );
    if (report.status !== 'completed') {
      throw new Error(`the Mode sync (${variant.name}) ended ${report.status}: ${report.errors.join('; ')}`);
    }
    const result: VariantResult = {
      report,
      calls: server.requests.length,
      writes: server.requests.filter((request) => !request.startsWith('GET ')).length,
      byKind: requestsByKind(server.requests),
      rateLimited: server.rateLimited,
      memberships,
      seeded,
    };
    return result;
  } finally {
    await server.close();
  }
}

function summary(result: VariantResult): { [key: string]: Extra } {
  return {
    seconds: round(result.report.seconds, 2),
    modeCalls: result.calls,
    modeWrites: result.writes,
    userReads: result.byKind.userReads ?? 0,
    answered429: result.rateLimited,
    modeCallsPerMinute: round((result.calls / result.report.seconds) * 60, 0),
    minutesAtOneCallPerSecond: round(result.calls / 60, 1),
    changesApplied: result.report.applied,
    changesFailed: result.report.failed,
  };
}

/**
 * Three runs of the same world: an Enterprise workspace (emails from the Discovery listing), a
 * workspace without the Discovery API (emails from each member's user resource, the first sync
 * of a cold connector), and the Enterprise run again with the fixture limited and the connector
 * paced under it, to show that the pacer keeps a whole sync free of 429s.
 */
export const modeSync: Scenario = async (env, { scale, log }) => {
  const size: SyncWorldSize = {
    users: scaled(10_000, scale, 20),
    groups: scaled(200, scale, 2),
    grants: scaled(50_000, scale, 40),
  };
  const paced = { fixture: MODE_PACED_FIXTURE_LIMIT, pace: MODE_PACED_RATE };
  const main = await runVariant(env, size, { name: 'e', discovery: true }, log);
  const withoutDiscovery = await runVariant(env, size, { name: 'u', discovery: false }, log);
  const pacedRun = await runVariant(env, size, { name: 'p', discovery: true, limit: paced }, log);
  const { report } = main;
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
    memberships: main.memberships,
    seededItems: main.seeded,
    halPageSize: MODE_HAL_PAGE_SIZE,
    fixtureRateLimit: `${MODE_FIXTURE_RATE_LIMIT.requests} per ${MODE_FIXTURE_RATE_LIMIT.windowMs / 1000} s (the fixture's, not Mode's)`,
    modeCalls: main.calls,
    modeReads: main.calls - main.writes,
    modeWrites: main.writes,
    modeCallsByKind: main.byKind,
    modeCallsPerSecond: round(main.calls / report.seconds, 1),
    modeCallsPerMinute: round((main.calls / report.seconds) * 60, 0),
    minutesAtOneCallPerSecond: round(main.calls / 60, 1),
    withoutDiscovery: summary(withoutDiscovery),
    paced: { fixtureLimitPerSecond: paced.fixture, pacePerSecond: paced.pace, ...summary(pacedRun) },
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
};
