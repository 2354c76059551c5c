/**
 * One full-sync run of one connection, end to end: take the lease, read both sides completely,
 * plan (pure), store the plan, check the circuit breaker, apply in batches with checkpoints, and
 * record the run. `resume` continues a run that stopped at a checkpoint, in a new invocation.
 *
 * The run never applies anything unless both reads completed: a read error fails the run
 * (`failed`, SyncFailed) before planning. A dry run stores and reports the plan and stops.
 *
 * Access incidents: a run lists the open ones before it reads, resolves those the reads show no
 * longer hold (settled-incidents.ts), records and resolves them as it applies, and counts the ones
 * still open when it ends (`AccessNotRemoved`). A dry run changes none of them.
 */
import { recordTakeovers } from '../provisioning/rollout-store';
import type { AccessIncident } from '../store/access-incidents';
import type { Db } from '../store/client';
import type { LinkStore } from '../store/link-store';
import type { WorkspaceConnector } from '../workspace/port';
import { consumeApproval, readApproval } from './approval';
import { applyPlan } from './apply-plan';
import type { BreakerLimits } from './circuit-breaker';
import { approvalCovers, checkBreaker, limitsFromEnv } from './circuit-breaker';
import type { DesiredState } from './desired';
import { acquireLease, releaseLease } from './lease';
import { LinkRecorder, recordUnchanged, resourceKey } from './link-recorder';
import { grantCount } from './observed';
import type { ObservedWorkspace } from './observed';
import { prepareStorage } from './prepare-storage';
import { readAndPlanSync } from './read-and-plan';
import type { PlanReady, ShardedDeps } from './sharded-sync';
import { readAndPlanSharded, resumePlan } from './sharded-sync';
import { SHARD_USERS, shardCount } from './shard';
import { SyncReadError } from './sync-read-error';
import { summarisePermissions } from './permission-summary';
import { settledIncidents } from './settled-incidents';
import { chunked, getChunk, getRun, newRunId, plannedChunk, putChunks, putRun } from './run-store';
import type { SyncMetricsSink } from './sync-metrics';
import { runAudited } from '../audit/audit-context';
import { noSyncMetrics, runMetrics } from './sync-metrics';
import type { ProgressListener } from './sync-progress';
import { toPlanned } from './planned-changes';
import type { ChangeOutcome, PlannedChange, RunStatus, SyncRun } from './sync-run';

export const DEFAULT_BATCH_SIZE = 250;
export const DEFAULT_CONCURRENCY = 8;
/** Stop at a batch boundary with this much time left: enough to write the checkpoint and re-invoke. */
export const DEFAULT_RESERVE_MS = 60_000;
const OBSERVATION_CHUNK = 1000;

export interface SyncDeps {
  db: Db;
  store: LinkStore;
  connector: WorkspaceConnector;
  connectionId: string;
  limits?: BreakerLimits;
  metrics?: SyncMetricsSink;
  now?: () => number;
  /** Time left in this invocation (Lambda's getRemainingTimeInMillis); unlimited when absent. */
  remainingMs?: () => number;
  reserveMs?: number;
  batchSize?: number;
  concurrency?: number;
  onProgress?: ProgressListener;
  /** Users per shard (shard.ts): a larger link state is read and planned shard by shard. */
  shardUsers?: number;
}

export interface SyncOptions {
  dryRun?: boolean;
  /**
   * Also read the workspace's collection and data source permissions for the report (a count and
   * the groups holding them; permission-summary.ts). Off by default: it costs workspace calls.
   */
  permissions?: boolean;
  /** The run id of a checkpointed run to continue. */
  resume?: string;
}

export type SyncResult =
  | { status: 'overlapping'; connectionId: string; runId?: string }
  | { status: RunStatus; connectionId: string; runId: string; run: SyncRun };

