/**
 * The port to the link state. Endpoints, the provisioning rules and the full sync use this
 * interface; `dynamo-link-store.ts` implements it on DynamoDB following the design's storage rules
 * (no Scan on the request path, guard items for uniqueness, one item per group member, counters
 * for totals, remembered page ends for startIndex paging, conditional writes on versions).
 */
import type { NoteEvent } from '../audit/audit-note';
import type { AccessIncident, AccessIncidentReport, AccessSubject, ResolveGuard } from './access-incidents';
import type { ApplyState, GroupRecord, MemberRecord, UserRecord } from './record';

export interface Page<T> {
  items: T[];
  totalResults: number;
}

/** Thrown when a conditional write finds another version than the one it read. */
export class VersionConflictError extends Error {
  constructor(readonly resourceId: string) {
    super(`resource ${resourceId} was changed concurrently`);
    this.name = 'VersionConflictError';
  }
}

/** A change to a group's members, already reduced to real changes (no re-adds, no absent removes). */
export interface MemberDelta {
  add: MemberRecord[];
  /** User ids to remove. */
  remove: string[];
}

export type ResourceKind = 'User' | 'Group';

export interface PendingRef {
  kind: ResourceKind;
  id: string;
  /** When the retry pass may take it (ISO time; absent on markers written before it existed). */
  retryAt?: string;
  /** Since when it has not been applied (ISO time); absent while it is held. */
  since?: string;
  /** Held back by the rollout settings at this version of them (pending.ts, putHeldMarker). */
  heldAtVersion?: number;
}

/** See `LinkStore.readGroupChange`. */
export interface GroupChangeRead {
  group: GroupRecord | undefined;
  users: UserRecord[];
  members: Set<string>;
}

export interface LinkStore {
  // Users
  /** Writes the user with its guards atomically; a taken userName or externalId throws ScimError 409 uniqueness. */
  createUser(user: UserRecord): Promise<void>;
  getUser(connectionId: string, id: string): Promise<UserRecord | undefined>;
  /** Missing ids are left out of the result. One round trip per 100 ids. */
  getUsers(connectionId: string, ids: string[]): Promise<UserRecord[]>;
  findUserByUserName(connectionId: string, userName: string): Promise<UserRecord | undefined>;
  findUserByExternalId(connectionId: string, externalId: string): Promise<UserRecord | undefined>;
  findUsersByEmail(connectionId: string, email: string): Promise<UserRecord[]>;
  /**
   * Replaces `before` with `after` if the stored version is still `before.meta.version`
   * (otherwise VersionConflictError), swapping guards and email index items as needed.
   * With `dropMemberships`, removes the user from every group in the same atomic write
   * (deactivation), keeping each group's memberCount right.
   */
  replaceUser(before: UserRecord, after: UserRecord, options?: { dropMemberships?: boolean }): Promise<void>;
  /** Removes the user, its guards, index items and memberships. */
  deleteUser(user: UserRecord): Promise<void>;
  /** In creation order; startIndex is 1-based. Does not re-read earlier pages. */
  listUsers(connectionId: string, startIndex: number, count: number): Promise<Page<UserRecord>>;
  countUsers(connectionId: string): Promise<number>;

