import { describe, expect, it } from 'vitest';
import type { Change } from '../../../shared/provisioning/change';
import {
  approvalCovers,
  checkBreaker,
  DEFAULT_LIMITS,
  limitsFromEnv,
} from '../../../shared/sync/circuit-breaker';
import type { DesiredState } from '../../../shared/sync/desired';
import { emptyObserved } from '../../../shared/sync/observed';

function workspaceOf(managed: number, owner = 'c') {
  const observed = emptyObserved();
  for (let i = 0; i < managed; i++) {
    observed.members.set(`m${i}`, {
      id: `m${i}`,
      email: `${i}@x.test`,
      name: 'N',
      admin: false,
      state: 'active',
      managedByScim: true,
      owner,
    });
  }
  return observed;
}

const noLinks: DesiredState = { users: new Map(), groups: new Map() };
const deletes = (n: number): Change[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'deleteMember', memberId: `m${i}`, reason: 'test' }));

describe('circuit breaker', () => {
  it('lets through removals within the share or the allowance, and trips beyond both', () => {
    expect(checkBreaker(deletes(10), workspaceOf(100), noLinks, DEFAULT_LIMITS, 'c').tripped).toBe(false);
    expect(checkBreaker(deletes(3), workspaceOf(5), noLinks, DEFAULT_LIMITS, 'c').tripped).toBe(false);
    const verdict = checkBreaker(deletes(11), workspaceOf(100), noLinks, DEFAULT_LIMITS, 'c');
    expect(verdict).toMatchObject({
      tripped: true,
      reasons: ['memberRemovals'],
      memberRemovals: 11,
      managedMembers: 100,
    });
  });

  it('protects a small connection: removing everything it manages trips, even within the allowance', () => {
    expect(checkBreaker(deletes(2), workspaceOf(2), noLinks, DEFAULT_LIMITS, 'c')).toMatchObject({
      tripped: true,
      reasons: ['memberRemovals'],
    });
    expect(checkBreaker(deletes(1), workspaceOf(1), noLinks, DEFAULT_LIMITS, 'c').tripped).toBe(false);
    expect(checkBreaker(deletes(2), workspaceOf(3), noLinks, DEFAULT_LIMITS, 'c').tripped).toBe(false);
  });

  it("computes shares over this connection's objects only: another connection's members neither dilute nor count", () => {
    const observed = workspaceOf(5);
    for (const [id, member] of workspaceOf(1000, 'other').members) observed.members.set(`o-${id}`, member);
    const verdict = checkBreaker(deletes(5), observed, noLinks, DEFAULT_LIMITS, 'c');
    expect(verdict).toMatchObject({ tripped: true, managedMembers: 5, memberRemovals: 5 });
  });

  it('counts revokes: mass removal of grants trips like mass removal of members', () => {
    const observed = workspaceOf(100);
    observed.groups.set('g', {
      kind: 'group',
      id: 'g',
      name: 'G',
      managed: true,
      everyone: false,
      owner: 'c',
    });
    observed.grants.set('g', new Set(Array.from({ length: 100 }, (_, i) => `m${i}`)));
    const revokes = (n: number): Change[] =>
      Array.from({ length: n }, (_, i) => ({
        kind: 'revoke',
        workspaceGroupId: 'g',
        memberId: `m${i}`,
        reason: 'test',
      }));
    expect(checkBreaker(revokes(10), observed, noLinks, DEFAULT_LIMITS, 'c').tripped).toBe(false);
    const verdict = checkBreaker(revokes(11), observed, noLinks, DEFAULT_LIMITS, 'c');
    expect(verdict).toMatchObject({
      tripped: true,
      reasons: ['grantRevokes'],
      revokes: 11,
      managedGrants: 100,
    });
    expect(
      approvalCovers({ runId: 'r', memberRemovals: 0, groupDeletions: 0, emptyRead: false }, verdict),
    ).toBe(false);
    expect(
      approvalCovers(
        { runId: 'r', memberRemovals: 0, groupDeletions: 0, revokes: 11, emptyRead: false },
        verdict,
      ),
    ).toBe(true);
  });

  it('covers a plan no larger than the approved one, and the empty read only when approved', () => {
    const verdict = checkBreaker(deletes(11), workspaceOf(100), noLinks, DEFAULT_LIMITS, 'c');
    expect(
      approvalCovers({ runId: 'r', memberRemovals: 11, groupDeletions: 0, emptyRead: false }, verdict),
    ).toBe(true);
    expect(
      approvalCovers({ runId: 'r', memberRemovals: 10, groupDeletions: 0, emptyRead: false }, verdict),
    ).toBe(false);
    const empty = { ...verdict, reasons: ['emptyRead' as const] };
    expect(
      approvalCovers({ runId: 'r', memberRemovals: 11, groupDeletions: 0, emptyRead: false }, empty),
    ).toBe(false);
  });

  it('reads its limits from the environment, ignoring nonsense', () => {
    expect(limitsFromEnv({ SYNC_MAX_REMOVAL_SHARE: '0.25' })).toEqual({
      maxRemovalShare: 0.25,
      maxGroupDeletionShare: 0.25,
      maxRevokeShare: 0.25,
      removalAllowance: 3,
    });
    expect(limitsFromEnv({ SYNC_MAX_REMOVAL_SHARE: 'lots', SYNC_REMOVAL_ALLOWANCE: '-1' })).toEqual(
      DEFAULT_LIMITS,
    );
  });
});
