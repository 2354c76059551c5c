/**
 * The full sync's read and plan for a link state too large to join in memory (more users than
 * `SHARD_USERS` per shard): the reads are spilled by shard (shard-read.ts), then each shard is read
 * back, planned (sharded-plan.ts) and its plan stored, one at a time, so that memory follows the
 * shard and not the workspace. The apply then runs as for any run, from the stored chunks.
 *
 * Checkpoints: the run record says how far read and plan got (`run.shards`). After the reads and
 * after each shard it is written; when the invocation's time runs short between shards the run
 * stops `checkpointed` and `resumePlan` continues at the next shard in a new invocation. What one
 * shard planned is never planned again: its changes, observations, unchanged resources and its
 * summary (the groups it touched, their last change, their held changes, its takeovers) are stored
 * before the checkpoint that counts it.
 *
 * What only every shard together knows is put together at the end: the held observations of
 * groups, each group's last change (the apply records a group's outcome after it; the chunks that
 * hold one are written again with the mark), the order of the plan's chunks (`run.chunkMap`:
 * phase by phase, shard by shard), and the circuit breaker's verdict from the shards' counts.
 *
 * Access incidents: those the run listed before its reads are spilled with the shard of the member
 * they are about and settled as that shard is planned, in whichever invocation plans it (each one
 * only if it is still the version listed).
 */
import { readRollout } from '../provisioning/rollout-store';
import type { AccessIncident } from '../store/access-incidents';
import type { Db } from '../store/client';
import type { LinkStore } from '../store/link-store';
import type { WorkspaceConnector } from '../workspace/port';
import type { BreakerLimits } from './circuit-breaker';
import { addTally, breakerVerdict, emptyTally, limitsFromEnv, tallyBreaker } from './circuit-breaker';
import type { HeldTally } from './held-tally';
import { tallyObservations } from './held-tally';
import type { Unchanged } from './link-recorder';
import { resourceKey, unchangedOf, writeUnchanged } from './link-recorder';
import { emptyObserved } from './observed';
import type { SyncPlan } from './plan';
import { summarisePermissions } from './permission-summary';
import { toPlanned } from './planned-changes';
import { chunked, getChunk, putChunks, putRun } from './run-store';
import type { GlobalGroups, ShardIncident } from './shard-read';
import { loadGroups, loadShard, spillReads } from './shard-read';
import { addGroupTally, planningOrder, planOneShard } from './sharded-plan';
import { GROUP_SHARD } from './shard';
import { readSpill, SpillWriter } from './spill';
import { settledIncidents } from './settled-incidents';
import type { ProgressListener } from './sync-progress';
import type { PlannedChange, ShardProgress, SyncRun } from './sync-run';

const OBSERVATION_CHUNK = 1000;

export interface ShardedDeps {
  db: Db;
  store: LinkStore;
  connector: WorkspaceConnector;
  connectionId: string;
  limits?: BreakerLimits;
  batchSize: number;
  onProgress: ProgressListener;
  /** Asked before every shard but the first of an invocation: true stops at this boundary. */
  shouldCheckpoint: () => boolean;
}

/** What the run needs once planned: the takeovers to record and the unchanged resources to mark. */
export interface PlanReady {
  takeovers: SyncPlan['takeovers'];
  recordUnchanged: (now: Date) => Promise<void>;
}

/**
 * Where a group's last change so far sits: its phase, shard, stored chunk and position in it. The
 * apply runs phase by phase, shard by shard, and a segment's chunks in the order they were stored,
 * so the latest of two is the greater in that order.
 */
type LastAt = [groupId: string, phase: number, shard: number, stored: number, position: number];

function later(a: LastAt, b: LastAt): boolean {
  for (let i = 1; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x > y;
  }
  return false;
}

/** One shard's summary record (spill stream SUMMARY), one fact per record so that chunks stay small. */
type SummaryRecord =
  | { held: string }
  | { tally: HeldTally }
  | { touched: string }
  | { last: LastAt }
  | { takeover: SyncPlan['takeovers'][number] };

interface Folded {
  groupsHeld: Set<string>;
  groupTally: Map<string, HeldTally>;
  groupsTouched: Set<string>;
  /** Group id → its last change in the shards planned so far. */
  lasts: Map<string, LastAt>;
  takeovers: SyncPlan['takeovers'];
}

const emptyFold = (): Folded => ({
  groupsHeld: new Set(),
  groupTally: new Map(),
  groupsTouched: new Set(),
  lasts: new Map(),
  takeovers: [],
});

