/**
 * The open access incidents that no longer hold, judged from what the full sync read (pure). An
 * incident is settled when the access it is about is gone or wanted again:
 *
 * - a member incident, when the member is absent or deactivated in the workspace, or its user is
 *   desired active again (by the incident's user id, or any active user linked to the member);
 * - a grant incident, when the member no longer holds the group, or the IdP wants the grant again
 *   (a linked group whose desired members include an active user linked to the member);
 * - a group incident, when the group is absent from the workspace.
 *
 * The incidents were listed before the reads; the caller deletes each one only if it is still the
 * version listed, so that an incident written again after the reads is never resolved from them.
 */
import type { AccessIncident } from '../store/access-incidents';
import type { DesiredState } from './desired';
import type { ObservedWorkspace } from './observed';

export function settledIncidents(
  open: readonly AccessIncident[],
  observed: ObservedWorkspace,
  desired: DesiredState,
  /**
   * Whether a user is desired active; by default from `desired`. A sharded sync passes what it
   * noted while reading, since an incident's user may sit in another shard than its member.
   */
  userActive: (userId: string) => boolean | undefined = (userId) => desired.users.get(userId)?.member.active,
): AccessIncident[] {
  if (open.length === 0) return [];
  /** Workspace member id → an active user linked to it. */
  const activeHolder = new Map<string, string>();
  for (const { member } of desired.users.values()) {
    if (member.active && member.memberId !== undefined) activeHolder.set(member.memberId, member.userId);
  }
  /** Workspace group id → the user ids the IdP wants in it, for the groups grant incidents name. */
  const named = new Set(open.flatMap((i) => (i.kind === 'grant' ? [i.workspaceGroupId] : [])));
  const wantedMembers = new Map<string, ReadonlySet<string>>();
  for (const group of desired.groups.values()) {
    if (group.workspaceGroupId !== undefined && named.has(group.workspaceGroupId))
      wantedMembers.set(group.workspaceGroupId, new Set(group.memberUserIds));
  }
  const wanted = (workspaceGroupId: string, memberId: string): boolean => {
    const userId = activeHolder.get(memberId);
    return userId !== undefined && (wantedMembers.get(workspaceGroupId)?.has(userId) ?? false);
  };
  return open.filter((incident) => {
    switch (incident.kind) {
      case 'member': {
        const member = observed.members.get(incident.memberId);
        if (!member || member.state === 'deactivated') return true;
        if (incident.userId !== undefined && userActive(incident.userId)) return true;
        return activeHolder.has(incident.memberId);
      }
      case 'grant': {
        const holds = observed.grants.get(incident.workspaceGroupId)?.has(incident.memberId) ?? false;
        return !holds || wanted(incident.workspaceGroupId, incident.memberId);
      }
      case 'admin': {
        // Open while the account is still an admin and the IdP does not want it to be.
        const member = observed.members.get(incident.memberId);
        if (!member || member.state === 'deactivated' || !member.admin) return false;
        const userId = activeHolder.get(incident.memberId);
        return userId === undefined || !desired.users.get(userId)?.member.admin;
      }
      case 'group':
        return !observed.groups.has(incident.workspaceGroupId);
    }
  });
}
