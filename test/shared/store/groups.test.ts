import { describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../../shared/store/client';
import { countingDb } from '../../../shared/store/counting-db';
import { DynamoLinkStore } from '../../../shared/store/dynamo-link-store';
import { keys } from '../../../shared/store/keys';
import { VersionConflictError } from '../../../shared/store/link-store';
import { memberItem, reverseKey } from '../../../shared/store/membership';
import type { GroupRecord, MemberRecord, UserRecord } from '../../../shared/store/record';
import { itemsIn, testDb, uniqueConnectionId } from '../../support/db';
import { aGroup, aUser, next } from './records';

const store = (db: Db = testDb()) => new DynamoLinkStore(db);

/**
 * Setup writes, a few at a time: DynamoDB Local runs transactions one after another, so dozens
 * at once would queue past the client's request timeout on a loaded machine.
 */
async function inSteps<T>(items: readonly T[], write: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += 8) await Promise.all(items.slice(i, i + 8).map(write));
}

async function users(s: DynamoLinkStore, conn: string, n: number): Promise<UserRecord[]> {
  const created = Array.from({ length: n }, () => aUser(conn));
  await inSteps(created, (u) => s.createUser(u));
  return created;
}

const asMember = (groupId: string) => (u: UserRecord) => ({ groupId, userId: u.id, display: u.userName });

async function allMembers(s: DynamoLinkStore, conn: string, groupId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await s.listMembers(conn, groupId, { limit: 100, ...(cursor ? { cursor } : {}) });
    ids.push(...page.members.map((m) => m.userId));
    cursor = page.cursor;
  } while (cursor);
  return ids.sort();
}

async function rawGroup(conn: string, id: string) {
  const { doc, table } = testDb();
  const { Item } = await doc.send(
    new GetCommand({ TableName: table, Key: keys.group(conn, id), ConsistentRead: true }),
  );
  return Item;
}

/** A Db whose nth TransactWriteItems call fails as a timeout would, every other call going through. */
function failingNthTransaction(inner: Db, n: number): Db {
  let seen = 0;
  const doc = new Proxy(inner.doc, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return (command: unknown) => {
        if (command instanceof TransactWriteCommand && ++seen === n) {
          return Promise.reject(Object.assign(new Error('injected timeout'), { name: 'TimeoutError' }));
        }
        return (inner.doc.send as (c: unknown) => Promise<unknown>)(command);
      };
    },
  });
  return { doc, table: inner.table };
}

