/**
 * The link state on DynamoDB (see link-store.ts for the contract and keys.ts for the layout).
 *
 * Round trips per operation: create 1 (one transaction); get 1; find by userName/externalId/
 * displayName 2 (guard, then item, both strongly consistent); find by email 2; replace 1, or
 * 3 with dropMemberships (reverse-item query, group existence, transaction); delete user 2-3 (query,
 * group existence when it has memberships, transaction); delete group 1 + member query/batches;
 * updateGroup 1 for up to ~95 member changes, else one per chunk of 99 (plus one read of the removed
 * members); list page 4 calls, 3 in sequence (counter shards in parallel with: remembered end, the
 * page, remembering its end); setApplyState 1 (one transaction: the apply state on the version
 * condition, and the marker, whose key needs only the kind and id); access incidents 1 each (an
 * UpdateItem, a conditional DeleteItem, a Query).
 */
import type { NoteEvent } from '../audit/audit-note';
import { writeAuditNote } from '../audit/audit-note';
import { isDeepStrictEqual } from 'node:util';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditStamp, groupAuditStamp } from '../audit/audit-context';
import { logger } from '../http/logger';
import { listIncidents, recordIncident, resolveIncident } from './access-incidents';
import type { AccessIncident, AccessIncidentReport, AccessSubject, ResolveGuard } from './access-incidents';
import { applyChange } from './atomic-change';
import type { ChangeOp } from './atomic-change';
import { batchDelete, batchGet, UnprocessedWritesError } from './batch';
import type { Item } from './batch';
import type { Db } from './client';
import { counterChange, readCounter } from './counters';
import { groupFromItem, groupIndexChange, groupItem } from './group-items';
import { guardKey } from './guards';
import type { GuardKind } from './keys';
import { keys } from './keys';
import { VersionConflictError } from './link-store';
import type { GroupChangeRead, LinkStore, MemberDelta, Page, PendingRef, ResourceKind } from './link-store';
import {
  addMemberOp,
  dropOrphanOp,
  getMembers,
  leaveGroupOp,
  listMemberPage,
  membershipsOfUser,
  partitionByLiveGroup,
  removeMemberOp,
  reverseKey,
} from './membership';
import type { ApplyState, GroupRecord, MemberRecord, UserRecord } from './record';
import { readPage } from './page-cursors';
import {
  deleteMarker,
  isPending,
  listPendingMarkers,
  markerChange,
  putHeldMarker,
  putMarker,
} from './pending';
import { resourceAnchor, VERSION_CONDITION, VERSION_NAMES } from './resource-anchor';
import { TTL_ATTRIBUTE } from './table';
import { MAX_TRANSACTION_ITEMS, transact } from './transact';
import type { Write } from './transact';
import { userFromItem, userIndexChange, userItem } from './user-items';

export class DynamoLinkStore implements LinkStore {
  constructor(private readonly db: Db) {}

  // Users

  async createUser(user: UserRecord): Promise<void> {
    await applyChange(
      this.db,
      resourceAnchor(this.db, {
        key: keys.user(user.connectionId, user.id),
        id: user.id,
        after: () => userItem(user),
        counted: false,
        related: [
          ...userIndexChange(this.db, undefined, user),
          ...markerChange(this.db, 'User', undefined, user),
          counterOp(this.db, user.connectionId, 'User', 1),
        ],
      }),
      [],
    );
  }

  async getUser(connectionId: string, id: string): Promise<UserRecord | undefined> {
    const item = await this.getItem(keys.user(connectionId, id));
    return item && userFromItem(item);
  }

  async getUsers(connectionId: string, ids: string[]): Promise<UserRecord[]> {
    const found = await batchGet(
      this.db,
      ids.map((id) => keys.user(connectionId, id)),
    );
    const byId = new Map(found.map((item) => [String(item.id), userFromItem(item)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async findUserByUserName(connectionId: string, userName: string): Promise<UserRecord | undefined> {
    const id = await this.guardOwner(connectionId, 'userName', userName);
    return id === undefined ? undefined : this.getUser(connectionId, id);
  }

  async findUserByExternalId(connectionId: string, externalId: string): Promise<UserRecord | undefined> {
    const id = await this.guardOwner(connectionId, 'userExternalId', externalId);
    return id === undefined ? undefined : this.getUser(connectionId, id);
  }

  async findUsersByEmail(connectionId: string, email: string): Promise<UserRecord[]> {
    const out = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.emailPartition(connectionId, email.toLowerCase()) },
        ConsistentRead: true,
      }),
    );
    const ids = (out.Items ?? []).map((item) => String(item.userId));
    return ids.length === 0 ? [] : this.getUsers(connectionId, ids);
  }

