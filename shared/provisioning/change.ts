/**
 * A change to the workspace, as a value: the request path and the full sync both plan changes with
 * the same functions, and apply them with the same code. A plan is a list of changes you can print,
 * test, count and refuse. Every change says why (`reason`), for the sync report.
 */

/** What the workspace should hold for one user the IdP owns. */
export interface DesiredMember {
  userId: string;
  /** The linked workspace account, once linked. */
  memberId?: string;
  /** Primary email, lower-cased: the key that links to an existing account. */
  email: string;
  /** givenName and familyName joined by a space. */
  name: string;
  admin: boolean;
  active: boolean;
}

/** What the workspace should hold for one group the IdP owns. */
export interface DesiredGroup {
  groupId: string;
  /** The linked workspace group, once linked. */
  workspaceGroupId?: string;
  name: string;
  /** Workspace member ids of the group's members that are linked and active. */
  memberIds: ReadonlySet<string>;
}

export type Change =
  /** Provision an account, or link the existing account with this email (never a second one). */
  | { kind: 'provisionMember'; userId: string; email: string; name: string; admin: boolean; reason: string }
  | {
      kind: 'updateMember';
      userId: string;
      memberId: string;
      /** A new primary email, when it changed. */
      email?: string;
      name?: string;
      admin?: boolean;
      /**
       * The account is known to be an admin and the IdP no longer makes it one: a removal of
       * access, so a failure is an access incident (asserting `admin: false` without knowing is not).
       */
      demotes?: true;
      reason: string;
    }
  /** `userId` is absent for an account the IdP deleted while the workspace could not be reached. */
  | { kind: 'deactivateMember'; userId?: string; memberId: string; reason: string }
  | { kind: 'reactivateMember'; userId: string; memberId: string; reason: string }
  | { kind: 'deleteMember'; userId?: string; memberId: string; reason: string }
  | { kind: 'markMemberManaged'; userId: string; memberId: string; reason: string }
  /** Create the group, or link an existing group of the same name. */
  | { kind: 'createGroup'; groupId: string; name: string; reason: string }
  | { kind: 'renameGroup'; groupId: string; workspaceGroupId: string; name: string; reason: string }
  | { kind: 'deleteGroup'; groupId?: string; workspaceGroupId: string; reason: string }
  | { kind: 'markGroupManaged'; groupId: string; workspaceGroupId: string; reason: string }
  /** `userId`: the IdP user the member is linked to, where the planner knows it (the audit trail). */
  | {
      kind: 'grant';
      groupId: string;
      workspaceGroupId: string;
      memberId: string;
      userId?: string;
      reason: string;
    }
  | {
      kind: 'revoke';
      groupId?: string;
      workspaceGroupId: string;
      memberId: string;
      userId?: string;
      reason: string;
    };

export type ChangeKind = Change['kind'];

/** Something the sync saw and reports but never changes (unmanaged objects, the Everyone group). */
export interface Observation {
  kind:
    | 'unmanagedMember'
    | 'unmanagedGroup'
    | 'everyoneGroup'
    | 'capabilityMissing'
    | 'otherConnection'
    /** Not applied because of the connection's rollout settings (rollout-scope.ts). */
    | 'held';
  objectId: string;
  detail: string;
  /** The IdP user or group the observation is about, when there is one (ids only). */
  userId?: string;
  groupId?: string;
}
