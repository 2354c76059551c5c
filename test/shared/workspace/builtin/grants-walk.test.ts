/**
 * readGrants over per-group partitions: the walk through the groups, its page token, and what it
 * guarantees when groups are created or deleted between two pages.
 */
import { describe, expect, it } from 'vitest';
import { countingDb } from '../../../../shared/store/counting-db';
import { BuiltinWorkspace } from '../../../../shared/workspace/builtin/builtin-workspace';
import { createBuiltinWorkspace } from '../../../../shared/workspace/builtin/create-builtin-workspace';
import { readGrantsPage } from '../../../../shared/workspace/builtin/grants-walk';
import { encodePageToken } from '../../../../shared/workspace/builtin/page-token';
import { keys } from '../../../../shared/workspace/builtin/keys';
import type { Grant } from '../../../../shared/workspace/entitlement';
import type { Page } from '../../../../shared/workspace/page';
import { readAll } from '../../../../shared/workspace/port';
import { WorkspaceRejectedError } from '../../../../shared/workspace/workspace-error';
import { grantItems, groupItems, memberId, putItems } from '../../../support/builtin-seed';
import { itemsIn, testDb, uniqueConnectionId } from '../../../support/db';

const label = (grant: Grant) => `${grant.groupId}/${grant.memberId}`;

/** A workspace whose groups `g-01`…`g-<n>` hold `sizes[i]` members each, seeded in the new layout. */
async function seeded(sizes: number[]): Promise<{ workspaceId: string; expected: string[] }> {
  const db = testDb();
  const workspaceId = uniqueConnectionId('w');
  await createBuiltinWorkspace(db, workspaceId);
  const items: Record<string, unknown>[] = [];
  const expected: string[] = [];
  sizes.forEach((size, g) => {
    const groupId = `g-${String(g + 1).padStart(2, '0')}`;
    items.push(...groupItems(workspaceId, groupId));
    for (let m = 0; m < size; m++) {
      items.push(...grantItems(workspaceId, groupId, memberId(m)));
      expected.push(`${groupId}/${memberId(m)}`);
    }
  });
  await putItems(db, items);
  return { workspaceId, expected };
}

/** Every page of a walk with a small page limit. */
async function walk(workspaceId: string, limit: number): Promise<Page<Grant>[]> {
  const pages: Page<Grant>[] = [];
  let next: string | undefined;
  do {
    const page = await readGrantsPage(testDb(), workspaceId, 2, next, limit);
    pages.push(page);
    next = page.next;
    expect(pages.length).toBeLessThan(200);
  } while (next !== undefined);
  return pages;
}

