/**
 * A workspace whose grants are in the old workspace-wide partition (layout 1): what reads and
 * removals do before and during its migration, and the migration itself (idempotent, resumable
 * after a fault, never bringing a revoked grant back). Every test reads the table to prove what is
 * and is not there.
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../../shared/store/client';
import { countingDb } from '../../../../shared/store/counting-db';
import { BuiltinWorkspace } from '../../../../shared/workspace/builtin/builtin-workspace';
import { createBuiltinWorkspace } from '../../../../shared/workspace/builtin/create-builtin-workspace';
import { encodeGrantsCursor } from '../../../../shared/workspace/builtin/grants-cursor';
import { readGrantsLayout } from '../../../../shared/workspace/builtin/grants-layout';
import { migrateGrants } from '../../../../shared/workspace/builtin/grants-migration';
import { readGrantsPage } from '../../../../shared/workspace/builtin/grants-walk';
import { keys } from '../../../../shared/workspace/builtin/keys';
import type { Grant } from '../../../../shared/workspace/entitlement';
import { readAll } from '../../../../shared/workspace/port';
import {
  grantItems,
  groupItems,
  legacyGrantItems,
  legacyWorkspace,
  memberId,
  putItems,
} from '../../../support/builtin-seed';
import { itemsIn, testDb, uniqueConnectionId } from '../../../support/db';

const label = (grant: Grant) => `${grant.groupId}/${grant.memberId}`;

/** Groups `g-1`…`g-<n>` with `perGroup` members each, every grant in the old partition. */
async function oldWorkspace(
  groups: number,
  perGroup: number,
): Promise<{ workspace: BuiltinWorkspace; workspaceId: string; groupIds: string[]; expected: string[] }> {
  const db = testDb();
  const workspaceId = uniqueConnectionId('w');
  const workspace = await legacyWorkspace(db, workspaceId);
  const groupIds = Array.from({ length: groups }, (_, g) => `g-${g + 1}`);
  const items: Record<string, unknown>[] = [];
  const expected: string[] = [];
  for (const groupId of groupIds) {
    items.push(...groupItems(workspaceId, groupId));
    for (let m = 0; m < perGroup; m++) {
      items.push(...legacyGrantItems(workspaceId, groupId, memberId(m)));
      expected.push(`${groupId}/${memberId(m)}`);
    }
  }
  await putItems(db, items);
  return { workspace, workspaceId, groupIds, expected: expected.sort() };
}

/** Where each grant is stored: `old`, `new`, or `both`. */
async function stored(workspaceId: string, groupIds: string[]): Promise<Map<string, string>> {
  const where = new Map<string, string>();
  for (const item of await itemsIn([keys.legacyGrantsPk(workspaceId)]))
    where.set(`${String(item.groupId)}/${String(item.memberId)}`, 'old');
  for (const item of await itemsIn(groupIds.map((g) => keys.grantsPk(workspaceId, g)))) {
    const grant = `${String(item.groupId)}/${String(item.memberId)}`;
    expect(item.sk).toBe(item.memberId);
    where.set(grant, where.has(grant) ? 'both' : 'new');
  }
  return where;
}

async function metaLayout(workspaceId: string): Promise<unknown> {
  const db = testDb();
  const out = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: keys.meta(workspaceId), ConsistentRead: true }),
  );
  return out.Item?.grantsLayout;
}

/** A Db whose `n`th transaction (from 1) fails, as a lost connection would. */
function failingAt(db: Db, n: number): Db {
  let transactions = 0;
  return {
    table: db.table,
    doc: {
      send: (command: unknown) => {
        if (command instanceof TransactWriteCommand && ++transactions === n)
          return Promise.reject(new Error('injected fault'));
        return db.doc.send(command as Parameters<typeof db.doc.send>[0]);
      },
    } as unknown as Db['doc'],
  };
}

