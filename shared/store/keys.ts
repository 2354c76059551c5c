/**
 * Every key of the link state. Each partition key starts with `C#<connectionId>#`, so a query built
 * from one connection's id can never reach another connection's items; nothing else in the store
 * spells a key by hand.
 */
import type { AccessSubject } from './access-incidents';
import type { ResourceKind } from './link-store';

export type Key = { pk: string; sk: string };

/** The guarded attributes; each has its own partition family so values of different kinds never collide. */
export type GuardKind = 'userName' | 'userExternalId' | 'groupDisplayName' | 'groupExternalId';

const GUARD_PREFIX: Record<GuardKind, string> = {
  userName: 'UNAME',
  userExternalId: 'UEXT',
  groupDisplayName: 'GNAME',
  groupExternalId: 'GEXT',
};

/** Sort key of single-item partitions (resources, guards, counter shards). */
const ITEM = '#';

const scope = (connectionId: string) => `C#${connectionId}#`;

export const keys = {
  user: (connectionId: string, id: string): Key => ({ pk: `${scope(connectionId)}USER#${id}`, sk: ITEM }),
  group: (connectionId: string, id: string): Key => ({ pk: `${scope(connectionId)}GROUP#${id}`, sk: ITEM }),
  resource: (connectionId: string, kind: ResourceKind, id: string): Key =>
    kind === 'User' ? keys.user(connectionId, id) : keys.group(connectionId, id),

  /** The listing index (gsi1) partition of a kind; sort keys are `<created>#<id>` so new items sort last. */
  listing: (connectionId: string, kind: ResourceKind) =>
    `${scope(connectionId)}${kind === 'User' ? 'USERS' : 'GROUPS'}`,
  listingSort: (created: string, id: string) => `${created}#${id}`,

  /** Values are the tail of the key, so any character (including `#`) is safe in them. */
  guard: (connectionId: string, kind: GuardKind, value: string): Key => ({
    pk: `${scope(connectionId)}${GUARD_PREFIX[kind]}#${value}`,
    sk: ITEM,
  }),

  emailPartition: (connectionId: string, email: string) => `${scope(connectionId)}EMAIL#${email}`,
  email: (connectionId: string, email: string, userId: string): Key => ({
    pk: keys.emailPartition(connectionId, email),
    sk: userId,
  }),

  membersPartition: (connectionId: string, groupId: string) =>
    `${scope(connectionId)}GROUP#${groupId}#MEMBERS`,
  member: (connectionId: string, groupId: string, userId: string): Key => ({
    pk: keys.membersPartition(connectionId, groupId),
    sk: userId,
  }),
  /** The reverse direction (reverse member items in the base table): the groups of a user, by group id. */
  groupsOfUser: (connectionId: string, userId: string) => `${scope(connectionId)}USER#${userId}#GROUPS`,

  /** Counter shards live in partitions of their own so that they spread over DynamoDB partitions. */
  counterShard: (connectionId: string, kind: ResourceKind, shard: number): Key => ({
    pk: `${scope(connectionId)}COUNT#${kind === 'User' ? 'USERS' : 'GROUPS'}#${shard}`,
    sk: ITEM,
  }),

  cursorPartition: (connectionId: string, kind: ResourceKind) =>
    `${scope(connectionId)}CURSOR#${kind === 'User' ? 'USERS' : 'GROUPS'}`,
  /** Zero-padded so that cursors of one listing sort by position. */
  cursor: (connectionId: string, kind: ResourceKind, startIndex: number): Key => ({
    pk: keys.cursorPartition(connectionId, kind),
    sk: String(startIndex).padStart(10, '0'),
  }),

  /**
   * Which resource links a workspace object (`kind` is the IdP resource's): written with the apply
   * state that records the link, read strongly consistent before the full sync removes anything it
   * found no link for, since the listings it read are eventually consistent.
   */
  link: (connectionId: string, kind: ResourceKind, workspaceId: string): Key => ({
    pk: `${scope(connectionId)}LINK#${kind === 'User' ? 'MEMBER' : 'GROUP'}#${workspaceId}`,
    sk: ITEM,
  }),

  pendingPartition: (connectionId: string) => `${scope(connectionId)}PENDING`,
  /**
   * One marker per resource, keyed by kind and id only: writes that touch a resource without going
   * through its own replace (a deactivation leaving groups bumps each group) can never strand an old
   * marker, and every writer computes the key without reading. Users sort before groups.
   */
  pending: (connectionId: string, kind: ResourceKind, id: string): Key => ({
    pk: keys.pendingPartition(connectionId),
    sk: `${kind === 'User' ? '0' : '1'}#${kind}#${id}`,
  }),

  /**
   * What a deletion leaves for the audit trail (its own stream record says who deleted what; the
   * deleted item's REMOVE record cannot). Expires after a day.
   */
  tombstone: (connectionId: string, kind: ResourceKind, id: string): Key => ({
    pk: `${scope(connectionId)}GONE#${kind}#${id}`,
    sk: ITEM,
  }),

  /**
   * An audit note (shared/audit/audit-note.ts): what a writer records for the trail that no other
   * item's stream record says (a token command, an operator's workspace edit, each change a full
   * sync made in the workspace). Inside the connection's `C#` space so the apply function's stream
   * mapping takes it and turns it into entries; expires after a day.
   */
  auditNote: (connectionId: string, noteId: string): Key => ({
    pk: `${scope(connectionId)}NOTE#${noteId}`,
    sk: ITEM,
  }),

  /**
   * The audit trail (shared/audit/): entries of one day spread over shards, so a burst of changes
   * does not write one hot partition; sort keys `<at>#<event id>` order them by time. Outside the
   * connection's `C#` key space on purpose: the apply's stream mapping takes only `C#` records, so
   * the entries it writes never invoke it again on AWS.
   */
  auditDay: (connectionId: string, day: string, shard: number) => `AUDIT#${connectionId}#${day}#${shard}`,
  /** The same entries again under each object they are about (a user, a group), for `--user`/`--group`. */
  auditObject: (connectionId: string, kind: string, id: string) => `AUDITOBJ#${connectionId}#${kind}#${id}`,

  accessPartition: (connectionId: string) => `${scope(connectionId)}ACCESS`,
  /**
   * One incident per workspace object whose access could not be removed (access-incidents.ts),
   * keyed by what it is about on the workspace side so that every writer computes it from the change
   * alone: `member#<memberId>`, `admin#<memberId>`, `grant#<workspaceGroupId>#<memberId>`,
   * `group#<workspaceGroupId>`.
   * The whole connection's incidents are one Query.
   */
  accessIncident: (connectionId: string, subject: AccessSubject): Key => ({
    pk: keys.accessPartition(connectionId),
    sk:
      subject.kind === 'member'
        ? `member#${subject.memberId}`
        : subject.kind === 'admin'
          ? `admin#${subject.memberId}`
          : subject.kind === 'group'
            ? `group#${subject.workspaceGroupId}`
            : `grant#${subject.workspaceGroupId}#${subject.memberId}`,
  }),
};