  async replaceUser(
    before: UserRecord,
    after: UserRecord,
    options?: { dropMemberships?: boolean },
  ): Promise<void> {
    assertSameResource(before, after);
    const ops: ChangeOp[] = [];
    if (options?.dropMemberships) {
      const { live, orphaned } = await partitionByLiveGroup(
        this.db,
        after.connectionId,
        await membershipsOfUser(this.db, after.connectionId, after.id),
      );
      ops.push(
        ...live.map((m) => leaveGroupOp(this.db, after.connectionId, m, after.meta.lastModified)),
        ...orphaned.map((m) => dropOrphanOp(this.db, after.connectionId, m)),
      );
    }
    await applyChange(
      this.db,
      resourceAnchor(this.db, {
        key: keys.user(after.connectionId, after.id),
        id: after.id,
        before: { item: userItem(before), version: before.meta.version },
        after: () => userItem(after),
        counted: false,
        // A membership added since `before` was read moved the revision: retry from a fresh read.
        condition: groupRevCondition(before),
        related: [
          ...userIndexChange(this.db, before, after),
          ...markerChange(this.db, 'User', before, after),
        ],
      }),
      ops,
    );
  }

  /**
   * Memberships go first, in transactions of their own when there are too many for one, and the
   * user with its guards, index items and counter last. A failure part-way leaves the user in place
   * with fewer groups; the IdP retries the DELETE, which finishes the job (delete converges, it is
   * not rolled back).
   */
  async deleteUser(user: UserRecord): Promise<void> {
    const { connectionId, id } = user;
    const { live, orphaned } = await partitionByLiveGroup(
      this.db,
      connectionId,
      await membershipsOfUser(this.db, connectionId, id),
    );
    const memberships = [
      ...live.map((m) => leaveGroupOp(this.db, connectionId, m, new Date().toISOString())),
      ...orphaned.map((m) => dropOrphanOp(this.db, connectionId, m)),
    ];
    const final = this.removalWrites('User', user, userIndexChange(this.db, user, undefined));
    const membershipWrites = memberships.flatMap((op) => op.forward);
    if (final.length + membershipWrites.length <= MAX_TRANSACTION_ITEMS) {
      await transact(this.db, [...membershipWrites, ...final]);
      return;
    }
    // Every chunk and the final delete are conditioned on the version and membership revision
    // read: a membership added in between fails the delete, and the retry removes it too.
    const revision = groupRevCondition(user);
    const stillThere: Write = {
      item: {
        ConditionCheck: {
          TableName: this.db.table,
          Key: keys.user(connectionId, id),
          ConditionExpression: `${VERSION_CONDITION} AND ${revision.expression}`,
          ExpressionAttributeNames: VERSION_NAMES,
          ExpressionAttributeValues: { ':version': user.meta.version, ...revision.values },
        },
      },
      onConditionFailed: () => new VersionConflictError(id),
    };
    let chunk: Write[] = [];
    for (const op of memberships) {
      if (chunk.length + op.forward.length > MAX_TRANSACTION_ITEMS - 1) {
        await transact(this.db, [stillThere, ...chunk]);
        chunk = [];
      }
      chunk.push(...op.forward);
    }
    if (chunk.length > 0) await transact(this.db, [stillThere, ...chunk]);
    await transact(this.db, final);
  }

  async listUsers(connectionId: string, startIndex: number, count: number): Promise<Page<UserRecord>> {
    const [totalResults, items] = await Promise.all([
      this.countUsers(connectionId),
      readPage(this.db, connectionId, 'User', startIndex, count),
    ]);
    return { items: items.map(userFromItem), totalResults };
  }