describe('grants in the old layout, and their migration', () => {
  it('a new workspace starts migrated: grants and revokes never write the old partition', async () => {
    const counting = countingDb(testDb());
    const workspace = await createBuiltinWorkspace(counting.db, uniqueConnectionId('w'));
    expect(await metaLayout(workspace.workspaceId)).toBe(2);
    const group = await workspace.createGroup('Ops');
    const ada = (await workspace.provisionMember({ email: 'ada@example.com', name: 'Ada', admin: false }))
      .memberId;
    await workspace.grant(group.groupId, ada);
    counting.reset();
    await workspace.revoke(group.groupId, ada);
    // The group's check, the grant and its reverse item: no old-layout key, no layout read.
    expect(counting.stats).toMatchObject({ byCommand: { TransactWriteCommand: 1 }, itemsWritten: 3 });
    expect(await migrateGrants(counting.db, workspace.workspaceId)).toEqual({
      moved: 0,
      gone: 0,
      unreadable: 0,
      complete: true,
    });
  });

  it('before the migration, reads merge both layouts and list a grant held in both once', async () => {
    const db = testDb();
    const { workspace, workspaceId, expected } = await oldWorkspace(2, 3);
    expect(await readGrantsLayout(db, workspaceId)).toBe(1);
    // Granted again after the upgrade: the new key beside the old one; and one new grant.
    await putItems(db, [
      ...grantItems(workspaceId, 'g-1', memberId(1)),
      ...grantItems(workspaceId, 'g-2', memberId(7)),
    ]);
    const all = [...expected, `g-2/${memberId(7)}`].sort();
    expect((await readAll((page) => workspace.readGrants(page))).map(label)).toEqual(all);
    expect(await readAll((page) => workspace.readGroupMembers('g-1', page))).toEqual([0, 1, 2].map(memberId));
    expect(await readAll((page) => workspace.readGroupMembers('g-2', page))).toEqual(
      [0, 1, 2, 7].map(memberId),
    );
  });

  it('a read paged across a migration in progress returns every grant exactly once', async () => {
    const db = testDb();
    const { workspaceId, groupIds, expected } = await oldWorkspace(3, 150);
    const seen: string[] = [];
    let next: string | undefined;
    let steps = 0;
    do {
      // Layout 1 throughout: the reader read it before the migration ended.
      const page = await readGrantsPage(db, workspaceId, 1, next, 40);
      seen.push(...page.items.map(label));
      next = page.next;
      // Between two pages, the migration moves one page of 200 old items (it stops at its deadline).
      if (steps++ % 2 === 0) {
        let clock = 0;
        await migrateGrants(db, workspaceId, { deadline: 1, now: () => clock++ });
      }
    } while (next !== undefined);
    expect(seen).toEqual(expected);
    expect(await metaLayout(workspaceId)).toBe(2);
    expect([...(await stored(workspaceId, groupIds)).values()].every((where) => where === 'new')).toBe(true);
  });

  it('a slice that races a move still finds every grant: it reads the old partition before the new', async () => {
    const db = testDb();
    const { workspaceId, expected } = await oldWorkspace(1, 30);
    // The whole migration runs right after the slice's first Query: had it read the group's new
    // partition first, it would find none there and none left in the old one.
    let moved = false;
    const movingFirst: Db = {
      table: db.table,
      doc: {
        send: async (command: unknown) => {
          const out = await db.doc.send(command as Parameters<typeof db.doc.send>[0]);
          if (command instanceof QueryCommand && !moved) {
            moved = true;
            await migrateGrants(db, workspaceId);
          }
          return out;
        },
      } as unknown as Db['doc'],
    };
    const reader = new BuiltinWorkspace(movingFirst, workspaceId);
    // Read as layout 1 (as a reader that looked before the migration ended), from the old partition.
    const page = await readGrantsPage(movingFirst, workspaceId, 1, encodeGrantsCursor({ group: 'g-1' }), 100);
    expect(moved).toBe(true);
    expect(page.items.map(label)).toEqual(expected);
    expect(await readAll((next) => reader.readGroupMembers('g-1', next))).toHaveLength(30);
  });

  it('removals while half-migrated delete both keys, and the migration brings none back', async () => {
    const db = testDb();
    const { workspace, workspaceId, groupIds } = await oldWorkspace(4, 120);
    // Real members for the removals that need one: m-000 is deactivated, m-001 revoked from g-1.
    const member = async (n: number) => {
      const id = (
        await workspace.insertMember(
          { email: `${memberId(n)}@example.com`, name: memberId(n), admin: false },
          false,
        )
      ).memberId;
      await putItems(db, [
        ...legacyGrantItems(workspaceId, 'g-1', id),
        ...legacyGrantItems(workspaceId, 'g-3', id),
      ]);
      return id;
    };
    const leaving = await member(0);
    const revoked = await member(1);
    // Half-way: the first 200 old items (g-1's, some of g-2's) are moved, the rest are not.
    let clock = 0;
    expect(await migrateGrants(db, workspaceId, { deadline: 1, now: () => clock++ })).toMatchObject({
      moved: 200,
      complete: false,
    });
    const half = await stored(workspaceId, groupIds);
    expect(half.get(`g-1/${leaving}`)).toBe('new');
    expect(half.get(`g-3/${leaving}`)).toBe('old');

    await workspace.deactivateMember(leaving);
    await workspace.revoke('g-1', revoked);
    await workspace.revoke('g-3', revoked);
    await workspace.deleteGroup('g-2');
    expect(await readAll((page) => workspace.readGroupMembers('g-2', page))).toEqual([]);

    expect(await migrateGrants(db, workspaceId)).toMatchObject({ complete: true });
    const after = await stored(workspaceId, groupIds);
    for (const gone of [`g-1/${leaving}`, `g-3/${leaving}`, `g-1/${revoked}`, `g-3/${revoked}`])
      expect(after.has(gone), gone).toBe(false);
    expect([...after.keys()].some((grant) => grant.startsWith('g-2/'))).toBe(false);
    expect(after.size).toBe(3 * 120);
    expect([...after.values()].every((where) => where === 'new')).toBe(true);
    expect(await itemsIn([keys.memberGrantsPk(workspaceId, leaving)])).toEqual([]);
    const reads = await readAll((page) => workspace.readGrants(page));
    expect(reads).toHaveLength(3 * 120);
    expect(reads.some((grant) => grant.memberId === leaving || grant.memberId === revoked)).toBe(false);
  });

  it('resumes after a fault mid-way, loses nothing, and is idempotent', async () => {
    const db = testDb();
    const { workspace, workspaceId, groupIds, expected } = await oldWorkspace(5, 100);
    // The 7th transaction fails: the first page's 4 went through, and 3 of the second page's.
    await expect(migrateGrants(failingAt(db, 7), workspaceId)).rejects.toThrow('injected fault');
    const half = await stored(workspaceId, groupIds);
    expect([...half.keys()].sort()).toEqual(expected);
    expect([...half.values()].includes('both')).toBe(false);
    const moved = [...half.values()].filter((where) => where === 'new').length;
    expect(moved).toBe(350);
    expect(await metaLayout(workspaceId)).toBeUndefined();
    expect((await readAll((page) => workspace.readGrants(page))).map(label)).toEqual(expected);

    expect(await migrateGrants(db, workspaceId)).toEqual({
      moved: 500 - moved,
      gone: 0,
      unreadable: 0,
      complete: true,
    });
    expect(await migrateGrants(db, workspaceId)).toEqual({
      moved: 0,
      gone: 0,
      unreadable: 0,
      complete: true,
    });
    const done = await stored(workspaceId, groupIds);
    expect([...done.keys()].sort()).toEqual(expected);
    expect([...done.values()].every((where) => where === 'new')).toBe(true);
    expect(await itemsIn([keys.legacyGrantsPk(workspaceId)])).toEqual([]);
    expect(await metaLayout(workspaceId)).toBe(2);
    // The reverse items were never touched.
    expect(await itemsIn([keys.memberGrantsPk(workspaceId, memberId(42))])).toHaveLength(5);
    expect((await readAll((page) => workspace.readGrants(page))).map(label)).toEqual(expected);
  });

  it('a grant revoked while its chunk is being moved stays revoked; the rest of the chunk moves', async () => {
    const db = testDb();
    const { workspace, workspaceId, groupIds } = await oldWorkspace(1, 10);
    let revoked = false;
    const revokingFirst: Db = {
      table: db.table,
      doc: {
        send: async (command: unknown) => {
          if (command instanceof TransactWriteCommand && !revoked) {
            revoked = true;
            await workspace.revoke('g-1', memberId(4));
          }
          return db.doc.send(command as Parameters<typeof db.doc.send>[0]);
        },
      } as unknown as Db['doc'],
    };
    expect(await migrateGrants(revokingFirst, workspaceId)).toEqual({
      moved: 9,
      gone: 1,
      unreadable: 0,
      complete: true,
    });
    const where = await stored(workspaceId, groupIds);
    expect(where.has(`g-1/${memberId(4)}`)).toBe(false);
    expect(where.size).toBe(9);
    expect(await readAll((page) => workspace.readGroupMembers('g-1', page))).not.toContain(memberId(4));
  });

  it('refuses to mark a workspace that does not exist', async () => {
    await expect(migrateGrants(testDb(), uniqueConnectionId('w'))).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
  });
});
