import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { ChangeRecord } from '../../../shared/apply/stream-trigger';
import { runAudited } from '../../../shared/audit/audit-context';
import { auditEntryOf } from '../../../shared/audit/derive';
import { groupItem } from '../../../shared/store/group-items';
import { keys } from '../../../shared/store/keys';
import { userItem } from '../../../shared/store/user-items';
import type { UserRecord } from '../../../shared/store/record';
import { aGroup, aUser, next } from '../store/records';

const C = 'conn-a';
type Item = Record<string, unknown>;

function record(eventName: string, key: { pk: string; sk: string }, old?: Item, now?: Item): ChangeRecord {
  return {
    eventName,
    eventID: `ev-${Math.random().toString(36).slice(2)}`,
    dynamodb: {
      Keys: marshall(key),
      SequenceNumber: '100',
      ApproximateCreationDateTime: 1_700_000_000,
      ...(old ? { OldImage: marshall(old, { removeUndefinedValues: true }) } : {}),
      ...(now ? { NewImage: marshall(now, { removeUndefinedValues: true }) } : {}),
    },
  };
}

const asIdp = <T>(fn: () => T) => runAudited({ actor: 'idp', ref: 'req-1' }, fn);

describe('the audit entry of a stream record', () => {
  it('a created user: actor and request id from the stamp, allow-listed attributes only', () => {
    const user = aUser(C, { userName: 'ada@example.com', emails: ['ada@example.com'] });
    const item = asIdp(() => userItem(user));
    const entry = auditEntryOf(record('INSERT', keys.user(C, user.id), undefined, item));
    expect(entry).toMatchObject({
      connectionId: C,
      type: 'Roster User Changed',
      action: 'created',
      actor: 'idp',
      ref: 'req-1',
      object: { kind: 'User', id: user.id, label: 'ada@example.com' },
    });
    expect(entry?.id).toMatch(/^ev-/);
    expect(entry?.changes.map((c) => c.attribute)).toEqual(['userName', 'active', 'emails', 'body.name']);
    expect(entry?.changes[0]).toEqual({ attribute: 'userName', after: 'ada@example.com' });
  });

  it('an update records only what changed, before and after', () => {
    const user = aUser(C);
    const before = asIdp(() => userItem(user));
    const after = runAudited({ actor: 'idp', ref: 'req-2' }, () =>
      userItem(next(user, { active: false } as Partial<UserRecord>)),
    );
    const entry = auditEntryOf(record('MODIFY', keys.user(C, user.id), before, after));
    expect(entry).toMatchObject({ action: 'updated', ref: 'req-2' });
    expect(entry?.changes).toEqual([{ attribute: 'active', before: true, after: false }]);
  });

  it('never records a secret, a token hash or an attribute not on the allow-list; names it at most', () => {
    const user = aUser(C);
    const before = asIdp(() => userItem(user));
    const after: Item = {
      ...asIdp(() => userItem(next(user, { body: { ...user.body, nickName: 'ada' } }))),
      tokenHash: 'sha256-secret',
      secret: 'hunter2',
      password: 'S3cret-pa55',
    };
    (after.body as Item).customSecret = 'p@ss';
    const entry = auditEntryOf(record('MODIFY', keys.user(C, user.id), before, after));
    const text = JSON.stringify(entry);
    for (const secret of ['sha256-secret', 'hunter2', 'S3cret-pa55', 'p@ss'])
      expect(text).not.toContain(secret);
    expect(entry?.changes).toEqual([{ attribute: 'body.nickName', after: 'ada' }]);
    expect(entry?.unrecorded).toEqual(['customSecret']);
  });

  it('keeps hostile strings as data', () => {
    const hostile = '"; DROP TABLE x; --\u0000\n<script>${x}</script>#AUDIT#';
    const user = aUser(C, { userName: hostile });
    const entry = auditEntryOf(
      record(
        'INSERT',
        keys.user(C, user.id),
        undefined,
        asIdp(() => userItem(user)),
      ),
    );
    expect(entry?.object.label).toBe(hostile);
    expect(entry?.changes[0]).toEqual({ attribute: 'userName', after: hostile });
  });

  it('a member-only group change: who added and removed whom', () => {
    const group = aGroup(C);
    const before = asIdp(() => groupItem(group));
    const after = runAudited({ actor: 'idp', ref: 'req-3' }, () =>
      groupItem(next(group), 2, { added: ['u-1', 'u-2'], removed: ['u-3'] }),
    );
    const entry = auditEntryOf(record('MODIFY', keys.group(C, group.id), before, after));
    expect(entry).toMatchObject({
      type: 'Roster Group Membership Changed',
      action: 'updated',
      ref: 'req-3',
      members: { added: ['u-1', 'u-2'], removed: ['u-3'], addedCount: 2, removedCount: 1 },
      changes: [],
    });
  });

  it('a renamed group is a group change', () => {
    const group = aGroup(C, { displayName: 'Old' });
    const entry = auditEntryOf(
      record(
        'MODIFY',
        keys.group(C, group.id),
        asIdp(() => groupItem(group)),
        asIdp(() => groupItem(next(group, { displayName: 'New' }))),
      ),
    );
    expect(entry).toMatchObject({
      type: 'Roster Group Changed',
      changes: [{ attribute: 'displayName', before: 'Old', after: 'New' }],
    });
  });

  it('an apply outcome (version unchanged, stamp moved) is a change applied, by its writer', () => {
    const user = aUser(C, { apply: { status: 'pending', attempts: 0 } });
    const before = asIdp(() => userItem(user));
    const after = {
      ...before,
      apply: { status: 'applied', appliedVersion: 1, attempts: 0, workspaceId: 'm-1' },
      audit: { actor: 'sync', ref: 'run-9', at: '2024-02-01T00:00:00.000Z' },
    };
    const entry = auditEntryOf(record('MODIFY', keys.user(C, user.id), before, after));
    expect(entry).toMatchObject({
      type: 'Roster Change Applied',
      action: 'applied',
      actor: 'sync',
      ref: 'run-9',
      at: '2024-02-01T00:00:00.000Z',
      changes: [
        { attribute: 'apply.status', before: 'pending', after: 'applied' },
        { attribute: 'apply.appliedVersion', after: 1 },
        { attribute: 'apply.workspaceId', after: 'm-1' },
      ],
    });
    const failed = auditEntryOf(
      record('MODIFY', keys.user(C, user.id), before, {
        ...after,
        apply: { status: 'failed', attempts: 1, lastError: 'rejected' },
      }),
    );
    expect(failed).toMatchObject({ type: 'Roster Change Not Applied', action: 'failed' });
  });

  it('a write that moves neither the version nor the stamp (a membership revision) is no entry', () => {
    const user = aUser(C);
    const before = asIdp(() => userItem(user));
    expect(
      auditEntryOf(record('MODIFY', keys.user(C, user.id), before, { ...before, groupRev: 3 })),
    ).toBeUndefined();
  });

  it('a deletion is recorded from its tombstone, with what was deleted and by whom', () => {
    const user = aUser(C, { userName: 'gone@example.com' });
    const tombstone = {
      ...keys.tombstone(C, 'User', user.id),
      kind: 'User',
      id: user.id,
      was: userItem(user),
      audit: { actor: 'idp', ref: 'req-del', at: '2024-03-01T00:00:00.000Z' },
    };
    const entry = auditEntryOf(record('INSERT', keys.tombstone(C, 'User', user.id), undefined, tombstone));
    expect(entry).toMatchObject({
      type: 'Roster User Changed',
      action: 'deleted',
      actor: 'idp',
      ref: 'req-del',
      object: { kind: 'User', id: user.id, label: 'gone@example.com' },
    });
    expect(entry?.changes[0]).toEqual({ attribute: 'userName', before: 'gone@example.com' });
    // The item's own REMOVE says nothing of who: no entry of its own.
    expect(auditEntryOf(record('REMOVE', keys.user(C, user.id), userItem(user)))).toBeUndefined();
  });

  it('an access incident opened and resolved', () => {
    const key = { pk: keys.accessPartition(C), sk: 'member#m-1' };
    const incident = {
      ...key,
      kind: 'member',
      change: 'deactivateMember',
      status: 'unavailable',
      error: 'http_503',
      memberId: 'm-1',
      userId: 'u-1',
      audit: { actor: 'apply', at: '2024-03-02T00:00:00.000Z' },
    };
    expect(auditEntryOf(record('INSERT', key, undefined, incident))).toMatchObject({
      type: 'Roster Access Not Removed',
      action: 'opened',
      actor: 'apply',
      object: { kind: 'Access', id: 'member#m-1' },
    });
    expect(auditEntryOf(record('MODIFY', key, incident, { ...incident, attempts: 2 }))).toBeUndefined();
    // The resolver stamps the incident just before deleting it: the old image says who.
    const stamped = { ...incident, audit: { actor: 'sync', ref: 'run-7', at: '2024-03-03T00:00:00.000Z' } };
    expect(auditEntryOf(record('REMOVE', key, stamped))).toMatchObject({
      type: 'Roster Access Removed',
      action: 'resolved',
      actor: 'sync',
      ref: 'run-7',
      at: '2024-03-03T00:00:00.000Z',
    });
  });

  it('the rollout settings written by an operator', () => {
    const key = { pk: `C#${C}#ROLLOUT`, sk: '#' };
    const entry = auditEntryOf(
      record(
        'MODIFY',
        key,
        { ...key, settings: { takeover: 'off' }, version: 1 },
        {
          ...key,
          settings: { takeover: 'off', pilot: { users: ['ada'], groups: [] } },
          version: 2,
          audit: { actor: 'operator', ref: 'roster connection pilot set', at: '2024-03-03T00:00:00.000Z' },
        },
      ),
    );
    expect(entry).toMatchObject({
      type: 'Roster Rollout Changed',
      actor: 'operator',
      ref: 'roster connection pilot set',
      changes: [{ attribute: 'settings.pilot', after: { users: ['ada'], groups: [] } }],
    });
  });

  it('guards, counters, markers, member items, audit items and workspace items are no entry', () => {
    const plain = { a: 1 };
    for (const key of [
      keys.guard(C, 'userName', 'ada'),
      keys.counterShard(C, 'User', 1),
      keys.pending(C, 'User', 'u-1'),
      keys.member(C, 'g-1', 'u-1'),
      { pk: keys.auditDay(C, '2024-01-01', 0), sk: 'x' },
      { pk: 'W#ws#MEMBERS', sk: 'm-1' },
    ])
      expect(auditEntryOf(record('INSERT', key, undefined, { ...key, ...plain }))).toBeUndefined();
  });
});
