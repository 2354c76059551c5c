/**
 * Item keys of the built-in workspace, all under `W#<workspaceId>#…` so they can never collide with
 * a connection's link state (`C#…`). Members, groups and grants each live in one partition per
 * workspace so that the full sync reads all of them with a few large Queries (a grant item is about
 * 100 bytes, so one 1 MB Query page carries thousands of grants).
 */
const prefix = (workspaceId: string) => `W#${workspaceId}#`;

export const keys = {
  meta: (workspaceId: string) => ({ pk: `${prefix(workspaceId)}meta`, sk: 'workspace' }),
  membersPk: (workspaceId: string) => `${prefix(workspaceId)}members`,
  member: (workspaceId: string, memberId: string) => ({ pk: keys.membersPk(workspaceId), sk: memberId }),
  emailGuard: (workspaceId: string, email: string) => ({
    pk: `${prefix(workspaceId)}emails`,
    sk: email.toLowerCase(),
  }),
  groupsPk: (workspaceId: string) => `${prefix(workspaceId)}groups`,
  group: (workspaceId: string, groupId: string) => ({ pk: keys.groupsPk(workspaceId), sk: groupId }),
  groupNameGuard: (workspaceId: string, name: string) => ({
    pk: `${prefix(workspaceId)}group-names`,
    sk: name.toLowerCase(),
  }),
  grantsPk: (workspaceId: string) => `${prefix(workspaceId)}grants`,
  grant: (workspaceId: string, groupId: string, memberId: string) => ({
    pk: keys.grantsPk(workspaceId),
    sk: `${groupId}#${memberId}`,
  }),
  /**
   * The reverse item of a grant, in the base table under the member, written and deleted in the
   * same transaction as the grant: a strongly consistent Query finds every grant of a member
   * (deactivation and deletion must not miss one, which an eventually consistent index could).
   */
  memberGrantsPk: (workspaceId: string, memberId: string) =>
    `${prefix(workspaceId)}member-grants#${memberId}`,
  memberGrant: (workspaceId: string, memberId: string, groupId: string) => ({
    pk: keys.memberGrantsPk(workspaceId, memberId),
    sk: groupId,
  }),
};

/** The virtual `Everyone` group: every active member, never stored as grants. */
export const EVERYONE_ID = 'everyone';
export const EVERYONE_NAME = 'Everyone';
