/**
 * The apply phase: the stored plan, a batch (chunk) at a time. Each batch is applied, then its
 * outcomes, the apply states it settled and the run header with the next batch to apply are
 * written: that header is the checkpoint. Before each batch after the first of an invocation the
 * run asks whether time is running out, and if so stops there, at a batch boundary, so that a
 * resumed run starts exactly after the last recorded batch and applies nothing twice.
 *
 * Within a batch, changes run phase by phase (a grant never overtakes the provisioning it waits
 * for); within a phase, changes to different objects run concurrently and changes to the same
 * object run in order.
 *
 * After each batch, what it did in the workspace is noted for the audit trail (sync-audit.ts), and
 * a removal that failed is recorded as an access incident and one that applied
 * resolves its incident (track-access.ts), before the checkpoint.
 */
import { writeAuditNote } from '../audit/audit-note';
import { changeEffects } from '../provisioning/access-incident';
import { applyChange } from '../provisioning/apply-change';
import type { Change } from '../provisioning/change';
import { trackAccess } from '../provisioning/track-access';
import type { Db } from '../store/client';
import type { LinkStore } from '../store/link-store';
import type { WorkspaceConnector } from '../workspace/port';
import { staleRemoval } from './confirm-removal';
import { deferredOf } from './deferred-id';
import type { LinkRecorder } from './link-recorder';
import { eachLimited } from './link-recorder';
import { PHASE } from './plan';
import { putChunks, putRun } from './run-store';
import { syncNoteEvents, syncNoteId } from './sync-audit';
import type { ProgressListener } from './sync-progress';
import type { ChangeOutcome, PlannedChange, SyncRun } from './sync-run';
import { objectOf, totals } from './sync-run';

export const MAX_RUN_ERRORS = 50;

export interface ApplyDeps {
  db: Db;
  store: LinkStore;
  connector: WorkspaceConnector;
  connectionId: string;
  recorder: LinkRecorder;
  /** The plan's chunk `index`: from memory in the invocation that planned, from the table after a resume. */
  chunk: (index: number) => Promise<PlannedChange[]>;
  /** Asked before every batch but the first of an invocation: true stops at this boundary. */
  shouldCheckpoint: () => boolean;
  now: () => number;
  concurrency: number;
  onProgress: ProgressListener;
}

export async function applyPlan(run: SyncRun, deps: ApplyDeps): Promise<'done' | 'checkpointed'> {
  const first = run.nextChunk;
  for (let index = first; index < run.chunkCount; index++) {
    if (index > first && deps.shouldCheckpoint()) return 'checkpointed';
    const planned = await deps.chunk(index);
    const startedAt = new Date(deps.now());
    const outcomes = await applyBatch(planned, deps);
    await putChunks(deps.db, run, 'OUTCOMES', [outcomes], index);
    planned.forEach((entry, i) => count(run, entry.change, outcomes[i] as ChangeOutcome));
    // Before the checkpoint: a run stopped here applies this batch again, and records it again.
    const access = await trackAccess(
      deps.store,
      run.connectionId,
      changeEffects(
        planned.map((entry, i) => ({ change: entry.change, outcome: outcomes[i] as ChangeOutcome })),
      ),
      startedAt,
      new Date(deps.now()),
    );
    run.access = {
      recorded: (run.access?.recorded ?? 0) + access.recorded.length,
      resolved: (run.access?.resolved ?? 0) + access.resolved,
    };
    // What the batch did in the workspace, for the audit trail (sync-audit.ts): after the access
    // incidents, which must not wait on it, and before the checkpoint, so a run stopped here
    // writes the same note again when it applies the batch again.
    await writeAuditNote(
      deps.db,
      run.connectionId,
      syncNoteId(run.runId, index),
      syncNoteEvents(planned, outcomes),
      new Date(deps.now()),
    );
    await deps.recorder.flush(deps.store, run.connectionId, new Date(deps.now()));
    run.nextChunk = index + 1;
    await putRun(deps.db, run);
    const sum = totals(run);
    deps.onProgress({
      phase: 'apply',
      step: 'changes',
      done: sum.applied + sum.failed,
      total: run.changeCount,
    });
  }
  return 'done';
}

