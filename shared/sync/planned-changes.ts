/**
 * The stored form of a plan's changes: each with the link-state resource it applies to, as read,
 * so that the apply records outcomes against the version the plan was made from.
 */
import type { Change, ChangeKind } from '../provisioning/change';
import type { DesiredState } from './desired';
import { resourceKey } from './link-recorder';
import type { PlannedChange, ResourceRef } from './sync-run';

/**
 * Attaches each change's link-state resource (as read) and marks each resource's last change.
 * `markLast` limits the marks to some resources: a sharded sync marks its users shard by shard and
 * its groups, whose changes span shards, once every shard is planned (sharded-sync.ts).
 */
export function toPlanned(
  changes: readonly Change[],
  desired: DesiredState,
  markLast: (resource: ResourceRef) => boolean = () => true,
): PlannedChange[] {
  const planned: PlannedChange[] = changes.map((change) => {
    const resource = resourceOf(change, desired);
    return resource ? { change, resource } : { change };
  });
  const seen = new Set<string>();
  for (let i = planned.length - 1; i >= 0; i--) {
    const entry = planned[i] as PlannedChange;
    if (!entry.resource || !markLast(entry.resource)) continue;
    const key = resourceKey(entry.resource);
    if (!seen.has(key)) {
      seen.add(key);
      entry.last = true;
    }
  }
  return planned;
}

const GROUP_KINDS: ReadonlySet<ChangeKind> = new Set([
  'createGroup',
  'renameGroup',
  'deleteGroup',
  'markGroupManaged',
  'grant',
  'revoke',
]);

export function resourceOf(change: Change, desired: DesiredState): ResourceRef | undefined {
  if (GROUP_KINDS.has(change.kind)) {
    const groupId = 'groupId' in change ? change.groupId : undefined;
    const group = groupId !== undefined ? desired.groups.get(groupId) : undefined;
    if (!group) return undefined;
    return ref('Group', group.groupId, group.version, group.apply, group.workspaceGroupId);
  }
  const userId = 'userId' in change ? change.userId : undefined;
  const user = userId ? desired.users.get(userId) : undefined;
  if (!user) return undefined;
  return ref('User', user.member.userId, user.version, user.apply, user.member.memberId);
}

function ref(
  kind: 'User' | 'Group',
  id: string,
  version: number,
  apply: { attempts: number; appliedVersion?: number },
  workspaceId: string | undefined,
): ResourceRef {
  return {
    kind,
    id,
    version,
    attempts: apply.attempts,
    ...(apply.appliedVersion !== undefined ? { appliedVersion: apply.appliedVersion } : {}),
    ...(workspaceId !== undefined ? { workspaceId } : {}),
  };
}
