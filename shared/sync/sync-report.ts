/**
 * A run as reported: its header, and its changes (each with the object, the reason and the
 * outcome) and observations, read back a chunk at a time so that a large run can be printed or
 * exported without holding it whole.
 */
import type { Change, Observation } from '../provisioning/change';
import type { Db } from '../store/client';
import { getChunk, plannedChunk } from './run-store';
import type { ChangeOutcome, SyncRun } from './sync-run';
import { objectOf } from './sync-run';

export interface ReportedChange {
  kind: Change['kind'];
  object: string;
  reason: string;
  /** `planned` for a dry run, a refused run, or changes after the checkpoint. */
  outcome: ChangeOutcome['status'] | 'planned';
  error?: string;
  /** The IdP's user and group the change is for, when it names them: ids only, for a later lookup. */
  userId?: string;
  groupId?: string;
  /** A person-readable name (userName, group displayName), added by the operator's CLI only. */
  label?: string;
}

export async function* reportedChanges(db: Db, run: SyncRun): AsyncGenerator<ReportedChange> {
  for (let index = 0; index < run.chunkCount; index++) {
    const planned = await plannedChunk(db, run, index);
    const outcomes = index < run.nextChunk ? await getChunk<ChangeOutcome>(db, run, 'OUTCOMES', index) : [];
    for (const [i, { change }] of planned.entries()) {
      const outcome = outcomes[i];
      yield {
        kind: change.kind,
        object: objectOf(change),
        reason: change.reason,
        outcome: outcome?.status ?? 'planned',
        ...(outcome?.error !== undefined ? { error: outcome.error } : {}),
        ...('userId' in change && change.userId !== undefined ? { userId: change.userId } : {}),
        ...('groupId' in change && change.groupId !== undefined ? { groupId: change.groupId } : {}),
      };
    }
  }
}

export async function* reportedObservations(db: Db, run: SyncRun): AsyncGenerator<Observation> {
  for (let index = 0; index < run.observationChunks; index++) {
    yield* await getChunk<Observation>(db, run, 'OBSERVATIONS', index);
  }
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
