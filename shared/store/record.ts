/**
 * What the link state keeps for each SCIM resource of a connection: the desired state the IdP asked
 * for (`body`), the fields that are indexed or guarded, the version behind the ETag, and whether
 * the desired state has reached the workspace yet (`apply`).
 */
import type { JsonObject } from '../scim/json';

export interface ResourceMeta {
  /** ISO-8601 instants. */
  created: string;
  lastModified: string;
  /** Starts at 1, incremented by every write; ETags are derived from it. */
  version: number;
}

export type ApplyStatus = 'pending' | 'applied' | 'failed';

/** Whether the workspace reflects the desired state, and what links the resource to it. */
export interface ApplyState {
  status: ApplyStatus;
  /** The resource version last applied to the workspace completely. */
  appliedVersion?: number;
  /** Attempts since the last success. */
  attempts: number;
  /** The last failure, without secrets or personal data. */
  lastError?: string;
  /** The workspace object this resource is linked to (member id or group id), once known. */
  workspaceId?: string;
  /** ISO-8601 instant of the last attempt. */
  attemptedAt?: string;
}

/**
 * A value unique across a workspace (a user's primary email, a group's name), held by one resource
 * of one connection: see claims.ts. `value` is already canonical (NFC, lower-case).
 */
export interface WorkspaceClaim {
  /** The workspace binding, e.g. `builtin:default`. */
  workspace: string;
  kind: 'email' | 'groupName';
  value: string;
}

export interface UserRecord {
  connectionId: string;
  id: string;
  /** As the IdP sent it; guarded case-insensitively. */
  userName: string;
  externalId?: string;
  active: boolean;
  /** Lower-cased email values, indexed for `emails.value eq …`. */
  emails: string[];
  /**
   * The SCIM attributes (core, enterprise and workspace extension) as normalised, without `id`,
   * `meta`, `groups` (derived) and `password` (never stored).
   */
  body: JsonObject;
  meta: ResourceMeta;
  apply: ApplyState;
  /** The primary email this user holds in its workspace, when it has one. */
  claim?: WorkspaceClaim;
  /** A hash of the create request, so that its retry is answered as a replay (create-replay.ts). */
  createdFrom?: string;
  /** Moved by every membership add, in its transaction: what a deactivation or deletion checks. */
  groupRev?: number;
}

export interface GroupRecord {
  connectionId: string;
  id: string;
  /** Guarded case-insensitively. */
  displayName: string;
  externalId?: string;
  /** The SCIM attributes without `id`, `meta` and `members` (members are items of their own). */
  body: JsonObject;
  /** Maintained in the same transaction as the membership items. */
  memberCount: number;
  meta: ResourceMeta;
  apply: ApplyState;
  /** The display name this group holds in its workspace. */
  claim?: WorkspaceClaim;
  /** A hash of the create request (see UserRecord.createdFrom). */
  createdFrom?: string;
}

/** A member of a group as stored: one item per member. */
export interface MemberRecord {
  groupId: string;
  userId: string;
  /** The member's userName when added, for the `display` sub-attribute. */
  display?: string;
}
