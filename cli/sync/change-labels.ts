/**
 * Names beside ids in `roster sync report`: the IdP user's userName and the group's displayName,
 * read from the link state for the changes that name them. For the operator's own terminal only;
 * these names never go to logs, metrics or the stored run.
 */
import type { LinkStore } from '../../shared/store/link-store';
import type { ReportedChange } from '../../shared/sync/sync-report';

const BATCH = 100;

export async function withLabels(
  store: LinkStore,
  connectionId: string,
  changes: readonly ReportedChange[],
): Promise<ReportedChange[]> {
  const userIds = [...new Set(changes.flatMap((c) => (c.userId ? [c.userId] : [])))];
  const groupIds = [...new Set(changes.flatMap((c) => (c.groupId ? [c.groupId] : [])))];
  const users = new Map<string, string>();
  for (let i = 0; i < userIds.length; i += BATCH) {
    for (const user of await store.getUsers(connectionId, userIds.slice(i, i + BATCH)))
      users.set(user.id, user.userName);
  }
  const groups = new Map<string, string>();
  for (const id of groupIds) {
    const group = await store.getGroup(connectionId, id);
    if (group) groups.set(id, group.displayName);
  }
  return changes.map((change) => {
    const names = [
      change.userId ? users.get(change.userId) : undefined,
      change.groupId ? groups.get(change.groupId) : undefined,
    ].filter((name): name is string => name !== undefined);
    return names.length > 0 ? { ...change, label: names.join(' in ') } : change;
  });
}