export async function runSync(deps: SyncDeps, options: SyncOptions = {}): Promise<SyncResult> {
  if (options.resume !== undefined) {
    const runId = options.resume;
    return runAudited({ actor: 'sync', ref: runId }, () => resume(deps, runId));
  }
  const runId = newRunId((deps.now ?? Date.now)());
  // Everything the run writes is stamped with its id (shared/audit/).
  return runAudited({ actor: 'sync', ref: runId }, () =>
    start(deps, runId, options.dryRun === true, options.permissions === true),
  );
}

async function start(
  deps: SyncDeps,
  runId: string,
  dryRun: boolean,
  permissions: boolean,
): Promise<SyncResult> {
  const { db, connectionId } = deps;
  const now = deps.now ?? Date.now;
  if (!(await acquireLease(db, connectionId, runId, now()))) return { status: 'overlapping', connectionId };
  const run: SyncRun = {
    connectionId,
    runId,
    status: 'running',
    dryRun,
    startedAt: new Date(now()).toISOString(),
    invocations: 1,
    counts: {},
    changeCount: 0,
    chunkCount: 0,
    nextChunk: 0,
    observationCount: 0,
    observationChunks: 0,
    errors: [],
  };
  try {
    await putRun(db, run);
    if (!dryRun) {
      await prepareStorage({ ...deps, reserveMs: deps.reserveMs ?? DEFAULT_RESERVE_MS });
    }
    // Listed before the reads: an incident written again after them is another version, and stays.
    const incidents = dryRun ? [] : await deps.store.listAccessIncidents(connectionId);
    const shards = await shardsOf(deps);
    // Only the run and the stored plan go on to the apply: once recorded, the reads and the plan
    // in memory are dropped (`prepared = undefined`), so that the apply's memory is its batches'.
    let prepared: PlanReady | 'checkpointed' | undefined =
      shards > 1
        ? await readAndPlanSharded(shardedDeps(deps), run, shards, incidents, permissions)
        : await readAndPlan(deps, run, incidents, permissions);
    if (prepared === 'checkpointed') return await checkpoint(deps, run);
    const ended = await beforeApply(deps, run, prepared);
    if (ended) return ended;
    prepared = undefined;
    return await applyAndFinish(deps, run, new LinkRecorder(), (index) => plannedChunk(db, run, index));
  } catch (error) {
    return failed(deps, run, error);
  }
}

/** How many shards the run plans in: one until the link state outgrows SHARD_USERS (shard.ts). */
async function shardsOf(deps: SyncDeps): Promise<number> {
  let users: number;
  try {
    users = (await deps.store.listUsers(deps.connectionId, 1, 1)).totalResults;
  } catch (cause) {
    throw new SyncReadError('link state', { cause });
  }
  return shardCount(users, deps.shardUsers ?? SHARD_USERS);
}

function shardedDeps(deps: SyncDeps): ShardedDeps {
  const remainingMs = deps.remainingMs;
  const reserveMs = deps.reserveMs ?? DEFAULT_RESERVE_MS;
  return {
    db: deps.db,
    store: deps.store,
    connector: deps.connector,
    connectionId: deps.connectionId,
    ...(deps.limits ? { limits: deps.limits } : {}),
    batchSize: deps.batchSize ?? DEFAULT_BATCH_SIZE,
    onProgress: deps.onProgress ?? (() => {}),
    shouldCheckpoint: () => remainingMs !== undefined && remainingMs() < reserveMs,
  };
}

/**
 * Between a stored plan and its apply: a dry run ends here, a tripped breaker may refuse the run,
 * and the takeovers and the resources the plan leaves alone are recorded. Answers the run's
 * result when it ends here.
 */
async function beforeApply(
  deps: SyncDeps,
  run: SyncRun,
  prepared: PlanReady,
): Promise<SyncResult | undefined> {
  const now = deps.now ?? Date.now;
  if (run.dryRun) return finish(deps, run, 'completed');
  const refused = await refusal(deps, run);
  if (refused) return refused;
  await recordTakeovers(deps.db, deps.connectionId, prepared.takeovers, new Date(now()));
  await prepared.recordUnchanged(new Date(now()));
  return undefined;
}