  // Groups
  createGroup(group: GroupRecord, members: MemberRecord[]): Promise<void>;
  getGroup(connectionId: string, id: string): Promise<GroupRecord | undefined>;
  findGroupByDisplayName(connectionId: string, displayName: string): Promise<GroupRecord | undefined>;
  findGroupByExternalId(connectionId: string, externalId: string): Promise<GroupRecord | undefined>;
  /**
   * Replaces the group item (conditional on `before.meta.version`) and applies the member delta in
   * one all-or-nothing change; costs O(|delta|) whatever the group's size.
   */
  updateGroup(before: GroupRecord, after: GroupRecord, delta: MemberDelta): Promise<void>;
  /**
   * Changes only the group's members (a PATCH that names its members and pins no version): the
   * group item's version, lastModified, count and apply status move by increments instead of a
   * write conditioned on the version read, and each member write carries its own condition (an add
   * needs the member absent and the user active, a removal the member present). So concurrent
   * member changes of one group commit side by side instead of retrying one another, and none is
   * lost: a change whose premise moved fails its member condition and is retried on a fresh read.
   * A group being deleted or in a multi-transaction change refuses. One transaction; a delta too
   * large for one goes through `updateGroup` (conditioned on the version, chunked).
   */
  updateGroupMembers(before: GroupRecord, after: GroupRecord, delta: MemberDelta): Promise<void>;
  /**
   * What a member change needs, in one strongly consistent BatchGetItem for up to 49 users (more:
   * one call per 100 keys, side by side): the group, the users, and which of them are members.
   */
  readGroupChange(connectionId: string, groupId: string, userIds: string[]): Promise<GroupChangeRead>;
  /** Which of these user ids are members of the group: O(k) reads. */
  membersAmong(connectionId: string, groupId: string, userIds: string[]): Promise<Set<string>>;
  /** One page of members in a stable order, with an opaque cursor for the next page. */
  listMembers(
    connectionId: string,
    groupId: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<{ members: MemberRecord[]; cursor?: string }>;
  /** The groups the user is a member of (reverse direction). */
  groupsOfUser(connectionId: string, userId: string): Promise<MemberRecord[]>;
  deleteGroup(group: GroupRecord): Promise<void>;
  listGroups(connectionId: string, startIndex: number, count: number): Promise<Page<GroupRecord>>;
  countGroups(connectionId: string): Promise<number>;

  // Apply state (does not change the resource version or ETag)
  /** Records an apply outcome if the resource is still at `version`; returns false if it moved on. */
  setApplyState(
    connectionId: string,
    kind: ResourceKind,
    id: string,
    version: number,
    apply: ApplyState,
  ): Promise<boolean>;
  /**
   * Puts an audit note (shared/audit/audit-note.ts): changes made in the workspace that no item's
   * own stream record says were made (the grants and revokes of a membership's apply).
   */
  noteAudit(connectionId: string, noteId: string, events: readonly NoteEvent[], now: Date): Promise<void>;
  /**
   * Marks the resource not yet applied, whatever its version, with the reason: a part of it (a
   * membership) failed to apply outside its own version's apply. The retry pass applies it whole.
   * A resource that is gone is left alone. One transaction (the resource and its marker).
   */
  holdPending(
    connectionId: string,
    kind: ResourceKind,
    id: string,
    lastError: string,
    now: Date,
    /** Held back by the rollout settings at this version: the marker says so (putHeldMarker). */
    rolloutVersion?: number,
  ): Promise<void>;
  /**
   * The resource linked to this workspace object (a member id for `User`, a group id for `Group`),
   * strongly consistent: the id of a resource whose apply state still names the object, if any.
   */
  linkedResource(connectionId: string, kind: ResourceKind, workspaceId: string): Promise<string | undefined>;
  /** Resources whose apply state is not `applied`, users before groups, paged with an opaque cursor. */
  listPending(
    connectionId: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<{ items: PendingRef[]; cursor?: string }>;

  // Access incidents: removals that could not be applied (see access-incidents.ts)
  /** Writes the incident, or writes it again (attempts counted, firstSeenAt kept); one UpdateItem. */
  recordAccessIncident(
    connectionId: string,
    report: AccessIncidentReport,
    now: Date,
  ): Promise<AccessIncident>;
  /** Deletes the incident if the guard holds; false when there was none or it was written since. */
  resolveAccessIncident(connectionId: string, subject: AccessSubject, guard: ResolveGuard): Promise<boolean>;
  /** The connection's open incidents, strongly consistent: one Query. */
  listAccessIncidents(connectionId: string): Promise<AccessIncident[]>;
}