  countUsers(connectionId: string): Promise<number> {
    return readCounter(this.db, connectionId, 'User');
  }

  // Groups

  async createGroup(group: GroupRecord, members: MemberRecord[]): Promise<void> {
    await applyChange(
      this.db,
      resourceAnchor(this.db, {
        key: keys.group(group.connectionId, group.id),
        id: group.id,
        after: (delta) => groupItem(group, delta, { added: members.map((m) => m.userId) }),
        counted: true,
        related: [
          ...groupIndexChange(this.db, undefined, group),
          ...markerChange(this.db, 'Group', undefined, group),
          counterOp(this.db, group.connectionId, 'Group', 1),
        ],
      }),
      members.map((m) => addMemberOp(this.db, group.connectionId, { ...m, groupId: group.id })),
    );
  }

  async getGroup(connectionId: string, id: string): Promise<GroupRecord | undefined> {
    const item = await this.getItem(keys.group(connectionId, id));
    return item && groupFromItem(item);
  }

  async findGroupByDisplayName(connectionId: string, displayName: string): Promise<GroupRecord | undefined> {
    const id = await this.guardOwner(connectionId, 'groupDisplayName', displayName);
    return id === undefined ? undefined : this.getGroup(connectionId, id);
  }

  async findGroupByExternalId(connectionId: string, externalId: string): Promise<GroupRecord | undefined> {
    const id = await this.guardOwner(connectionId, 'groupExternalId', externalId);
    return id === undefined ? undefined : this.getGroup(connectionId, id);
  }

  async updateGroup(before: GroupRecord, after: GroupRecord, delta: MemberDelta): Promise<void> {
    assertSameResource(before, after);
    const { connectionId, id } = after;
    const related = [
      ...groupIndexChange(this.db, before, after),
      ...markerChange(this.db, 'Group', before, after),
    ];
    // Undoing a removal needs the removed item as it was; it is read only when the change may
    // need more than one transaction (the only case that can be undone).
    const mayChunk = related.length + 1 + delta.add.length + delta.remove.length > MAX_TRANSACTION_ITEMS;
    const originals = new Map(
      (mayChunk ? await getMembers(this.db, connectionId, id, delta.remove) : []).map((m) => [m.userId, m]),
    );
    const ops = [
      ...delta.add.map((m) => addMemberOp(this.db, connectionId, { ...m, groupId: id })),
      ...delta.remove.map((userId) =>
        removeMemberOp(this.db, connectionId, originals.get(userId) ?? { groupId: id, userId }),
      ),
    ];
    await applyChange(
      this.db,
      resourceAnchor(this.db, {
        key: keys.group(connectionId, id),
        id,
        before: { item: groupItem(before), version: before.meta.version },
        after: (change) =>
          groupItem(after, before.memberCount + change, {
            added: delta.add.map((m) => m.userId),
            removed: delta.remove,
          }),
        counted: true,
        related,
      }),
      ops,
    );
  }

  async updateGroupMembers(before: GroupRecord, after: GroupRecord, delta: MemberDelta): Promise<void> {
    assertSameResource(before, after);
    if (
      before.displayName !== after.displayName ||
      before.externalId !== after.externalId ||
      !isDeepStrictEqual(before.body, after.body)
    ) {
      throw new Error('updateGroupMembers changes members only; use updateGroup for attributes');
    }
    const { connectionId, id } = after;
    const move: Write = {
      item: {
        Update: {
          TableName: this.db.table,
          Key: keys.group(connectionId, id),
          UpdateExpression:
            'SET #meta.#version = #meta.#version + :one, #meta.#lm = :now, apply.#status = :status, apply.attempts = :attempts, audit = :audit ADD memberCount :delta',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(changeToken)',
          ExpressionAttributeNames: { ...VERSION_NAMES, '#lm': 'lastModified', '#status': 'status' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':now': after.meta.lastModified,
            ':status': after.apply.status,
            ':attempts': after.apply.attempts,
            ':delta': delta.add.length - delta.remove.length,
            ':audit': groupAuditStamp(
              delta.add.map((m) => m.userId),
              delta.remove,
            ),
          },
        },
      },
      onConditionFailed: () => new VersionConflictError(id),
    };
    const writes = [
      move,
      ...markerChange(this.db, 'Group', before, after).flatMap((op) => op.forward),
      ...delta.add.flatMap((m) => addMemberOp(this.db, connectionId, { ...m, groupId: id }).forward),
      ...delta.remove.flatMap(
        (userId) => removeMemberOp(this.db, connectionId, { groupId: id, userId }).forward,
      ),
    ];
    if (writes.length > MAX_TRANSACTION_ITEMS) return this.updateGroup(before, after, delta);
    await transact(this.db, writes);
  }

