/**
 * What the link state records after an attempt to apply one version of a resource: `applied`
 * (with the version and the linked workspace id), `pending` when the workspace was unavailable or
 * members still wait for their link (the reconcile retries), `failed` when the workspace refused or
 * cannot do it (with the reason, for the operator; retried too, in case the cause was fixed).
 */
import { logger } from '../http/logger';
import type { LinkStore, ResourceKind } from '../store/link-store';
import type { ApplyState, GroupRecord, UserRecord } from '../store/record';
import type { PlanResult } from './apply-plan';

export function isApplied(resource: UserRecord | GroupRecord): boolean {
  return resource.apply.status === 'applied' && resource.apply.appliedVersion === resource.meta.version;
}

export function applyStateAfter(
  before: ApplyState,
  version: number,
  result: PlanResult,
  /** Members (user ids) that cannot be granted the group until they are linked. */
  waiting: string[],
  now: Date,
): ApplyState {
  const workspaceId = result.workspaceId ?? before.workspaceId;
  const base = {
    ...(workspaceId !== undefined ? { workspaceId } : {}),
    ...(before.appliedVersion !== undefined ? { appliedVersion: before.appliedVersion } : {}),
    attemptedAt: now.toISOString(),
  };
  if (result.status === 'applied' && waiting.length === 0) {
    return { ...base, status: 'applied', appliedVersion: version, attempts: 0 };
  }
  const lastError =
    result.status === 'applied'
      ? `waiting for ${waiting.length} member(s) to be linked to workspace accounts`
      : (result.error ?? result.status);
  const status = result.status === 'applied' || result.status === 'unavailable' ? 'pending' : 'failed';
  return { ...base, status, attempts: before.attempts + 1, lastError };
}

/** Records the outcome if the resource is still at the version applied; answers the state recorded. */
export async function recordOutcome(
  store: LinkStore,
  connectionId: string,
  kind: ResourceKind,
  resource: UserRecord | GroupRecord,
  result: PlanResult,
  waiting: string[],
  now: Date,
): Promise<ApplyState> {
  const apply = applyStateAfter(resource.apply, resource.meta.version, result, waiting, now);
  for (const skipped of result.skipped) {
    logger.info(`${skipped.change.kind} skipped: ${skipped.error}`, {
      connectionId,
      resourceId: resource.id,
    });
  }
  if (apply.status !== 'applied') {
    logger.warn(`${kind} not yet applied to the workspace: ${apply.lastError ?? ''}`, {
      connectionId,
      resourceId: resource.id,
      status: apply.status,
      attempts: apply.attempts,
    });
  }
  // False means a newer version was written meanwhile; its own apply records its outcome.
  await store.setApplyState(connectionId, kind, resource.id, resource.meta.version, apply);
  return apply;
}
