/**
 * Built-in workspace items written the way BuiltinWorkspace writes them (its keys module, its item
 * shapes): members with their email guards, groups with their name guards, and one grant item per
 * (group, member) with the reverse-direction index keys.
 */
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
  /** The owning connection of a managed member. */
  owner?: string;
}

const CREATED = '2026-01-01T00:00:00.000Z';

export function* memberItems(workspaceId: string, member: SeedMember): Generator<SeedItem> {
  yield { ...keys.member(workspaceId, member.id), ...member, createdAt: CREATED };
  yield { ...keys.emailGuard(workspaceId, member.email), memberId: member.id };
}

export function* workspaceGroupItems(
  workspaceId: string,
  group: { id: string; name: string; managed: boolean; owner?: string },
): Generator<SeedItem> {
  yield { ...keys.group(workspaceId, group.id), ...group, createdAt: CREATED };
  yield { ...keys.groupNameGuard(workspaceId, group.name), groupId: group.id };
}

/** A grant and its reverse item under the member, as the built-in workspace writes them. */
export function* grantItems(workspaceId: string, groupId: string, memberId: string): Generator<SeedItem> {
  yield { ...keys.grant(workspaceId, groupId, memberId), groupId, memberId };
  yield { ...keys.memberGrant(workspaceId, memberId, groupId), groupId, memberId };
}