function fold(into: Folded, record: SummaryRecord): void {
  if ('held' in record) into.groupsHeld.add(record.held);
  else if ('tally' in record) addGroupTally(into.groupTally, [record.tally]);
  else if ('touched' in record) into.groupsTouched.add(record.touched);
  else if ('last' in record) {
    const seen = into.lasts.get(record.last[0]);
    if (!seen || later(record.last, seen)) into.lasts.set(record.last[0], record.last);
  } else into.takeovers.push(record.takeover);
}

/** Reads both sides into shards and plans them; `checkpointed` when time ran out between shards. */
export async function readAndPlanSharded(
  deps: ShardedDeps,
  run: SyncRun,
  shards: number,
  incidents: readonly AccessIncident[],
  permissions: boolean,
): Promise<PlanReady | 'checkpointed'> {
  run.shards = {
    count: shards,
    step: 'read',
    planned: 0,
    spilled: {},
    storedChunks: 0,
    segments: [],
    tally: emptyTally(),
  };
  const reads = await spillReads(deps, run, shards, incidents);
  run.read = reads.read;
  if (permissions) {
    const { groups, everyone } = reads.groups;
    run.permissions = await summarisePermissions(
      deps.connector,
      { ...emptyObserved(), groups, ...(everyone ? { everyone } : {}) },
      deps.onProgress,
    );
  }
  run.shards.spilled = reads.spilled;
  run.shards.step = 'plan';
  await putRun(deps.db, run);
  return planShards(deps, run, run.shards, reads.groups, true);
}

/** Continues the planning of a run checkpointed between shards. */
export async function resumePlan(deps: ShardedDeps, run: SyncRun): Promise<PlanReady | 'checkpointed'> {
  const progress = run.shards;
  if (!progress || progress.step !== 'plan')
    throw new Error(`run ${run.runId} is not checkpointed in its plan`);
  const groups = await loadGroups(deps.db, run, progress.spilled);
  return planShards(deps, run, progress, groups, false);
}

async function planShards(
  deps: ShardedDeps,
  run: SyncRun,
  progress: ShardProgress,
  groups: GlobalGroups,
  firstInvocation: boolean,
): Promise<PlanReady | 'checkpointed'> {
  const { db, connectionId } = deps;
  const order = planningOrder(progress.count);
  const options = {
    capabilities: deps.connector.capabilities,
    connectionId,
    rollout: await readRollout(db, connectionId),
  };
  const folded = emptyFold();
  for (const shard of order.slice(0, progress.planned)) {
    for await (const records of summaryOf(db, run, progress, shard))
      for (const record of records) fold(folded, record);
  }
  const started = progress.planned;
  for (let index = progress.planned; index < order.length; index++) {
    // A resumed invocation plans one shard at least, so that every invocation makes progress.
    if ((firstInvocation || index > started) && deps.shouldCheckpoint()) return 'checkpointed';
    const shard = order[index] as number;
    const world = await loadShard(db, run, progress.spilled, shard, groups);
    const plan = planOneShard(world, shard, options, folded.groupsHeld);
    const writer = new SpillWriter(db, run, progress.spilled);
    const summary = (record: SummaryRecord) => {
      fold(folded, record);
      return writer.add(shard, 'SUMMARY', record);
    };

    const touched = new Set<string>();
    const lastOf = new Map<string, LastAt>();
    const batch = deps.batchSize;
    for (let phase = 0; phase < plan.phases.length; phase++) {
      const planned = toPlanned(
        plan.phases[phase] ?? [],
        world.desired,
        (resource) => resource.kind === 'User',
      );
      const chunks = chunked(planned, batch);
      const first = progress.storedChunks;
      await putChunks(db, run, 'CHANGES', chunks, first);
      progress.storedChunks += chunks.length;
      if (chunks.length > 0) progress.segments.push({ phase, shard, first, count: chunks.length });
      planned.forEach(({ change, resource }, i) => {
        (run.counts[change.kind] ??= { planned: 0, applied: 0, failed: 0 }).planned++;
        if (!resource) return;
        touched.add(resourceKey(resource));
        if (resource.kind === 'Group')
          lastOf.set(resource.id, [resource.id, phase, shard, first + Math.floor(i / batch), i % batch]);
      });
      run.changeCount += planned.length;
    }
    for (const entry of plan.held) {
      run.held ??= {};
      run.held[entry.reason] = (run.held[entry.reason] ?? 0) + 1;
      touched.add(
        resourceKey({ kind: entry.subject.kind === 'user' ? 'User' : 'Group', id: entry.subject.id }),
      );
    }
    const observationChunks = chunked(plan.observations, OBSERVATION_CHUNK);
    await putChunks(db, run, 'OBSERVATIONS', observationChunks, run.observationChunks);
    run.observationChunks += observationChunks.length;
    run.observationCount += plan.observations.length;

    const changes = plan.phases.flat();
    addTally(
      progress.tally,
      tallyBreaker(changes, world.observed, world.desired, connectionId, shard === GROUP_SHARD),
    );
    const incidents: ShardIncident[] = [];
    const chunks = progress.spilled[`${shard}#INCIDENTS`] ?? 0;
    for await (const records of readSpill<ShardIncident>(db, run, shard, 'INCIDENTS', chunks))
      incidents.push(...records);
    // `active` is spilled only beside a member incident that names its user (shard-read.ts).
    const active = new Map<string, boolean>();
    for (const { incident, active: wanted } of incidents)
      if (wanted !== undefined && incident.userId !== undefined) active.set(incident.userId, wanted);
    let resolved = 0;
    const open = incidents.map(({ incident }) => incident);
    for (const incident of settledIncidents(open, world.observed, world.desired, (userId) =>
      active.has(userId) ? active.get(userId) : world.desired.users.get(userId)?.member.active,
    )) {
      const { lastSeenAt, attempts } = incident;
      if (await deps.store.resolveAccessIncident(connectionId, incident, { seen: { lastSeenAt, attempts } }))
        resolved++;
    }
    run.access = { recorded: 0, ...run.access, resolved: (run.access?.resolved ?? 0) + resolved };

    const users = { users: world.desired.users, groups: new Map() };
    for (const unchanged of unchangedOf(users, touched)) await writer.add(shard, 'UNCHANGED', unchanged);
    for (const id of plan.groupsHeld) await summary({ held: id });
    for (const tally of plan.groupTally) await summary({ tally });
    for (const key of touched) if (key.startsWith('Group:')) await summary({ touched: key });
    for (const last of lastOf.values()) await summary({ last });
    for (const takeover of plan.takeovers) await summary({ takeover });
    await writer.flush();
    progress.spilled = writer.chunks;
    progress.planned = index + 1;
    deps.onProgress({ phase: 'plan', step: `shard ${index + 1} of ${order.length}`, done: run.changeCount });
    await putRun(db, run);
  }
  return finishPlan(deps, run, progress, groups, folded);
}