  async readGroupChange(connectionId: string, groupId: string, userIds: string[]): Promise<GroupChangeRead> {
    const groupKey = keys.group(connectionId, groupId);
    const membersPk = keys.membersPartition(connectionId, groupId);
    const items = await batchGet(this.db, [
      groupKey,
      ...userIds.map((userId) => keys.user(connectionId, userId)),
      ...userIds.map((userId) => keys.member(connectionId, groupId, userId)),
    ]);
    let group: GroupRecord | undefined;
    const users = new Map<string, UserRecord>();
    const members = new Set<string>();
    for (const item of items) {
      if (item.pk === groupKey.pk) group = groupFromItem(item);
      else if (item.pk === membersPk) members.add(String(item.sk));
      else users.set(String(item.id), userFromItem(item));
    }
    return { group, users: userIds.flatMap((userId) => users.get(userId) ?? []), members };
  }

  async membersAmong(connectionId: string, groupId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const found = await getMembers(this.db, connectionId, groupId, userIds);
    return new Set(found.map((m) => m.userId));
  }

  listMembers(
    connectionId: string,
    groupId: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<{ members: MemberRecord[]; cursor?: string }> {
    return listMemberPage(this.db, connectionId, groupId, options);
  }

  /** Leaves out memberships of groups that are gone (deleteGroup removes member items after the group). */
  async groupsOfUser(connectionId: string, userId: string): Promise<MemberRecord[]> {
    const { live } = await partitionByLiveGroup(
      this.db,
      connectionId,
      await membershipsOfUser(this.db, connectionId, userId),
    );
    return live;
  }

  /**
   * The group item, its guards and its count go in one transaction; the member items follow in
   * batches. That is safe without a transaction: once the group item is gone, groupsOfUser and user
   * deletes ignore memberships of it, membersAmong/listMembers are only called for a group that was
   * found, and no write can add members to it (updateGroup is conditioned on its version). A crash
   * part-way leaves only unreachable items, which the next user delete or deactivation removes.
   *
   * So does a table that keeps leaving the member deletes unprocessed (UnprocessedWritesError after
   * batch.ts's bound): the group is deleted, which is what the caller asked and what a retry would
   * find (404), so the cleanup stops there with a warning naming the group and what was left, and
   * the delete succeeds; failing it would tell the IdP that a committed delete did not happen.
   */
  async deleteGroup(group: GroupRecord): Promise<void> {
    const { connectionId, id } = group;
    await transact(this.db, this.removalWrites('Group', group, groupIndexChange(this.db, group, undefined)));
    try {
      await this.deleteMemberItems(connectionId, id);
    } catch (error) {
      if (!(error instanceof UnprocessedWritesError)) throw error;
      logger.warn('group deleted; the table left some of its member items unprocessed', {
        connectionId,
        groupId: id,
        attempts: error.attempts,
        unprocessed: error.unprocessed,
      });
    }
  }

  /** The member items of a deleted group and their reverse items, a page of the partition at a time. */
  private async deleteMemberItems(connectionId: string, id: string): Promise<void> {
    const pk = keys.membersPartition(connectionId, id);
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'pk, sk',
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      await batchDelete(
        this.db,
        (out.Items ?? []).flatMap((item) => [
          { pk: String(item.pk), sk: String(item.sk) },
          reverseKey(connectionId, id, String(item.sk)),
        ]),
      );
      start = out.LastEvaluatedKey;
    } while (start);
  }

