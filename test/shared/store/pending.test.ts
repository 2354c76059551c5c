import { describe, expect, it } from 'vitest';
import { DynamoLinkStore } from '../../../shared/store/dynamo-link-store';
import { keys } from '../../../shared/store/keys';
import type { GroupRecord } from '../../../shared/store/record';
import type { PendingRef } from '../../../shared/store/link-store';
import { itemsIn, testDb, uniqueConnectionId } from '../../support/db';
import { aGroup, aUser, next } from './records';

const pending = { status: 'pending', attempts: 0 } as const;

/** The markers' resources; each marker also says since when it waits and when it may be retried. */
function refs(items: readonly PendingRef[]): { kind: string; id: string }[] {
  for (const item of items) {
    expect(Date.parse(item.since ?? '')).not.toBeNaN();
    expect(Date.parse(item.retryAt ?? '')).toBeGreaterThanOrEqual(Date.parse(item.since ?? ''));
  }
  return items.map(({ kind, id }) => ({ kind, id }));
}

describe('DynamoLinkStore apply state', () => {
  it('lists pending users before groups and forgets them once applied, without moving the version', async () => {
    const conn = uniqueConnectionId();
    const s = new DynamoLinkStore(testDb());
    const user = aUser(conn, { apply: pending });
    const group = aGroup(conn, { apply: pending });
    await s.createUser(user);
    await s.createGroup(group, []);
    await s.createUser(aUser(conn));

    const first = await s.listPending(conn, { limit: 1 });
    expect(refs(first.items)).toEqual([{ kind: 'User', id: user.id }]);
    const rest = await s.listPending(conn, { limit: 1, cursor: first.cursor! });
    expect(refs(rest.items)).toEqual([{ kind: 'Group', id: group.id }]);

    const applied = { status: 'applied', attempts: 0, appliedVersion: 1, workspaceId: 'm-1' } as const;
    expect(await s.setApplyState(conn, 'User', user.id, 1, applied)).toBe(true);
    expect(refs((await s.listPending(conn)).items)).toEqual([{ kind: 'Group', id: group.id }]);
    const stored = await s.getUser(conn, user.id);
    expect(stored?.apply).toEqual(applied);
    expect(stored?.meta).toEqual(user.meta);

    // A stale version is refused and changes nothing.
    expect(await s.setApplyState(conn, 'Group', group.id, 7, applied)).toBe(false);
    expect((await s.listPending(conn)).items).toHaveLength(1);

    // A failure keeps the resource pending; a later write keeps its one marker rather than adding one.
    expect(
      await s.setApplyState(conn, 'Group', group.id, 1, { status: 'failed', attempts: 1, lastError: 'down' }),
    ).toBe(true);
    const failed: GroupRecord = { ...group, apply: { status: 'failed', attempts: 1 } };
    const v2 = next(failed, { apply: pending });
    await s.updateGroup(group, v2, { add: [], remove: [] });
    expect(await itemsIn([keys.pendingPartition(conn)])).toHaveLength(1);
    expect(refs((await s.listPending(conn)).items)).toEqual([{ kind: 'Group', id: group.id }]);
  });

  it('puts a marker when a replace leaves an applied user pending', async () => {
    const conn = uniqueConnectionId();
    const s = new DynamoLinkStore(testDb());
    const user = aUser(conn);
    await s.createUser(user);
    expect((await s.listPending(conn)).items).toEqual([]);
    await s.replaceUser(user, next(user, { apply: pending }));
    expect(refs((await s.listPending(conn)).items)).toEqual([{ kind: 'User', id: user.id }]);
  });
});

describe('pending markers and deactivation', () => {
  it('leaves no stale marker when a deactivation removes the user from a pending group', async () => {
    const conn = uniqueConnectionId();
    const s = new DynamoLinkStore(testDb());
    const user = aUser(conn);
    await s.createUser(user);
    const group = aGroup(conn, { apply: pending });
    await s.createGroup(group, [{ groupId: group.id, userId: user.id }]);

    const member = (await s.getUser(conn, user.id))!;
    await s.replaceUser(member, next(member, { active: false }), { dropMemberships: true });
    const stored = await s.getGroup(conn, group.id);
    expect(stored?.meta.version).toBe(group.meta.version + 1);

    expect(
      await s.setApplyState(conn, 'Group', group.id, stored!.meta.version, {
        status: 'applied',
        attempts: 0,
      }),
    ).toBe(true);
    expect(await itemsIn([keys.pendingPartition(conn)])).toEqual([]);
  });
});
