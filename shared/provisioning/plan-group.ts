/**
 * What must change on the workspace so that it holds the desired group. Pure, like planMember:
 * the request path plans with `observed = 'unknown'` and the members this request added and
 * removed (as workspace member ids); without a delta the whole desired state is asserted (grants
 * are idempotent); the full sync plans with the group and its grants as read, which also finds
 * grants to revoke.
 *
 * An unlinked group plans only `createGroup` (which links an existing group of the same name): its
 * grants need the workspace group id, so plan again once it is linked (`apply-group.ts`).
 * The workspace's `Everyone` group is never planned against.
 */
import type { GroupEntitlement } from '../workspace/entitlement';
import type { Change, DesiredGroup } from './change';

export interface GroupDelta {
  added: string[];
  removed: string[];
  /** The group's name before this change, when the request may have renamed it. */
  previousName?: string;
}

export function planGroup(
  desired: DesiredGroup,
  observed: { group: GroupEntitlement; memberIds: ReadonlySet<string> } | undefined | 'unknown',
  delta?: GroupDelta,
): Change[] {
  const { groupId, name } = desired;
  if (observed === 'unknown') {
    const workspaceGroupId = desired.workspaceGroupId;
    if (workspaceGroupId === undefined)
      return [{ kind: 'createGroup', groupId, name, reason: 'not linked to a workspace group yet' }];
    if (delta) {
      const changes: Change[] = [];
      if (delta.previousName !== undefined && delta.previousName !== name) {
        changes.push({ kind: 'renameGroup', groupId, workspaceGroupId, name, reason: 'renamed by the IdP' });
      }
      for (const memberId of delta.removed) {
        changes.push({
          kind: 'revoke',
          groupId,
          workspaceGroupId,
          memberId,
          reason: 'removed from the group by the IdP',
        });
      }
      for (const memberId of delta.added) {
        changes.push({
          kind: 'grant',
          groupId,
          workspaceGroupId,
          memberId,
          reason: 'added to the group by the IdP',
        });
      }
      return changes;
    }
    const reason = 'apply the desired state';
    return [
      { kind: 'markGroupManaged', groupId, workspaceGroupId, reason },
      { kind: 'renameGroup', groupId, workspaceGroupId, name, reason },
      ...[...desired.memberIds].map((memberId): Change => ({
        kind: 'grant',
        groupId,
        workspaceGroupId,
        memberId,
        reason,
      })),
    ];
  }

  if (observed === undefined) {
    return [
      {
        kind: 'createGroup',
        groupId,
        name,
        reason:
          desired.workspaceGroupId === undefined
            ? 'no workspace group has this name'
            : 'the linked group was removed on the workspace side',
      },
    ];
  }

  const { group, memberIds } = observed;
  if (group.everyone) return [];
  const workspaceGroupId = group.id;
  const changes: Change[] = [];
  if (desired.workspaceGroupId !== workspaceGroupId) {
    changes.push({
      kind: 'markGroupManaged',
      groupId,
      workspaceGroupId,
      reason: 'link the group with the same name',
    });
  } else if (!group.managed || group.owner === undefined) {
    changes.push({
      kind: 'markGroupManaged',
      groupId,
      workspaceGroupId,
      reason: 'the linked group lost its IdP mark',
    });
  }
  if (group.name !== name) {
    changes.push({
      kind: 'renameGroup',
      groupId,
      workspaceGroupId,
      name,
      reason: 'renamed on the workspace side',
    });
  }
  // The IdP owns a linked group's whole membership: grants made on the workspace side are drift.
  for (const memberId of memberIds) {
    if (!desired.memberIds.has(memberId)) {
      changes.push({
        kind: 'revoke',
        groupId,
        workspaceGroupId,
        memberId,
        reason: 'not a member on the IdP side',
      });
    }
  }
  for (const memberId of desired.memberIds) {
    if (!memberIds.has(memberId)) {
      changes.push({
        kind: 'grant',
        groupId,
        workspaceGroupId,
        memberId,
        reason: 'a member on the IdP side',
      });
    }
  }
  return changes;
}