function summaryOf(db: Db, run: SyncRun, progress: ShardProgress, shard: number) {
  return readSpill<SummaryRecord>(db, run, shard, 'SUMMARY', progress.spilled[`${shard}#SUMMARY`] ?? 0);
}

/** What only all shards together decide: group held observations, group last marks, chunk order, verdict. */
async function finishPlan(
  deps: ShardedDeps,
  run: SyncRun,
  progress: ShardProgress,
  groups: GlobalGroups,
  folded: Folded,
): Promise<PlanReady> {
  const { db } = deps;
  const heldGroups = tallyObservations(folded.groupTally.values());
  const observationChunks = chunked(heldGroups, OBSERVATION_CHUNK);
  await putChunks(db, run, 'OBSERVATIONS', observationChunks, run.observationChunks);
  run.observationChunks += observationChunks.length;
  run.observationCount += heldGroups.length;

  const segments = [...progress.segments].sort((a, b) => a.phase - b.phase || a.shard - b.shard);
  const chunkMap: number[] = [];
  for (const { first, count } of segments) for (let i = 0; i < count; i++) chunkMap.push(first + i);
  const marks = new Map<number, number[]>();
  for (const [, , , stored, position] of folded.lasts.values())
    marks.set(stored, [...(marks.get(stored) ?? []), position]);
  for (const [stored, positions] of marks) {
    const chunk = await getChunk<PlannedChange>(db, run, 'CHANGES', stored);
    for (const position of positions) {
      const entry = chunk[position];
      if (entry) entry.last = true;
    }
    await putChunks(db, run, 'CHANGES', [chunk], stored);
  }

  run.chunkMap = chunkMap;
  run.chunkCount = chunkMap.length;
  run.breaker = breakerVerdict(progress.tally, deps.limits ?? limitsFromEnv());
  progress.step = 'planned';
  await putRun(db, run);
  return {
    takeovers: folded.takeovers,
    recordUnchanged: async (now) => {
      for (let shard = 0; shard < progress.count; shard++) {
        const chunks = progress.spilled[`${shard}#UNCHANGED`] ?? 0;
        for await (const due of readSpill<Unchanged>(db, run, shard, 'UNCHANGED', chunks))
          await writeUnchanged(deps.store, run.connectionId, due, now);
      }
      const desiredGroups = { users: new Map(), groups: new Map(groups.desired.map((g) => [g.groupId, g])) };
      await writeUnchanged(
        deps.store,
        run.connectionId,
        unchangedOf(desiredGroups, folded.groupsTouched),
        now,
      );
    },
  };
}