describe('readGrants: the walk through the groups', () => {
  it('keeps each group’s grants in its own partition, and reads a group’s members from it alone', async () => {
    const db = testDb();
    const workspace = await createBuiltinWorkspace(db, uniqueConnectionId('w'));
    const ops = await workspace.createGroup('Ops');
    const dev = await workspace.createGroup('Dev');
    const ada = (await workspace.provisionMember({ email: 'ada@example.com', name: 'Ada', admin: false }))
      .memberId;
    const bob = (await workspace.provisionMember({ email: 'bob@example.com', name: 'Bob', admin: false }))
      .memberId;
    await workspace.grantMembers(ops.groupId, [ada, bob]);
    await workspace.grant(dev.groupId, bob);

    const opsItems = await itemsIn([keys.grantsPk(workspace.workspaceId, ops.groupId)]);
    expect(opsItems.map((item) => item.sk).sort()).toEqual([ada, bob].sort());
    expect(opsItems.every((item) => item.groupId === ops.groupId)).toBe(true);
    expect(await itemsIn([keys.legacyGrantsPk(workspace.workspaceId)])).toEqual([]);

    const counting = countingDb(db);
    const bound = new BuiltinWorkspace(counting.db, workspace.workspaceId);
    expect((await bound.readGroupMembers(dev.groupId)).items).toEqual([bob]);
    // A migrated workspace reads one partition: one Query (its layout is known from its creation).
    expect(counting.stats.byCommand).toEqual({ QueryCommand: 1 });
    expect((await readAll((page) => workspace.readGrants(page))).map(label).sort()).toEqual(
      [`${dev.groupId}/${bob}`, `${ops.groupId}/${ada}`, `${ops.groupId}/${bob}`].sort(),
    );
  });

  it('pages through many groups in small pages: every grant exactly once, in order, each page full but the last', async () => {
    const sizes = [3, 0, 12, 1, 7, 0, 0, 5, 9, 2, 14, 1, 1, 1, 6, 0, 4, 8, 3, 10];
    const { workspaceId, expected } = await seeded(sizes);
    const pages = await walk(workspaceId, 7);
    const labels = pages.flatMap((page) => page.items.map(label));
    expect(labels).toEqual([...expected].sort());
    expect(new Set(labels).size).toBe(expected.length);
    for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(7);
    expect(pages.at(-1)?.items.length).toBeLessThanOrEqual(7);
  });

  it('resumes exactly where a token says, however often it is read', async () => {
    const { workspaceId } = await seeded([4, 4, 4]);
    const first = await readGrantsPage(testDb(), workspaceId, 2, undefined, 6);
    expect(first.items.map((grant) => grant.groupId)).toEqual([
      'g-01',
      'g-01',
      'g-01',
      'g-01',
      'g-02',
      'g-02',
    ]);
    const again = await readGrantsPage(testDb(), workspaceId, 2, first.next, 6);
    const twice = await readGrantsPage(testDb(), workspaceId, 2, first.next, 6);
    expect(twice).toEqual(again);
    expect(again.items.map(label)).toEqual([
      `g-02/${memberId(2)}`,
      `g-02/${memberId(3)}`,
      `g-03/${memberId(0)}`,
      `g-03/${memberId(1)}`,
      `g-03/${memberId(2)}`,
      `g-03/${memberId(3)}`,
    ]);
    // The last Query stopped at its Limit, so the walk asks once more and finds the end.
    expect(await readGrantsPage(testDb(), workspaceId, 2, again.next, 6)).toEqual({ items: [] });
  });

  it('reads each of 200 one-member groups with one Query, 8 groups at a time, in one page', async () => {
    const { workspaceId, expected } = await seeded(Array.from({ length: 200 }, () => 1));
    const counting = countingDb(testDb());
    const pages: Page<Grant>[] = [];
    await readAll(async (page) => {
      const out = await readGrantsPage(counting.db, workspaceId, 2, page, 5000);
      pages.push(out);
      return out;
    });
    expect(pages).toHaveLength(1);
    expect(pages[0]?.items.map(label)).toEqual([...expected].sort());
    // The group listing, then one Query per group.
    expect(counting.stats.byCommand).toEqual({ QueryCommand: 201 });
  });

  it('a group deleted between pages is read no further, one created ahead is read, one behind is not', async () => {
    const db = testDb();
    const { workspaceId } = await seeded([5, 5, 5, 5]);
    const workspace = new BuiltinWorkspace(db, workspaceId);
    const first = await readGrantsPage(db, workspaceId, 2, undefined, 7);
    expect(first.items.map(label).at(-1)).toBe(`g-02/${memberId(1)}`);

    // The group the walk is in and the next one go; one group appears behind the walk, one ahead.
    await workspace.deleteGroup('g-02');
    await workspace.deleteGroup('g-03');
    await putItems(db, [
      ...groupItems(workspaceId, 'g-00'),
      ...grantItems(workspaceId, 'g-00', memberId(0)),
      ...groupItems(workspaceId, 'g-09'),
      ...grantItems(workspaceId, 'g-09', memberId(0)),
    ]);

    const rest: Grant[] = [];
    let next = first.next;
    while (next !== undefined) {
      const page = await readGrantsPage(db, workspaceId, 2, next, 7);
      rest.push(...page.items);
      next = page.next;
    }
    expect(rest.map(label)).toEqual([
      ...[0, 1, 2, 3, 4].map((m) => `g-04/${memberId(m)}`),
      `g-09/${memberId(0)}`,
    ]);
    expect(await itemsIn([keys.grantsPk(workspaceId, 'g-02'), keys.grantsPk(workspaceId, 'g-03')])).toEqual(
      [],
    );
  });

  it('walks a workspace without groups in one empty page', async () => {
    const workspace = await createBuiltinWorkspace(testDb(), uniqueConnectionId('w'));
    expect(await workspace.readGrants()).toEqual({ items: [] });
  });

  it('refuses a tampered or foreign page token with 400 invalid_page', async () => {
    const { workspaceId } = await seeded([2]);
    const workspace = new BuiltinWorkspace(testDb(), workspaceId);
    const token = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const tampered = [
      'not a token!',
      token([1, 2]),
      token({ g: 5 }),
      token({ g: '' }),
      token({ g: 'g-01', m: 7 }),
      token({ g: 'g-01', d: true }),
      token({ g: 'g-01', extra: 1 }),
      // A token of the old layout (a LastEvaluatedKey) names a partition: no longer accepted.
      encodePageToken({ pk: `W#${workspaceId}#grants`, sk: 'g-01#m-000' }) ?? '',
    ];
    for (const page of tampered) {
      const error = await workspace.readGrants(page).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, page).toBeInstanceOf(WorkspaceRejectedError);
      expect(error).toMatchObject({ status: 400, code: 'invalid_page' });
    }
    for (const page of [token({ g: 'g-01' }), token({ m: '' }), 'x']) {
      await expect(workspace.readGroupMembers('g-01', page)).rejects.toMatchObject({
        status: 400,
        code: 'invalid_page',
      });
    }
  });
});