describe('DynamoLinkStore groups', () => {
  it('creates a group with members and finds it by displayName in any case and by externalId', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const [a, b] = await users(s, conn, 2);
    const group = aGroup(conn, { displayName: 'Engineering', externalId: 'g-ext' });
    await s.createGroup(group, [a!, b!].map(asMember(group.id)));

    expect(await s.getGroup(conn, group.id)).toEqual({ ...group, memberCount: 2 });
    expect((await s.findGroupByDisplayName(conn, 'ENGINEERING'))?.id).toBe(group.id);
    expect((await s.findGroupByExternalId(conn, 'g-ext'))?.id).toBe(group.id);
    expect(await allMembers(s, conn, group.id)).toEqual([a!.id, b!.id].sort());
    expect(await s.countGroups(conn)).toBe(1);

    const dup = aGroup(conn, { displayName: 'engineering' });
    const error = await s.createGroup(dup, []).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, scimType: 'uniqueness' });
    expect(String((error as Error).message)).toContain('displayName');
    expect(await itemsIn([keys.group(conn, dup.id).pk])).toEqual([]);
  });

  it('adds and removes k members with k writes in one transaction, keeping memberCount right', async () => {
    const conn = uniqueConnectionId();
    const base = store();
    const people = await users(base, conn, 6);
    const group = aGroup(conn);
    await base.createGroup(group, people.slice(0, 4).map(asMember(group.id)));
    const v1 = { ...group, memberCount: 4 };

    const counting = countingDb(testDb());
    const v2 = next(v1);
    await store(counting.db).updateGroup(v1, v2, {
      add: people.slice(4).map(asMember(group.id)),
      remove: [people[0]!.id],
    });
    expect(counting.stats.calls).toBe(1);
    // group item + 2 adds (member item, its reverse item, the user's membership revision) + 1
    // remove (member item and reverse item) + the (idempotent) delete of a possibly stale pending
    // marker: O(k), independent of the 4 members already there.
    expect(counting.stats.itemsWritten).toBe(10);
    expect(counting.stats.itemsRead).toBe(0);

    const stored = await base.getGroup(conn, group.id);
    expect(stored?.memberCount).toBe(5);
    expect(stored?.meta.version).toBe(2);
    expect(await allMembers(base, conn, group.id)).toEqual(
      people
        .slice(1)
        .map((p) => p.id)
        .sort(),
    );

    await expect(base.updateGroup(v1, next(v1), { add: [], remove: [people[1]!.id] })).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect((await base.getGroup(conn, group.id))?.memberCount).toBe(5);
  });

  it('answers membersAmong and groupsOfUser in both directions', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const [a, b, c] = await users(s, conn, 3);
    const g1 = aGroup(conn);
    const g2 = aGroup(conn);
    await s.createGroup(g1, [a!, b!].map(asMember(g1.id)));
    await s.createGroup(g2, [a!].map(asMember(g2.id)));

    expect(await s.membersAmong(conn, g1.id, [a!.id, c!.id, 'nobody'])).toEqual(new Set([a!.id]));
    const ofA = await s.groupsOfUser(conn, a!.id);
    expect(ofA.map((m) => m.groupId).sort()).toEqual([g1.id, g2.id].sort());
    expect(ofA.find((m) => m.groupId === g1.id)?.display).toBe(a!.userName);
    expect(await s.groupsOfUser(conn, c!.id)).toEqual([]);
    // Another connection cannot see these memberships.
    expect(await s.groupsOfUser(uniqueConnectionId(), a!.id)).toEqual([]);
  });

  it('drops every membership of a deactivated user in the same atomic change', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const [a, b] = await users(s, conn, 2);
    const groups = [aGroup(conn), aGroup(conn), aGroup(conn)];
    for (const g of groups) await s.createGroup(g, [a!, b!].map(asMember(g.id)));

    // A deactivation computed from a read older than the memberships would leave them behind: it
    // is refused (the caller re-reads and retries), and nothing changes.
    await expect(
      s.replaceUser(a!, next(a!, { active: false }), { dropMemberships: true }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect((await s.groupsOfUser(conn, a!.id)).length).toBe(3);
    const fresh = (await s.getUser(conn, a!.id))!;
    await s.replaceUser(fresh, next(fresh, { active: false }), { dropMemberships: true });
    expect(await s.groupsOfUser(conn, a!.id)).toEqual([]);
    for (const g of groups) {
      const stored = await s.getGroup(conn, g.id);
      expect(stored?.memberCount).toBe(1);
      expect(stored?.meta.version).toBe(2);
      expect(await allMembers(s, conn, g.id)).toEqual([b!.id]);
    }
    expect((await s.getUser(conn, a!.id))?.active).toBe(false);
  });

  it('drops more memberships than one transaction holds, in chunks', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const [a] = await users(s, conn, 1);
    const groups = Array.from({ length: 60 }, () => aGroup(conn));
    await inSteps(groups, (g) => s.createGroup(g, [asMember(g.id)(a!)]));

    const fresh = (await s.getUser(conn, a!.id))!;
    await s.replaceUser(fresh, next(fresh, { active: false }), { dropMemberships: true });
    expect(await s.groupsOfUser(conn, a!.id)).toEqual([]);
    const counts = await Promise.all(groups.map(async (g) => (await s.getGroup(conn, g.id))?.memberCount));
    expect(counts.every((n) => n === 0)).toBe(true);
    expect((await s.getUser(conn, a!.id))?.meta.version).toBe(2);
    expect(
      (await testDb().doc.send(new GetCommand({ TableName: testDb().table, Key: keys.user(conn, a!.id) })))
        .Item,
    ).not.toHaveProperty('changeToken');
  });

  describe('changes larger than one transaction', () => {
    async function setUp() {
      const conn = uniqueConnectionId();
      const s = store();
      const people = await users(s, conn, 253);
      const group = aGroup(conn, { displayName: 'Big' });
      const initial = people.slice(0, 3);
      await s.createGroup(group, initial.map(asMember(group.id)));
      const before: GroupRecord = { ...group, memberCount: 3 };
      const adds: MemberRecord[] = people.slice(3).map(asMember(group.id));
      return { conn, s, people, before, initial, adds };
    }

    it('applies 250 adds atomically across chunks, then removes them', async () => {
      const { conn, s, before, initial, adds } = await setUp();
      const counting = countingDb(testDb());
      const after = next(before, { displayName: 'Bigger' });
      await store(counting.db).updateGroup(before, after, { add: adds, remove: [] });
      // 250 adds of 3 items each (member, reverse item, user revision), 33 per transaction.
      expect(counting.stats.byCommand.TransactWriteCommand).toBe(8);

      const stored = await s.getGroup(conn, before.id);
      expect(stored?.memberCount).toBe(253);
      expect(stored?.displayName).toBe('Bigger');
      expect(await rawGroup(conn, before.id)).not.toHaveProperty('changeToken');
      expect((await allMembers(s, conn, before.id)).length).toBe(253);
      expect((await s.findGroupByDisplayName(conn, 'bigger'))?.id).toBe(before.id);
      expect(await s.findGroupByDisplayName(conn, 'big')).toBeUndefined();

      const v3 = next(after);
      await s.updateGroup({ ...after, memberCount: 253 }, v3, { add: [], remove: adds.map((m) => m.userId) });
      expect((await s.getGroup(conn, before.id))?.memberCount).toBe(3);
      expect(await allMembers(s, conn, before.id)).toEqual(initial.map((u) => u.id).sort());
    });

    it('undoes the chunks already written when a later chunk fails, leaving the group unchanged', async () => {
      const { conn, s, before, initial, adds } = await setUp();
      const faulty = store(failingNthTransaction(testDb(), 3));
      const after = next(before, { displayName: 'Renamed' });

      await expect(faulty.updateGroup(before, after, { add: adds, remove: [] })).rejects.toThrow(
        'injected timeout',
      );

      expect(await s.getGroup(conn, before.id)).toEqual(before);
      expect(await rawGroup(conn, before.id)).not.toHaveProperty('changeToken');
      expect(await allMembers(s, conn, before.id)).toEqual(initial.map((u) => u.id).sort());
      expect((await s.findGroupByDisplayName(conn, 'Big'))?.id).toBe(before.id);
      expect(await s.findGroupByDisplayName(conn, 'Renamed')).toBeUndefined();
      expect(await s.groupsOfUser(conn, adds[200]!.userId)).toEqual([]);
      // The group is writable again at its old version.
      await s.updateGroup(before, next(before), { add: adds.slice(0, 1), remove: [] });
      expect((await s.getGroup(conn, before.id))?.memberCount).toBe(4);
    });

    it('undoes everything when a concurrent writer makes a later chunk conflict', async () => {
      const { conn, s, before, initial, adds } = await setUp();
      const { doc, table } = testDb();
      // Another writer added the 200th user meanwhile: the chunk holding it fails its condition.
      const raced = adds[200]!;
      await doc.send(new PutCommand({ TableName: table, Item: memberItem(conn, raced) }));

      await expect(s.updateGroup(before, next(before), { add: adds, remove: [] })).rejects.toBeInstanceOf(
        VersionConflictError,
      );
      expect(await s.getGroup(conn, before.id)).toEqual(before);
      expect(await rawGroup(conn, before.id)).not.toHaveProperty('changeToken');
      expect(await allMembers(s, conn, before.id)).toEqual(
        [...initial.map((u) => u.id), raced.userId].sort(),
      );
    });
  });

  it('deletes a group with its guards and every member item, and forgets it in groupsOfUser', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const people = await users(s, conn, 30);
    const group = aGroup(conn, {
      displayName: 'Doomed',
      externalId: 'ext-doomed',
      apply: { status: 'pending', attempts: 0 },
    });
    const keep = aGroup(conn);
    await s.createGroup(group, people.map(asMember(group.id)));
    await s.createGroup(keep, [asMember(keep.id)(people[0]!)]);

    await s.deleteGroup({ ...group, memberCount: 30 });
    expect(
      await itemsIn([
        keys.group(conn, group.id).pk,
        keys.membersPartition(conn, group.id),
        keys.guard(conn, 'groupDisplayName', 'doomed').pk,
        keys.guard(conn, 'groupExternalId', 'ext-doomed').pk,
        keys.pendingPartition(conn),
      ]),
    ).toEqual([]);
    expect(await s.countGroups(conn)).toBe(1);
    expect((await s.groupsOfUser(conn, people[0]!.id)).map((m) => m.groupId)).toEqual([keep.id]);
  });

  it('ignores and cleans up memberships a group delete left behind', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const [a] = await users(s, conn, 1);
    const { doc, table } = testDb();
    // As if a deleteGroup stopped after its first transaction.
    await doc.send(
      new PutCommand({ TableName: table, Item: memberItem(conn, { groupId: 'gone', userId: a!.id }) }),
    );
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: { ...reverseKey(conn, 'gone', a!.id), groupId: 'gone', userId: a!.id },
      }),
    );
    expect(await s.groupsOfUser(conn, a!.id)).toEqual([]);
    await s.deleteUser(a!);
    expect(await itemsIn([keys.membersPartition(conn, 'gone'), keys.user(conn, a!.id).pk])).toEqual([]);
  });

  it('deletes a user with its memberships, decrementing each group', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const [a, b] = await users(s, conn, 2);
    const g = aGroup(conn);
    await s.createGroup(g, [a!, b!].map(asMember(g.id)));
    // A delete computed before the membership was added is refused, so it never leaves it behind.
    await expect(s.deleteUser(a!)).rejects.toBeInstanceOf(VersionConflictError);
    await s.deleteUser((await s.getUser(conn, a!.id))!);
    expect(await allMembers(s, conn, g.id)).toEqual([b!.id]);
    expect((await s.getGroup(conn, g.id))?.memberCount).toBe(1);
    expect(await itemsIn([keys.user(conn, a!.id).pk, keys.guard(conn, 'userName', a!.userName).pk])).toEqual(
      [],
    );
  });
});

