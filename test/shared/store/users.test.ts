import { describe, expect, it } from 'vitest';
import { DynamoLinkStore } from '../../../shared/store/dynamo-link-store';
import { keys } from '../../../shared/store/keys';
import { VersionConflictError } from '../../../shared/store/link-store';
import { counterKeys } from '../../../shared/store/counters';
import { ScimError } from '../../../shared/scim/error';
import { itemsIn, testDb, uniqueConnectionId } from '../../support/db';
import { aUser, next } from './records';

const store = () => new DynamoLinkStore(testDb());

/** Every partition a user can have items in (its own, guards, emails, counters, pending). */
function userPartitions(
  conn: string,
  values: { id: string; userNames: string[]; externalIds: string[]; emails: string[] },
) {
  return [
    keys.user(conn, values.id).pk,
    ...values.userNames.map((v) => keys.guard(conn, 'userName', v.toLowerCase()).pk),
    ...values.externalIds.map((v) => keys.guard(conn, 'userExternalId', v).pk),
    ...values.emails.map((e) => keys.emailPartition(conn, e)),
    keys.pendingPartition(conn),
    keys.groupsOfUser(conn, values.id),
  ];
}

describe('DynamoLinkStore users', () => {
  it('creates a user and finds it by id, userName in any case, externalId and email', async () => {
    const conn = uniqueConnectionId();
    const user = aUser(conn, {
      userName: 'Ada@Example.com',
      externalId: 'ext-1',
      emails: ['ada@example.com', 'a@x.io'],
    });
    const s = store();
    await s.createUser(user);

    expect(await s.getUser(conn, user.id)).toEqual(user);
    expect((await s.findUserByUserName(conn, 'ADA@example.COM'))?.id).toBe(user.id);
    expect((await s.findUserByExternalId(conn, 'ext-1'))?.id).toBe(user.id);
    expect(await s.findUserByExternalId(conn, 'EXT-1')).toBeUndefined();
    expect((await s.findUsersByEmail(conn, 'A@X.io')).map((u) => u.id)).toEqual([user.id]);
    expect(await s.countUsers(conn)).toBe(1);
    expect(await s.getUser(uniqueConnectionId(), user.id)).toBeUndefined();
  });

  it('refuses a userName differing only in case with a 409 and writes nothing', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    await s.createUser(aUser(conn, { userName: 'bob@example.com' }));
    const dup = aUser(conn, {
      userName: 'BOB@example.com',
      externalId: 'ext-dup',
      emails: ['dup@example.com'],
    });

    const error = await s.createUser(dup).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(409);
    expect((error as ScimError).scimType).toBe('uniqueness');
    expect((error as ScimError).detail).toContain('userName');

    const written = await itemsIn([
      keys.user(conn, dup.id).pk,
      keys.guard(conn, 'userExternalId', 'ext-dup').pk,
      keys.emailPartition(conn, 'dup@example.com'),
    ]);
    expect(written).toEqual([]);
    expect(await s.countUsers(conn)).toBe(1);
  });

  it('refuses a duplicate externalId with a 409 naming externalId', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    await s.createUser(aUser(conn, { externalId: 'okta-1' }));
    const dup = aUser(conn, { externalId: 'okta-1' });
    const error = (await s.createUser(dup).catch((e: unknown) => e)) as ScimError;
    expect(error.status).toBe(409);
    expect(error.detail).toContain('externalId');
    expect(
      await itemsIn([keys.user(conn, dup.id).pk, keys.guard(conn, 'userName', dup.userName).pk]),
    ).toEqual([]);
  });

  it('swaps the userName, externalId and email index on rename', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const user = aUser(conn, { userName: 'old@example.com', externalId: 'e1', emails: ['old@example.com'] });
    await s.createUser(user);
    const renamed = next(user, {
      userName: 'New@example.com',
      externalId: 'e2',
      emails: ['new@example.com'],
    });
    await s.replaceUser(user, renamed);

    expect(await s.findUserByUserName(conn, 'old@example.com')).toBeUndefined();
    expect(await s.findUserByExternalId(conn, 'e1')).toBeUndefined();
    expect(await s.findUsersByEmail(conn, 'old@example.com')).toEqual([]);
    expect((await s.findUserByUserName(conn, 'new@EXAMPLE.com'))?.meta.version).toBe(2);
    expect((await s.findUserByExternalId(conn, 'e2'))?.id).toBe(user.id);
    expect((await s.findUsersByEmail(conn, 'new@example.com')).map((u) => u.id)).toEqual([user.id]);

    // The freed name can be taken by someone else; the new one cannot.
    await s.createUser(aUser(conn, { userName: 'OLD@example.com' }));
    await expect(s.createUser(aUser(conn, { userName: 'new@example.com' }))).rejects.toMatchObject({
      status: 409,
    });
  });

  it('refuses a rename onto a taken userName and leaves the user unchanged', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const a = aUser(conn, { userName: 'a@example.com' });
    await s.createUser(a);
    await s.createUser(aUser(conn, { userName: 'b@example.com' }));
    await expect(s.replaceUser(a, next(a, { userName: 'B@example.com' }))).rejects.toMatchObject({
      status: 409,
    });
    expect(await s.getUser(conn, a.id)).toEqual(a);
    expect((await s.findUserByUserName(conn, 'a@example.com'))?.id).toBe(a.id);
  });

  it('throws VersionConflictError on a stale replace', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const user = aUser(conn);
    await s.createUser(user);
    const v2 = next(user, { active: false });
    await s.replaceUser(user, v2);
    await expect(s.replaceUser(user, next(user, { userName: 'x@example.com' }))).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect(await s.getUser(conn, user.id)).toEqual(v2);
  });

  it('lets exactly one of two concurrent replaces of the same version win', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const user = aUser(conn);
    await s.createUser(user);
    const results = await Promise.allSettled([
      s.replaceUser(user, next(user, { body: { title: 'one' } })),
      s.replaceUser(user, next(user, { body: { title: 'two' } })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(VersionConflictError);
    expect((await s.getUser(conn, user.id))?.meta.version).toBe(2);
  });

  it('deletes the user with every item it had', async () => {
    const conn = uniqueConnectionId();
    const s = store();
    const user = aUser(conn, {
      userName: 'gone@example.com',
      externalId: 'x-gone',
      emails: ['gone@example.com'],
      apply: { status: 'pending', attempts: 0 },
    });
    await s.createUser(user);
    const partitions = userPartitions(conn, {
      id: user.id,
      userNames: [user.userName],
      externalIds: ['x-gone'],
      emails: user.emails,
    });
    expect((await itemsIn(partitions)).length).toBe(5);

    await s.deleteUser(user);
    expect(await itemsIn(partitions)).toEqual([]);
    expect(await s.countUsers(conn)).toBe(0);
    // The counter shards hold a sum of zero, not leftovers of the user.
    const shards = await itemsIn(counterKeys(conn, 'User').map((k) => k.pk));
    expect(shards.reduce((sum, item) => sum + Number(item.n), 0)).toBe(0);
  });
});
