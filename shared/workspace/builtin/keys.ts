/**
 * Item keys of the built-in workspace, all under `W#<workspaceId>#…` so they can never collide with
 * a connection's link state (`C#…`). Members and groups each live in one partition per workspace so
 * that the full sync reads all of them with a few large Queries. Grants live in one partition per
 * group: one partition for every grant of a workspace took 17 % of a push's writes, and a DynamoDB
 * partition takes at most 1,000 write units a second (docs/benchmarks.md, issue 12).
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
  /** The grants of one group, sorted by member id (the full sync walks the groups). */
  grantsPk: (workspaceId: string, groupId: string) => `${prefix(workspaceId)}grants#${groupId}`,
  grant: (workspaceId: string, groupId: string, memberId: string) => ({
    pk: keys.grantsPk(workspaceId, groupId),
    sk: memberId,
  }),
  /**
   * Layout 1, before per-group partitions: every grant of the workspace in one partition. Read and
   * deleted only until the workspace is migrated (grants-layout.ts, grants-migration.ts).
   */
  legacyGrantsPk: (workspaceId: string) => `${prefix(workspaceId)}grants`,
  legacyGrant: (workspaceId: string, groupId: string, memberId: string) => ({
    pk: keys.legacyGrantsPk(workspaceId),
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
