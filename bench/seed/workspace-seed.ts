/**
 * Built-in workspace items written the way BuiltinWorkspace writes them (its keys module, its item
 * shapes): members with their email guards, groups with their name guards, and one grant item per
 * (group, member) with the reverse-direction index keys.
 */
import { GSI2 } from '../../shared/store/table';
import { keys } from '../../shared/workspace/builtin/keys';
import type { MemberState } from '../../shared/workspace/member';
import type { SeedItem } from './batch-writer';

export interface SeedMember {
  id: string;
  email: string;
  name: string;
  admin: boolean;
  state: MemberState;
  managedByScim: boolean;
}

const CREATED = '2026-01-01T00:00:00.000Z';

export function* memberItems(workspaceId: string, member: SeedMember): Generator<SeedItem> {
  yield { ...keys.member(workspaceId, member.id), ...member, createdAt: CREATED };
  yield { ...keys.emailGuard(workspaceId, member.email), memberId: member.id };
}

export function* workspaceGroupItems(
  workspaceId: string,
  group: { id: string; name: string; managed: boolean },
): Generator<SeedItem> {
  yield { ...keys.group(workspaceId, group.id), ...group, createdAt: CREATED };
  yield { ...keys.groupNameGuard(workspaceId, group.name), groupId: group.id };
}

export function grantItem(workspaceId: string, groupId: string, memberId: string): SeedItem {
  return {
    ...keys.grant(workspaceId, groupId, memberId),
    groupId,
    memberId,
    [GSI2.pk]: keys.grantsOfMember(workspaceId, memberId),
    [GSI2.sk]: groupId,
  };
}