/** A tripped breaker without an approval that covers it ends the run `refused`. */
async function refusal(deps: SyncDeps, run: SyncRun): Promise<SyncResult | undefined> {
  const { db, connectionId } = deps;
  const verdict = run.breaker;
  if (!verdict?.tripped) return undefined;
  const approval = await readApproval(db, connectionId, (deps.now ?? Date.now)());
  if (
    approval &&
    approvalCovers(approval, verdict) &&
    (await consumeApproval(db, connectionId, approval.runId))
  ) {
    run.approvedRun = approval.runId;
    return undefined;
  }
  run.errors.push(
    `circuit breaker: refused (${verdict.reasons.join(', ')}); approve with \`roster sync approve ${run.runId}\``,
  );
  return finish(deps, run, 'refused');
}

/** Stops at a checkpoint; the lease stays with the run, which the resumed invocation takes again by id. */
async function checkpoint(deps: SyncDeps, run: SyncRun): Promise<SyncResult> {
  run.status = 'checkpointed';
  await putRun(deps.db, run);
  return { status: 'checkpointed', connectionId: run.connectionId, runId: run.runId, run };
}

async function resume(deps: SyncDeps, runId: string): Promise<SyncResult> {
  const { db, connectionId } = deps;
  const now = deps.now ?? Date.now;
  const run = await getRun(db, connectionId, runId);
  if (!run) throw new Error(`no run ${runId} for connection ${connectionId}`);
  if (run.status !== 'checkpointed') return { status: run.status, connectionId, runId, run };
  if (!(await acquireLease(db, connectionId, runId, now())))
    return { status: 'overlapping', connectionId, runId };
  run.status = 'running';
  run.invocations++;
  try {
    await putRun(db, run);
    if (run.shards && run.shards.step !== 'planned') {
      // Checkpointed while planning: plan the shards left, then go on as a new run does.
      let prepared: PlanReady | 'checkpointed' | undefined = await resumePlan(shardedDeps(deps), run);
      if (prepared === 'checkpointed') return await checkpoint(deps, run);
      const ended = await beforeApply(deps, run, prepared);
      if (ended) return ended;
      prepared = undefined;
      return await applyAndFinish(deps, run, new LinkRecorder(), (index) => plannedChunk(db, run, index));
    }
    const recorder = new LinkRecorder();
    for (let index = 0; index < run.nextChunk; index++) {
      const planned = await plannedChunk(db, run, index);
      const outcomes = await getChunk<ChangeOutcome>(db, run, 'OUTCOMES', index);
      planned.forEach((entry, i) => {
        const outcome = outcomes[i];
        if (outcome) recorder.replay(entry, outcome);
      });
    }
    return await applyAndFinish(deps, run, recorder, (index) => plannedChunk(db, run, index));
  } catch (error) {
    return failed(deps, run, error);
  }
}