  async listGroups(connectionId: string, startIndex: number, count: number): Promise<Page<GroupRecord>> {
    const [totalResults, items] = await Promise.all([
      this.countGroups(connectionId),
      readPage(this.db, connectionId, 'Group', startIndex, count),
    ]);
    return { items: items.map(groupFromItem), totalResults };
  }

  countGroups(connectionId: string): Promise<number> {
    return readCounter(this.db, connectionId, 'Group');
  }

  // Apply state

  /**
   * Reads the stored version and lastModified (the pending marker's key) first, then writes the
   * apply state and the marker in one transaction conditioned on the version: `meta` is untouched,
   * so the ETag does not move. Both marker writes are idempotent, so the stored status before
   * does not matter.
   */
  noteAudit(connectionId: string, noteId: string, events: readonly NoteEvent[], now: Date): Promise<void> {
    return writeAuditNote(this.db, connectionId, noteId, events, now);
  }

  async holdPending(
    connectionId: string,
    kind: ResourceKind,
    id: string,
    lastError: string,
    now: Date,
    rolloutVersion?: number,
  ): Promise<void> {
    const gone = new Error('gone');
    try {
      await transact(this.db, [
        {
          item: {
            Update: {
              TableName: this.db.table,
              Key: keys.resource(connectionId, kind, id),
              UpdateExpression:
                'SET apply.#status = :pending, apply.lastError = :error, apply.attemptedAt = :now, audit = :audit ADD apply.attempts :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':pending': 'pending',
                ':error': lastError,
                ':now': now.toISOString(),
                ':one': 1,
                ':audit': auditStamp(now),
              },
            },
          },
          onConditionFailed: () => gone,
        },
        rolloutVersion === undefined
          ? putMarker(this.db, kind, {
              connectionId,
              id,
              apply: { status: 'pending', attempts: 1, attemptedAt: now.toISOString() },
            })
          : putHeldMarker(this.db, kind, { connectionId, id }, rolloutVersion, now),
      ]);
    } catch (error) {
      if (error !== gone) throw error;
    }
  }

  async setApplyState(
    connectionId: string,
    kind: ResourceKind,
    id: string,
    version: number,
    apply: ApplyState,
  ): Promise<boolean> {
    const key = keys.resource(connectionId, kind, id);
    // One round trip: the version condition refuses a resource that moved on or is gone, and the
    // marker's key needs nothing but the kind and id.
    const subject = { connectionId, id, apply };
    const moved = new Error('moved');
    try {
      await transact(this.db, [
        {
          item: {
            Update: {
              TableName: this.db.table,
              Key: key,
              UpdateExpression: 'SET apply = :apply, audit = :audit',
              ConditionExpression: '#meta.#version = :version',
              ExpressionAttributeNames: VERSION_NAMES,
              ExpressionAttributeValues: { ':version': version, ':apply': apply, ':audit': auditStamp() },
            },
          },
          onConditionFailed: () => moved,
        },
        isPending(apply) ? putMarker(this.db, kind, subject) : deleteMarker(this.db, kind, subject),
        ...(apply.workspaceId !== undefined
          ? [
              {
                item: {
                  Put: {
                    TableName: this.db.table,
                    Item: { ...keys.link(connectionId, kind, apply.workspaceId), id },
                  },
                },
              },
            ]
          : []),
      ]);
      return true;
    } catch (error) {
      if (error === moved) return false;
      throw error;
    }
  }

  /** The resource item (only at the version read), its guards and index items, marker and count. */
  private removalWrites(kind: ResourceKind, record: UserRecord | GroupRecord, indexOps: ChangeOp[]): Write[] {
    const counted = kind === 'User' ? groupRevCondition(record as UserRecord) : undefined;
    return [
      {
        item: {
          Delete: {
            TableName: this.db.table,
            Key: keys.resource(record.connectionId, kind, record.id),
            ConditionExpression: counted
              ? `${VERSION_CONDITION} AND ${counted.expression}`
              : VERSION_CONDITION,
            ExpressionAttributeNames: VERSION_NAMES,
            ExpressionAttributeValues: { ':version': record.meta.version, ...counted?.values },
          },
        },
        onConditionFailed: () => new VersionConflictError(record.id),
      },
      ...indexOps.flatMap((op) => op.forward),
      ...markerChange(this.db, kind, record, undefined).flatMap((op) => op.forward),
      // The deletion's stream record (a REMOVE) carries no writer: this item does (shared/audit/).
      { item: { Put: { TableName: this.db.table, Item: tombstoneItem(kind, record) } } },
      ...(record.apply.workspaceId !== undefined
        ? [
            {
              item: {
                Delete: {
                  TableName: this.db.table,
                  Key: keys.link(record.connectionId, kind, record.apply.workspaceId),
                  ConditionExpression: 'attribute_not_exists(pk) OR id = :linkId',
                  ExpressionAttributeValues: { ':linkId': record.id },
                },
              },
            },
          ]
        : []),
      counterOp(this.db, record.connectionId, kind, -1).forward[0] as Write,
    ];
  }

  async linkedResource(
    connectionId: string,
    kind: ResourceKind,
    workspaceId: string,
  ): Promise<string | undefined> {
    const link = await this.getItem(keys.link(connectionId, kind, workspaceId));
    if (typeof link?.id !== 'string') return undefined;
    // The link item only points the way (a re-link leaves the old one); the resource decides.
    const resource = await this.getItem(keys.resource(connectionId, kind, link.id));
    const apply = resource?.apply as ApplyState | undefined;
    return apply?.workspaceId === workspaceId ? link.id : undefined;
  }

  listPending(
    connectionId: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<{ items: PendingRef[]; cursor?: string }> {
    return listPendingMarkers(this.db, connectionId, options);
  }

  // Access incidents

  recordAccessIncident(
    connectionId: string,
    report: AccessIncidentReport,
    now: Date,
  ): Promise<AccessIncident> {
    return recordIncident(this.db, connectionId, report, now);
  }

  resolveAccessIncident(connectionId: string, subject: AccessSubject, guard: ResolveGuard): Promise<boolean> {
    return resolveIncident(this.db, connectionId, subject, guard);
  }

  listAccessIncidents(connectionId: string): Promise<AccessIncident[]> {
    return listIncidents(this.db, connectionId);
  }

  // Shared reads

  private async getItem(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.table, Key: key, ConsistentRead: true }),
    );
    return Item;
  }

  /** Strongly consistent, so a lookup right after a create finds what the create wrote. */
  private async guardOwner(
    connectionId: string,
    kind: GuardKind,
    value: string,
  ): Promise<string | undefined> {
    const guard = await this.getItem(guardKey(connectionId, kind, value));
    return typeof guard?.id === 'string' ? guard.id : undefined;
  }
}

