/**
 * What a member can hold: groups, and the workspace role `admin`. The `Everyone` group is listed
 * (flagged `everyone`) so the sync can recognise it and leave it alone.
 */
export interface GroupEntitlement {
  kind: 'group';
  id: string;
  name: string;
  managed: boolean;
  everyone: boolean;
  /** The connection that owns the group, where the workspace records it (see WorkspaceMember.owner). */
  owner?: string;
}

export interface RoleEntitlement {
  kind: 'role';
  id: 'admin';
  name: 'admin';
}

export type Entitlement = GroupEntitlement | RoleEntitlement;

/** Who holds which group: one grant per member of a group. */
export interface Grant {
  groupId: string;
  memberId: string;
}
