/**
 * One entry of the audit trail: a change to desired state (a user, a group, its members, the
 * rollout settings) or to the workspace (an apply outcome, access not removed), who made it
 * (`actor`, `ref`), when, and what changed, before and after, of allow-listed attributes only.
 * The same entry is the `detail` of the EventBridge event, whose detail-type is `type`.
 */
import type { AuditActor } from './audit-context';

/** The EventBridge detail-types (documented in docs/audit.md). */
export const AUDIT_TYPES = {
  userChanged: 'Roster User Changed',
  groupChanged: 'Roster Group Changed',
  membershipChanged: 'Roster Group Membership Changed',
  applied: 'Roster Change Applied',
  notApplied: 'Roster Change Not Applied',
  accessNotRemoved: 'Roster Access Not Removed',
  accessRemoved: 'Roster Access Removed',
  rolloutChanged: 'Roster Rollout Changed',
  connectionChanged: 'Roster Connection Changed',
  workspaceChanged: 'Roster Workspace Changed',
} as const;

export type AuditType = (typeof AUDIT_TYPES)[keyof typeof AUDIT_TYPES];

export type AuditAction =
  'created' | 'updated' | 'deleted' | 'applied' | 'pending' | 'failed' | 'opened' | 'resolved';

export type AuditObjectKind =
  | 'User'
  | 'Group'
  | 'Access'
  | 'Rollout'
  /** A connection: its tokens and settings (`roster token`). */
  | 'Connection'
  /** A workspace account, a workspace group, a workspace's sign-in settings. */
  | 'Member'
  | 'WorkspaceGroup'
  | 'SignIn';

export const AUDIT_OBJECT_KINDS: readonly AuditObjectKind[] = [
  'User',
  'Group',
  'Access',
  'Rollout',
  'Connection',
  'Member',
  'WorkspaceGroup',
  'SignIn',
];

export const AUDIT_ACTIONS: readonly AuditAction[] = [
  'created',
  'updated',
  'deleted',
  'applied',
  'pending',
  'failed',
  'opened',
  'resolved',
];

export interface AuditChange {
  /** A dotted path into the stored item (`body.name`, `apply.status`). */
  attribute: string;
  /** Absent: the attribute was not there (created) / is gone (removed). */
  before?: unknown;
  after?: unknown;
}

export interface AuditEntry {
  /** The stream record's event id: one entry per record, so a retried batch writes the same one. */
  id: string;
  /** ISO-8601 instant of the write. */
  at: string;
  connectionId: string;
  type: AuditType;
  action: AuditAction;
  actor: AuditActor;
  /** The request id (idp), the sync run id (sync), the command (operator). */
  ref?: string;
  object: { kind: AuditObjectKind; id: string; label?: string };
  changes: AuditChange[];
  /** A group's members this write added and removed (at most 100 ids each; the counts are exact). */
  members?: { added: string[]; removed: string[]; addedCount: number; removedCount: number };
  /** Attributes that changed but are not on the allow-list: their names only, never values. */
  unrecorded?: string[];
  /**
   * The IdP users and groups an entry about a workspace object concerns (the user a provisioned
   * member is for, the group a workspace group is linked to), so `--user`/`--group` find it.
   */
  related?: { kind: 'User' | 'Group'; id: string }[];
}