/** The next version of a group whose members only changed, as the PATCH endpoint writes it. */
function membersMoved(group: GroupRecord, memberCount: number): GroupRecord {
  return { ...next(group), memberCount, apply: { ...group.apply, status: 'pending', attempts: 0 } };
}

async function rawItem(key: { pk: string; sk: string }) {
  const { doc, table } = testDb();
  const { Item } = await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return Item;
}

/** n users of a new connection, and a group whose only member is the first of them. */
async function groupWithFirstOf(n: number) {
  const conn = uniqueConnectionId();
  const s = store();
  const people = await users(s, conn, n);
  const group = aGroup(conn);
  await s.createGroup(group, [asMember(group.id)(people[0]!)]);
  return { conn, s, people, group, v1: { ...group, memberCount: 1 } };
}

describe('member-only changes (updateGroupMembers) and their one read (readGroupChange)', () => {
  it('reads the group, the users in the order asked and which are members in one call', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const people = await users(s, conn, 3);
    const group = aGroup(conn);
    await s.createGroup(group, [asMember(group.id)(people[1]!)]);

    const counting = countingDb(testDb());
    const read = await store(counting.db).readGroupChange(conn, group.id, [
      people[2]!.id,
      'a1b2c3d4-0000-4000-8000-000000000000',
      people[1]!.id,
      people[0]!.id,
    ]);
    expect(counting.stats.byCommand).toEqual({ BatchGetCommand: 1 });
    expect(read.group).toEqual({ ...group, memberCount: 1 });
    expect(read.users.map((u) => u.id)).toEqual([people[2]!.id, people[1]!.id, people[0]!.id]);
    expect(read.members).toEqual(new Set([people[1]!.id]));

    const gone = await s.readGroupChange(conn, 'b1b2c3d4-0000-4000-8000-000000000000', [people[0]!.id]);
    expect(gone.group).toBeUndefined();
    expect(gone.members).toEqual(new Set());
  });

  it('commits two member changes read at the same version side by side, losing neither', async () => {
    const { conn, s, people, group, v1 } = await groupWithFirstOf(3);

    const counting = countingDb(testDb());
    // Both were computed from v1; with a version condition the second would conflict and retry.
    await Promise.all([
      store(counting.db).updateGroupMembers(v1, membersMoved(v1, 2), {
        add: [asMember(group.id)(people[1]!)],
        remove: [],
      }),
      store(counting.db).updateGroupMembers(v1, membersMoved(v1, 1), { add: [], remove: [people[0]!.id] }),
    ]);
    expect(counting.stats.byCommand).toEqual({ TransactWriteCommand: 2 });

    const stored = await s.getGroup(conn, group.id);
    expect(stored?.meta.version).toBe(3);
    expect(stored?.memberCount).toBe(1);
    expect(stored?.apply).toEqual({ status: 'pending', attempts: 0 });
    expect(stored?.displayName).toBe(group.displayName);
    expect(await allMembers(s, conn, group.id)).toEqual([people[1]!.id]);
    expect(await itemsIn([keys.groupsOfUser(conn, people[0]!.id)])).toEqual([]);
    expect(await itemsIn([keys.groupsOfUser(conn, people[1]!.id)])).toHaveLength(1);
    expect(await rawItem(keys.pending(conn, 'Group', group.id))).toMatchObject({
      kind: 'Group',
      id: group.id,
    });
  });

  it('refuses an add whose premise moved (already a member, deactivated user) and writes nothing', async () => {
    const { conn, s, people, group, v1 } = await groupWithFirstOf(2);
    const inactive = next(people[1]!, { active: false });
    await s.replaceUser(people[1]!, inactive, { dropMemberships: true });
    const before = await rawGroup(conn, group.id);
    const revisions = await Promise.all(people.map((p) => rawItem(keys.user(conn, p.id))));

    // people[0] is a member already (another PATCH added it after this one read).
    await expect(
      s.updateGroupMembers(v1, membersMoved(v1, 2), { add: [asMember(group.id)(people[0]!)], remove: [] }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    // people[1] was deactivated after this PATCH read it.
    await expect(
      s.updateGroupMembers(v1, membersMoved(v1, 2), { add: [asMember(group.id)(people[1]!)], remove: [] }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    // A removal of someone who is no member (another PATCH removed them first).
    await expect(
      s.updateGroupMembers(v1, membersMoved(v1, 0), { add: [], remove: [people[1]!.id] }),
    ).rejects.toBeInstanceOf(VersionConflictError);

    expect(await rawGroup(conn, group.id)).toEqual(before);
    expect(await allMembers(s, conn, group.id)).toEqual([people[0]!.id]);
    expect(await itemsIn([keys.groupsOfUser(conn, people[1]!.id)])).toEqual([]);
    expect(await Promise.all(people.map((p) => rawItem(keys.user(conn, p.id))))).toEqual(revisions);
  });

  it('refuses a group that is gone or in the middle of a multi-transaction change', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const [a] = await users(s, conn, 1);
    const deleted = aGroup(conn);
    await s.createGroup(deleted, []);
    await s.deleteGroup(deleted);
    await expect(
      s.updateGroupMembers(deleted, membersMoved(deleted, 1), {
        add: [asMember(deleted.id)(a!)],
        remove: [],
      }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect(await itemsIn([keys.membersPartition(conn, deleted.id), keys.groupsOfUser(conn, a!.id)])).toEqual(
      [],
    );

    const busy = aGroup(conn);
    await s.createGroup(busy, []);
    const { doc, table } = testDb();
    const marked = { ...(await rawGroup(conn, busy.id)), changeToken: 'in-progress' };
    await doc.send(new PutCommand({ TableName: table, Item: marked }));
    await expect(
      s.updateGroupMembers(busy, membersMoved(busy, 1), { add: [asMember(busy.id)(a!)], remove: [] }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect(await rawGroup(conn, busy.id)).toEqual(marked);
    expect(await itemsIn([keys.membersPartition(conn, busy.id)])).toEqual([]);
  });

  it('refuses to change attributes, which need the version condition', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const group = aGroup(conn);
    await s.createGroup(group, []);
    const renamed = { ...membersMoved(group, 0), displayName: 'Renamed' };
    await expect(s.updateGroupMembers(group, renamed, { add: [], remove: [] })).rejects.toThrow(
      /members only/,
    );
    expect((await s.getGroup(conn, group.id))?.meta.version).toBe(1);
  });

  it('takes a delta larger than one transaction through the version-conditioned chunked change', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const people = await users(s, conn, 40);
    const group = aGroup(conn);
    await s.createGroup(group, []);
    const adds = people.map(asMember(group.id));

    // 40 adds are 120 items: past one transaction, so the stale read is refused as a version conflict.
    const stale = { ...group, meta: { ...group.meta, version: 0 } };
    await expect(
      s.updateGroupMembers(stale, membersMoved(stale, 40), { add: adds, remove: [] }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect(await allMembers(s, conn, group.id)).toEqual([]);

    const counting = countingDb(testDb());
    await store(counting.db).updateGroupMembers(group, membersMoved(group, 40), { add: adds, remove: [] });
    expect(counting.stats.byCommand.TransactWriteCommand).toBeGreaterThan(1);
    expect((await s.getGroup(conn, group.id))?.memberCount).toBe(40);
    expect(await allMembers(s, conn, group.id)).toEqual(people.map((p) => p.id).sort());
  });
});
