/**
 * Records what applying the plan did to each link-state resource, with `store.setApplyState`:
 * `applied` at the resource's last change when all of its changes applied, `pending` when the
 * workspace was unavailable (retried by the next run), `failed` when it refused or cannot do it.
 * A link the workspace assigned (a provisioned member, a created group) is recorded right after
 * its batch, before the resource's last change, so that a resumed run and the request path both
 * see it. Every write is conditional on the version read, so a newer SCIM write always wins.
 *
 * The recorder also answers deferred ids (see deferred-id.ts) from the links it has seen; after a
 * resume it is rebuilt by replaying the outcomes stored before the checkpoint.
 */
import type { LinkStore } from '../store/link-store';
import type { ApplyState } from '../store/record';
import type { DesiredState } from './desired';
import type { ChangeOutcome, PlannedChange, ResourceRef } from './sync-run';

interface ResourceProgress {
  ref: ResourceRef;
  failure?: ChangeOutcome;
  workspaceId?: string;
  dirty: boolean;
  done: boolean;
}

const keyOf = (kind: string, id: string) => `${kind}:${id}`;

export class LinkRecorder {
  private readonly progress = new Map<string, ResourceProgress>();
  private readonly links = new Map<string, string>();

  /** The workspace id assigned to an IdP resource during this run, if any. */
  linkOf(kind: 'User' | 'Group', id: string): string | undefined {
    return this.links.get(keyOf(kind, id));
  }

  observe(planned: PlannedChange, outcome: ChangeOutcome): void {
    const { change, resource } = planned;
    if (!resource) return;
    const key = keyOf(resource.kind, resource.id);
    let entry = this.progress.get(key);
    if (!entry) this.progress.set(key, (entry = { ref: resource, dirty: false, done: false }));
    if (outcome.status === 'applied') {
      const assigned =
        change.kind === 'provisionMember' || change.kind === 'markMemberManaged'
          ? (outcome.memberId ?? (change.kind === 'markMemberManaged' ? change.memberId : undefined))
          : change.kind === 'createGroup' || change.kind === 'markGroupManaged'
            ? (outcome.workspaceGroupId ??
              (change.kind === 'markGroupManaged' ? change.workspaceGroupId : undefined))
            : undefined;
      if (assigned !== undefined && assigned !== entry.workspaceId) {
        entry.workspaceId = assigned;
        this.links.set(key, assigned);
        if (assigned !== resource.workspaceId) entry.dirty = true;
      }
    } else {
      entry.failure ??= outcome;
    }
    if (planned.last) {
      entry.done = true;
      entry.dirty = true;
    }
  }

  /** Rebuilds the state of a resumed run from an outcome recorded (and flushed) before its checkpoint. */
  replay(planned: PlannedChange, outcome: ChangeOutcome): void {
    this.observe(planned, outcome);
    const { resource } = planned;
    if (!resource) return;
    const key = keyOf(resource.kind, resource.id);
    const entry = this.progress.get(key);
    if (!entry) return;
    entry.dirty = false;
    if (entry.done) this.progress.delete(key);
  }

  /** Writes the apply state of every resource that finished or got a link since the last flush. */
  async flush(store: LinkStore, connectionId: string, now: Date, concurrency = 8): Promise<void> {
    const due = [...this.progress.entries()].filter(([, entry]) => entry.dirty);
    await eachLimited(due, concurrency, async ([key, entry]) => {
      await store.setApplyState(
        connectionId,
        entry.ref.kind,
        entry.ref.id,
        entry.ref.version,
        applyStateOf(entry, now),
      );
      entry.dirty = false;
      // A finished resource is not needed any more; its link stays in `links` for deferred ids.
      if (entry.done) this.progress.delete(key);
    });
  }
}

function applyStateOf(entry: ResourceProgress, now: Date): ApplyState {
  const { ref, failure } = entry;
  const workspaceId = entry.workspaceId ?? ref.workspaceId;
  const base = {
    ...(workspaceId !== undefined ? { workspaceId } : {}),
    ...(ref.appliedVersion !== undefined ? { appliedVersion: ref.appliedVersion } : {}),
    attemptedAt: now.toISOString(),
  };
  if (failure) {
    const retryable =
      failure.status === 'unavailable' || failure.status === 'blocked' || failure.status === 'superseded';
    return {
      ...base,
      status: retryable ? 'pending' : 'failed',
      attempts: ref.attempts + 1,
      lastError: failure.error ?? failure.status,
    };
  }
  if (!entry.done) return { ...base, status: 'pending', attempts: ref.attempts };
  return { ...base, status: 'applied', appliedVersion: ref.version, attempts: 0 };
}

/**
 * Resources the plan leaves alone already match the workspace: the ones still marked not yet
 * applied (a request-path apply that failed, a change made while the workspace was down) are
 * recorded as applied, since the comparison found nothing left to do.
 */
export async function recordUnchanged(
  store: LinkStore,
  connectionId: string,
  desired: DesiredState,
  touched: ReadonlySet<string>,
  now: Date,
  concurrency = 8,
): Promise<number> {
  const due = unchangedOf(desired, touched);
  await writeUnchanged(store, connectionId, due, now, concurrency);
  return due.length;
}

/** A resource the plan leaves alone whose apply state is not yet `applied` at its version. */
export interface Unchanged {
  kind: 'User' | 'Group';
  id: string;
  version: number;
  apply: ApplyState;
}

export function unchangedOf(desired: DesiredState, touched: ReadonlySet<string>): Unchanged[] {
  const due: Unchanged[] = [];
  const settled = (apply: ApplyState, version: number) =>
    apply.status === 'applied' && apply.appliedVersion === version;
  for (const [id, user] of desired.users) {
    if (!touched.has(keyOf('User', id)) && !settled(user.apply, user.version)) {
      due.push({ kind: 'User', id, version: user.version, apply: user.apply });
    }
  }
  for (const [id, group] of desired.groups) {
    if (!touched.has(keyOf('Group', id)) && !settled(group.apply, group.version)) {
      due.push({ kind: 'Group', id, version: group.version, apply: group.apply });
    }
  }
  return due;
}

/** Records each as applied at the version read (conditional, so a newer SCIM write wins). */
export async function writeUnchanged(
  store: LinkStore,
  connectionId: string,
  due: readonly Unchanged[],
  now: Date,
  concurrency = 8,
): Promise<void> {
  await eachLimited(due, concurrency, async ({ kind, id, version, apply }) => {
    await store.setApplyState(connectionId, kind, id, version, {
      ...(apply.workspaceId !== undefined ? { workspaceId: apply.workspaceId } : {}),
      status: 'applied',
      appliedVersion: version,
      attempts: 0,
      attemptedAt: now.toISOString(),
    });
  });
}

export function resourceKey(ref: { kind: string; id: string }): string {
  return keyOf(ref.kind, ref.id);
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}
