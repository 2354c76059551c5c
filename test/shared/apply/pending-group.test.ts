/**
 * The retry pass's rules for a pending group under the rollout settings (pending-group.ts): what
 * gives access is held back, what removes it never is.
 */
import { describe, expect, it } from 'vitest';
import { pendingGroupStep } from '../../../shared/apply/pending-group';
import type { PendingGroupInput } from '../../../shared/apply/pending-group';
import type { GroupRecord, UserRecord } from '../../../shared/store/record';

const meta = { created: '2026-12-01T00:00:00Z', lastModified: '2026-12-01T00:00:00Z', version: 2 };

function group(workspaceId?: string): GroupRecord {
  return {
    connectionId: 'c',
    id: 'grp',
    displayName: 'Analysts',
    body: {},
    memberCount: 0,
    meta,
    apply: { status: 'pending', attempts: 1, ...(workspaceId !== undefined ? { workspaceId } : {}) },
  };
}

function user(id: string, workspaceId: string | undefined, active = true): UserRecord {
  return {
    connectionId: 'c',
    id,
    userName: `${id}@example.com`,
    active,
    emails: [`${id}@example.com`],
    body: {},
    meta,
    apply: { status: 'applied', appliedVersion: 2, attempts: 0, ...(workspaceId ? { workspaceId } : {}) },
  };
}

const workspaceGroup = {
  kind: 'group' as const,
  id: 'g-1',
  name: 'Analysts',
  managed: true,
  everyone: false,
};
const observed = (...memberIds: string[]) => ({ group: workspaceGroup, memberIds: new Set(memberIds) });

function step(input: Partial<PendingGroupInput>) {
  return pendingGroupStep({
    group: group('g-1'),
    members: [],
    hold: undefined,
    heldUsers: new Set(),
    takeover: false,
    observed: 'unknown',
    ...input,
  });
}

describe('pendingGroupStep', () => {
  it('holds a released group whatever the workspace holds', () => {
    expect(step({ hold: 'released', observed: observed('m-x') })).toEqual({
      kind: 'hold',
      reason: 'released',
    });
  });

  it('holds a group outside the pilot that is not linked, or whose grants were not read', () => {
    expect(step({ group: group(), hold: 'outsidePilot' })).toEqual({ kind: 'hold', reason: 'outsidePilot' });
    expect(step({ hold: 'outsidePilot', observed: 'unknown' })).toEqual({
      kind: 'hold',
      reason: 'outsidePilot',
    });
    expect(step({ hold: 'outsidePilot', observed: undefined })).toEqual({
      kind: 'hold',
      reason: 'outsidePilot',
    });
  });

  it('revokes, and only revokes, on a linked group outside the pilot', () => {
    const result = step({
      hold: 'outsidePilot',
      members: [user('a', 'm-a'), user('b', 'm-b')],
      observed: observed('m-a', 'm-x'),
    });
    expect(result).toMatchObject({
      kind: 'apply',
      observed: 'unknown',
      delta: { added: [], removed: ['m-x'], previousName: 'Analysts' },
      thenHold: 'outsidePilot',
    });
  });

  it('revokes nothing on a group outside the pilot whose takeover awaits approval', () => {
    expect(step({ hold: 'outsidePilot', takeover: true, observed: observed('m-x') })).toEqual({
      kind: 'hold',
      reason: 'outsidePilot',
    });
  });

  it('grants no held user, keeps the group a held user already holds, and holds the group for the rest', () => {
    const result = step({
      members: [user('in', 'm-in'), user('keeps', 'm-keeps'), user('waits', 'm-waits')],
      heldUsers: new Set(['keeps', 'waits']),
      observed: observed('m-keeps'),
    });
    expect(result.kind).toBe('apply');
    if (result.kind !== 'apply') return;
    expect([...result.desired.memberIds].sort()).toEqual(['m-in', 'm-keeps']);
    expect(result.thenHold).toBe('outsidePilot');
  });

  it('keeps every member a takeover awaiting approval would revoke', () => {
    const result = step({ members: [user('in', 'm-in')], takeover: true, observed: observed('m-local') });
    expect(result.kind === 'apply' && [...result.desired.memberIds].sort()).toEqual(['m-in', 'm-local']);
    expect(result.kind === 'apply' && result.thenHold).toBeUndefined();
  });

  it('applies a group with nothing held as the desired state, deactivated members left out', () => {
    const result = step({
      members: [user('in', 'm-in'), user('off', 'm-off', false)],
      observed: observed('m-off'),
    });
    expect(result).toMatchObject({ kind: 'apply' });
    expect(result.kind === 'apply' && [...result.desired.memberIds]).toEqual(['m-in']);
  });
});