/** The membership revision a user was read at (absent on users never added to a group). */
function groupRevCondition(user: Pick<UserRecord, 'groupRev'>): {
  expression: string;
  values: Record<string, unknown>;
} {
  return user.groupRev === undefined
    ? { expression: 'attribute_not_exists(groupRev)', values: {} }
    : { expression: 'groupRev = :groupRev', values: { ':groupRev': user.groupRev } };
}

/** What a deletion leaves for the audit trail: who deleted what; expires after a day. */
function tombstoneItem(kind: ResourceKind, record: UserRecord | GroupRecord): Item {
  const now = new Date();
  return {
    ...keys.tombstone(record.connectionId, kind, record.id),
    kind,
    id: record.id,
    was: kind === 'User' ? userItem(record as UserRecord) : groupItem(record as GroupRecord),
    audit: auditStamp(now),
    [TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + TOMBSTONE_SECONDS,
  };
}

const TOMBSTONE_SECONDS = 24 * 60 * 60;

function counterOp(db: Db, connectionId: string, kind: ResourceKind, delta: number): ChangeOp {
  return {
    forward: [counterChange(db, connectionId, kind, delta)],
    undo: [counterChange(db, connectionId, kind, -delta)],
    delta: 0,
  };
}

function assertSameResource(
  before: { connectionId: string; id: string },
  after: { connectionId: string; id: string },
) {
  if (before.connectionId !== after.connectionId || before.id !== after.id) {
    throw new Error('a replace must keep the connection and id of the resource');
  }
}