/** Reads, plans and stores the plan; keeps only what recording unchanged resources needs. */
async function readAndPlan(
  deps: SyncDeps,
  run: SyncRun,
  incidents: readonly AccessIncident[],
  permissions: boolean,
): Promise<PlanReady> {
  const onProgress = deps.onProgress ?? (() => {});
  const { observed, desired, plan } = await readAndPlanSync(deps);
  if (permissions) run.permissions = await summarisePermissions(deps.connector, observed, onProgress);
  run.read = {
    members: observed.members.size,
    groups: observed.groups.size,
    grants: grantCount(observed),
    users: desired.users.size,
    idpGroups: desired.groups.size,
  };
  if (plan.held.length > 0) {
    run.held = {};
    for (const { reason } of plan.held) run.held[reason] = (run.held[reason] ?? 0) + 1;
  }
  const planned = toPlanned(plan.changes, desired);
  for (const { change } of planned)
    (run.counts[change.kind] ??= { planned: 0, applied: 0, failed: 0 }).planned++;
  const chunks = chunked(planned, deps.batchSize ?? DEFAULT_BATCH_SIZE);
  const observationChunks = chunked(plan.observations, OBSERVATION_CHUNK);
  run.changeCount = planned.length;
  run.chunkCount = chunks.length;
  run.observationCount = plan.observations.length;
  run.observationChunks = observationChunks.length;
  run.breaker = checkBreaker(
    plan.changes,
    observed,
    desired,
    deps.limits ?? limitsFromEnv(),
    deps.connectionId,
  );
  await putChunks(deps.db, run, 'CHANGES', chunks);
  await putChunks(deps.db, run, 'OBSERVATIONS', observationChunks);
  run.access = { recorded: 0, resolved: await resolveSettled(deps, incidents, observed, desired) };
  await putRun(deps.db, run);
  const touched = new Set<string>();
  for (const { resource } of planned) if (resource) touched.add(resourceKey(resource));
  // What the rollout settings hold back is not applied: it keeps its apply state, not `applied`.
  for (const { subject } of plan.held)
    touched.add(resourceKey({ kind: subject.kind === 'user' ? 'User' : 'Group', id: subject.id }));
  return {
    takeovers: plan.takeovers,
    recordUnchanged: async (now) => {
      await recordUnchanged(deps.store, deps.connectionId, desired, touched, now);
    },
  };
}

/** Resolves the incidents the reads show no longer hold, each only if still the version listed. */
async function resolveSettled(
  deps: SyncDeps,
  incidents: readonly AccessIncident[],
  observed: ObservedWorkspace,
  desired: DesiredState,
): Promise<number> {
  let resolved = 0;
  for (const incident of settledIncidents(incidents, observed, desired)) {
    const { lastSeenAt, attempts } = incident;
    if (
      await deps.store.resolveAccessIncident(deps.connectionId, incident, { seen: { lastSeenAt, attempts } })
    )
      resolved++;
  }
  return resolved;
}

async function applyAndFinish(
  deps: SyncDeps,
  run: SyncRun,
  recorder: LinkRecorder,
  chunk: (index: number) => Promise<PlannedChange[]>,
): Promise<SyncResult> {
  const remainingMs = deps.remainingMs;
  const reserveMs = deps.reserveMs ?? DEFAULT_RESERVE_MS;
  const outcome = await applyPlan(run, {
    db: deps.db,
    store: deps.store,
    connector: deps.connector,
    connectionId: deps.connectionId,
    recorder,
    chunk,
    shouldCheckpoint: () => remainingMs !== undefined && remainingMs() < reserveMs,
    now: deps.now ?? Date.now,
    concurrency: deps.concurrency ?? DEFAULT_CONCURRENCY,
    onProgress: deps.onProgress ?? (() => {}),
  });
  if (outcome === 'checkpointed') return checkpoint(deps, run);
  return finish(deps, run, 'completed');
}

async function failed(deps: SyncDeps, run: SyncRun, error: unknown): Promise<SyncResult> {
  const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  run.errors.unshift(`run failed: ${why}`);
  return finish(deps, run, 'failed');
}

async function finish(deps: SyncDeps, run: SyncRun, status: RunStatus): Promise<SyncResult> {
  const now = (deps.now ?? Date.now)();
  run.status = status;
  run.endedAt = new Date(now).toISOString();
  run.durationMs = now - Date.parse(run.startedAt);
  try {
    run.access = { recorded: 0, resolved: 0, ...run.access, open: await openIncidents(deps) };
    await putRun(deps.db, run);
  } finally {
    await releaseLease(deps.db, run.connectionId, run.runId);
    (deps.metrics ?? noSyncMetrics).emit(runMetrics(run), {
      connectionId: run.connectionId,
      runId: run.runId,
    });
  }
  return { status, connectionId: run.connectionId, runId: run.runId, run };
}

/** The connection's open access incidents, or undefined when they cannot be counted (the run's outcome stands). */
async function openIncidents(deps: SyncDeps): Promise<number | undefined> {
  try {
    return (await deps.store.listAccessIncidents(deps.connectionId)).length;
  } catch {
    return undefined;
  }
}
