/**
 * Records the groups a plan (or the apply) linked by name as takeovers in the connection's rollout
 * settings, so that later runs keep holding the members the IdP does not list until an operator
 * approves. A group already recorded with the same workspace group keeps its record (and its
 * approval); one linked to another workspace group since is a new takeover.
 */
import { updateRollout } from '../provisioning/rollout-store';
import type { Db } from '../store/client';

export async function recordTakeovers(
  db: Db,
  connectionId: string,
  takeovers: readonly { groupId: string; workspaceGroupId: string }[],
  now: Date,
): Promise<void> {
  if (takeovers.length === 0) return;
  await updateRollout(db, connectionId, (current) => {
    const next = { ...current.takeovers };
    for (const { groupId, workspaceGroupId } of takeovers) {
      if (next[groupId]?.workspaceGroupId === workspaceGroupId) continue;
      next[groupId] = { workspaceGroupId, linkedAt: now.toISOString() };
    }
    return { ...current, takeovers: next };
  });
}