function count(run: SyncRun, change: Change, outcome: ChangeOutcome): void {
  const counts = (run.counts[change.kind] ??= { planned: 0, applied: 0, failed: 0 });
  if (outcome.status === 'applied') {
    counts.applied++;
    return;
  }
  if (outcome.status === 'superseded') {
    counts.superseded = (counts.superseded ?? 0) + 1;
    return;
  }
  counts.failed++;
  if (run.errors.length < MAX_RUN_ERRORS) {
    run.errors.push(`${change.kind} ${objectOf(change)}: ${outcome.error ?? outcome.status}`);
  }
}

async function applyBatch(planned: PlannedChange[], deps: ApplyDeps): Promise<ChangeOutcome[]> {
  const outcomes: ChangeOutcome[] = new Array<ChangeOutcome>(planned.length);
  let start = 0;
  while (start < planned.length) {
    const phase = PHASE[(planned[start] as PlannedChange).change.kind];
    let end = start;
    while (end < planned.length && PHASE[(planned[end] as PlannedChange).change.kind] === phase) end++;
    const lanes = new Map<string, number[]>();
    for (let i = start; i < end; i++) {
      const lane = laneOf((planned[i] as PlannedChange).change);
      const indices = lanes.get(lane);
      if (indices) indices.push(i);
      else lanes.set(lane, [i]);
    }
    await eachLimited([...lanes.values()], deps.concurrency, async (indices) => {
      for (const i of indices) {
        const entry = planned[i] as PlannedChange;
        const outcome = await applyOne(entry.change, deps);
        // Later changes in this batch resolve their deferred ids from it.
        deps.recorder.observe(entry, outcome);
        outcomes[i] = outcome;
      }
    });
    start = end;
  }
  return outcomes;
}

/** Changes to one object must keep their order; different objects are independent. */
function laneOf(change: Change): string {
  switch (change.kind) {
    case 'grant':
    case 'revoke':
      return `grant:${change.workspaceGroupId}:${change.memberId}`;
    case 'createGroup':
      return `group:${change.groupId}`;
    case 'renameGroup':
    case 'markGroupManaged':
    case 'deleteGroup':
      return `group:${change.groupId ?? change.workspaceGroupId}`;
    case 'provisionMember':
      return `member:${change.userId}`;
    default:
      return `member:${change.userId || change.memberId}`;
  }
}

async function applyOne(change: Change, deps: ApplyDeps): Promise<ChangeOutcome> {
  const resolved = resolve(change, deps.recorder);
  if ('blocked' in resolved) return { status: 'blocked', error: resolved.blocked };
  const stale = await staleRemoval(resolved.change, deps.store, deps.connectionId);
  if (stale !== undefined) return { status: 'superseded', error: stale };
  const outcome = await applyChange(deps.connector, resolved.change);
  if (outcome.status !== 'applied') return { status: outcome.status, error: outcome.error };
  return {
    status: 'applied',
    ...(outcome.memberId !== undefined ? { memberId: outcome.memberId } : {}),
    ...(outcome.workspaceGroupId !== undefined ? { workspaceGroupId: outcome.workspaceGroupId } : {}),
  };
}

function resolve(change: Change, recorder: LinkRecorder): { change: Change } | { blocked: string } {
  let resolved: Change = change;
  if ('memberId' in resolved) {
    const waiting = deferredOf(resolved.memberId);
    if (waiting) {
      const memberId = recorder.linkOf('User', waiting.id);
      if (memberId === undefined) return { blocked: `user ${waiting.id} has no workspace account yet` };
      resolved = { ...resolved, memberId };
    }
  }
  if ('workspaceGroupId' in resolved) {
    const waiting = deferredOf(resolved.workspaceGroupId);
    if (waiting) {
      const workspaceGroupId = recorder.linkOf('Group', waiting.id);
      if (workspaceGroupId === undefined)
        return { blocked: `group ${waiting.id} has no workspace group yet` };
      resolved = { ...resolved, workspaceGroupId };
    }
  }
  return { change: resolved };
}
