/**
 * The desired workspace group for a group the IdP owns. Only members that are linked to a
 * workspace account and active can hold the group; the others are returned as `awaitingLink`, and
 * the group stays not yet applied until they are linked.
 */
import type { GroupRecord, UserRecord } from '../store/record';
import type { DesiredGroup } from './change';

export function desiredGroup(group: GroupRecord, members: readonly UserRecord[]): DesiredGroup {
  const memberIds = new Set<string>();
  for (const user of members) {
    if (user.active && user.apply.workspaceId !== undefined) memberIds.add(user.apply.workspaceId);
  }
  return {
    groupId: group.id,
    ...(group.apply.workspaceId !== undefined ? { workspaceGroupId: group.apply.workspaceId } : {}),
    name: group.displayName,
    memberIds,
  };
}

/** Active members with no workspace account yet: granting them must wait for the link. */
export function awaitingLink(members: readonly UserRecord[]): string[] {
  return members.filter((user) => user.active && user.apply.workspaceId === undefined).map((user) => user.id);
}
