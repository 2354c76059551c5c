/**
 * The resources of a connection whose desired state has not reached the workspace: the first
 * `limit` pending markers (the retry pass's own list, users before groups), each with its apply
 * state read from the resource (pending or failed, attempts, the last error, which carries no
 * secrets or personal data) and its userName or displayName for the operator's report.
 */
import type { LinkStore, ResourceKind } from '../../shared/store/link-store';
import type { ApplyState } from '../../shared/store/record';

export interface PendingApply {
  kind: ResourceKind;
  id: string;
  /** userName or displayName; absent when the resource is gone since its marker was listed. */
  name?: string;
  apply?: ApplyState;
  /** Since when it has not been applied (ISO time). */
  since?: string;
  /** When the retry pass may take it next (ISO time). */
  retryAt?: string;
}

export async function pendingApplies(
  store: LinkStore,
  connectionId: string,
  limit: number,
): Promise<PendingApply[]> {
  const { items } = await store.listPending(connectionId, { limit });
  const userIds = items.filter((item) => item.kind === 'User').map((item) => item.id);
  const users = new Map(
    (userIds.length > 0 ? await store.getUsers(connectionId, userIds) : []).map((user) => [user.id, user]),
  );
  const out: PendingApply[] = [];
  for (const item of items) {
    const resource =
      item.kind === 'User'
        ? users.get(item.id)
        : await store
            .getGroup(connectionId, item.id)
            .then((group) => (group ? { userName: group.displayName, apply: group.apply } : undefined));
    out.push({
      kind: item.kind,
      id: item.id,
      ...(resource ? { name: resource.userName, apply: resource.apply } : {}),
      ...(item.since !== undefined ? { since: item.since } : {}),
      ...(item.retryAt !== undefined ? { retryAt: item.retryAt } : {}),
    });
  }
  return out;
}
