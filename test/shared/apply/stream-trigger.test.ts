import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { triggerOf } from '../../../shared/apply/stream-trigger';
import type { ChangeRecord } from '../../../shared/apply/stream-trigger';

function userImage(version: number, apply: Record<string, unknown> = { status: 'pending', attempts: 0 }) {
  return marshall(
    {
      pk: 'C#conn-1#USER#u-1',
      sk: '#',
      id: 'u-1',
      connectionId: 'conn-1',
      userName: 'a@example.com',
      active: true,
      emails: [],
      body: { userName: 'a@example.com' },
      meta: { created: '2026-12-03T00:00:00.000Z', lastModified: '2026-12-03T00:00:00.000Z', version },
      apply,
    },
    { removeUndefinedValues: true },
  );
}

function record(
  eventName: string,
  pk: string,
  sk: string,
  images: Pick<NonNullable<ChangeRecord['dynamodb']>, 'NewImage' | 'OldImage'> = {},
): ChangeRecord {
  return { eventName, dynamodb: { Keys: marshall({ pk, sk }), SequenceNumber: '1', ...images } };
}

describe('which stream records trigger an apply', () => {
  it('a created user, and a user whose version moved, with the old image as the diff base', () => {
    expect(triggerOf(record('INSERT', 'C#conn-1#USER#u-1', '#', { NewImage: userImage(1) }))).toEqual({
      kind: 'user',
      connectionId: 'conn-1',
      userId: 'u-1',
    });
    const moved = triggerOf(
      record('MODIFY', 'C#conn-1#USER#u-1', '#', { NewImage: userImage(2), OldImage: userImage(1) }),
    );
    expect(moved).toMatchObject({ kind: 'user', userId: 'u-1', before: { meta: { version: 1 } } });
  });

  it('ignores the apply state’s own updates (the version did not move): no apply loop', () => {
    const applied = userImage(3, { status: 'applied', appliedVersion: 3, attempts: 0, workspaceId: 'm-1' });
    expect(
      triggerOf(record('MODIFY', 'C#conn-1#USER#u-1', '#', { NewImage: applied, OldImage: userImage(3) })),
    ).toBeUndefined();
  });

  it('a removed user carries its link from the old image', () => {
    const old = userImage(4, { status: 'applied', appliedVersion: 4, attempts: 0, workspaceId: 'm-9' });
    expect(triggerOf(record('REMOVE', 'C#conn-1#USER#u-1', '#', { OldImage: old }))).toMatchObject({
      kind: 'userDeleted',
      connectionId: 'conn-1',
      user: { id: 'u-1', apply: { workspaceId: 'm-9' } },
    });
  });

  it('a member item inserted or removed is a membership trigger; its user id is the sort key', () => {
    for (const event of ['INSERT', 'REMOVE']) {
      expect(triggerOf(record(event, 'C#conn-1#GROUP#g-1#MEMBERS', 'u-7'))).toEqual({
        kind: 'member',
        connectionId: 'conn-1',
        groupId: 'g-1',
        userId: 'u-7',
      });
    }
  });

  it('guards, claims, markers, reverse items and the built-in workspace are no trigger', () => {
    for (const [pk, sk] of [
      ['C#conn-1#UNAME#a@example.com', '#'],
      ['C#conn-1#PENDING', '0#User#u-1'],
      ['C#conn-1#USER#u-1#GROUPS', 'g-1'],
      ['C#conn-1#COUNT#USERS#3', '#'],
      ['O#ws-1#EMAIL#a@example.com', '#'],
      ['W#ws-1#members', 'm-1'],
      // A key that only looks like a user: connection ids never hold '#'.
      ['C#conn#1#USER#u-1', '#'],
    ] as const) {
      expect(triggerOf(record('INSERT', pk, sk, { NewImage: userImage(1) }))).toBeUndefined();
    }
    expect(triggerOf({ eventName: 'INSERT' })).toBeUndefined();
  });
});
