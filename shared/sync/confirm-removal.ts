/**
 * Before the full sync removes anything (deletes or deactivates a member, deletes a group, revokes
 * a grant), it confirms the fact the plan acted on with strongly consistent reads of the link
 * state. The plan was made from listings (gsi1) that are eventually consistent: a user created a
 * moment before the sync read may be missing from them, which would make its account look like an
 * orphan, or its group membership look like drift. A removal whose fact no longer holds is left
 * out (`superseded`), never applied; the next request or sync settles the resource.
 *
 * Costs one or two GetItems per removal; additions and repairs are not confirmed (they only give).
 */
import type { Change } from '../provisioning/change';
import type { LinkStore } from '../store/link-store';

/** Why the removal no longer holds, or undefined when it is confirmed. */
export async function staleRemoval(
  change: Change,
  store: LinkStore,
  connectionId: string,
): Promise<string | undefined> {
  switch (change.kind) {
    case 'deleteMember':
    case 'deactivateMember': {
      if (change.userId) {
        const user = await store.getUser(connectionId, change.userId);
        if (change.kind === 'deactivateMember' && user?.active) return 'the user is active again';
        return undefined;
      }
      const linked = await store.linkedResource(connectionId, 'User', change.memberId);
      return linked === undefined ? undefined : `linked to user ${linked}: not an orphan`;
    }
    case 'deleteGroup': {
      if (change.groupId) return undefined;
      const linked = await store.linkedResource(connectionId, 'Group', change.workspaceGroupId);
      return linked === undefined ? undefined : `linked to group ${linked}: not an orphan`;
    }
    case 'revoke': {
      if (!change.groupId) return undefined;
      const userId = await store.linkedResource(connectionId, 'User', change.memberId);
      if (userId === undefined) return undefined;
      const user = await store.getUser(connectionId, userId);
      if (!user?.active) return undefined;
      const member = await store.membersAmong(connectionId, change.groupId, [userId]);
      return member.has(userId) ? `user ${userId} is a member on the IdP side` : undefined;
    }
    default:
      return undefined;
  }
}
