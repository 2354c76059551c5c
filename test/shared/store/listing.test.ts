import { describe, expect, it } from 'vitest';
import { batchGet } from '../../../shared/store/batch';
import { counterKeys } from '../../../shared/store/counters';
import { countingDb } from '../../../shared/store/counting-db';
import { DynamoLinkStore } from '../../../shared/store/dynamo-link-store';
import { testDb, uniqueConnectionId } from '../../support/db';
import { aGroup, aUser } from './records';

describe('DynamoLinkStore listing', () => {
  it('pages users 1..N in creation order, stable while users are created, totals from counters', async () => {
    const conn = uniqueConnectionId();
    const s = new DynamoLinkStore(testDb());
    const created = Array.from({ length: 23 }, () => aUser(conn));
    for (const u of created) await s.createUser(u);

    const seen: string[] = [];
    const late: ReturnType<typeof aUser>[] = [];
    for (let start = 1; start <= 23; start += 5) {
      const page = await s.listUsers(conn, start, 5);
      expect(page.totalResults).toBe(23 + (start > 1 ? 1 : 0));
      seen.push(...page.items.map((u) => u.id));
      // A user created mid-walk sorts after everything already listed.
      if (start === 1) {
        late.push(aUser(conn));
        await s.createUser(late[0]!);
      }
    }
    expect(seen).toEqual([...created, ...late].map((u) => u.id));
    expect((await s.listUsers(conn, 30, 5)).items).toEqual([]);
    expect((await s.listUsers(conn, 1, 0)).totalResults).toBe(24);
  });

  it('reads only about count items for page 3 after pages 1 and 2', async () => {
    const conn = uniqueConnectionId();
    const base = new DynamoLinkStore(testDb());
    for (let i = 0; i < 60; i++) await base.createUser(aUser(conn));

    const counting = countingDb(testDb());
    const s = new DynamoLinkStore(counting.db);
    await s.listUsers(conn, 1, 10);
    await s.listUsers(conn, 11, 10);
    counting.reset();
    const page3 = await s.listUsers(conn, 21, 10);
    expect(page3.items).toHaveLength(10);
    // Each create bumps one of 10 counter shards at random, so 60 creates can leave one unwritten
    // (about 2% of runs): count the shards that exist rather than assume all 10 do.
    const shards = (await batchGet(testDb(), counterKeys(conn, 'User'))).length;
    expect(shards).toBeGreaterThan(0);
    // The counter shards + 1 remembered end + the 10 items of the page.
    expect(counting.stats.itemsRead).toBe(shards + 11);
    expect(counting.stats.calls).toBe(4);

    // An unseen startIndex skips with a COUNT query, then remembers the position.
    counting.reset();
    const jumped = await s.listUsers(conn, 41, 10);
    expect(jumped.items.map((u) => u.id)).toEqual(
      (await base.listUsers(conn, 41, 10)).items.map((u) => u.id),
    );
    const skipCost = counting.stats.itemsRead;
    counting.reset();
    await s.listUsers(conn, 41, 10);
    expect(counting.stats.itemsRead).toBeLessThan(skipCost);
    expect(counting.stats.itemsRead).toBe(shards + 11);
  });

  it('lists groups of one connection only, with their count', async () => {
    const conn = uniqueConnectionId();
    const s = new DynamoLinkStore(testDb());
    const groups = [aGroup(conn), aGroup(conn), aGroup(conn)];
    for (const g of groups) await s.createGroup(g, []);
    await s.createGroup(aGroup(uniqueConnectionId()), []);
    const page = await s.listGroups(conn, 2, 10);
    expect(page.totalResults).toBe(3);
    expect(page.items.map((g) => g.id)).toEqual(groups.slice(1).map((g) => g.id));
  });
});
