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

function workspaceOf(managed: number) {
  const observed = emptyObserved();
  for (let i = 0; i < managed; i++) {
    observed.members.set(`m${i}`, {
      id: `m${i}`,
      email: `${i}@x.test`,
      name: 'N',
      admin: false,
      state: 'active',
      managedByScim: true,
    });
  }
  return observed;
}

const noLinks: DesiredState = { users: new Map(), groups: new Map() };
const deletes = (n: number): Change[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'deleteMember', memberId: `m${i}`, reason: 'test' }));

describe('circuit breaker', () => {
  it('lets through removals within the share or the allowance, and trips beyond both', () => {
    expect(checkBreaker(deletes(10), workspaceOf(100), noLinks, DEFAULT_LIMITS).tripped).toBe(false);
    expect(checkBreaker(deletes(3), workspaceOf(5), noLinks, DEFAULT_LIMITS).tripped).toBe(false);
    const verdict = checkBreaker(deletes(11), workspaceOf(100), noLinks, DEFAULT_LIMITS);
    expect(verdict).toMatchObject({
      tripped: true,
      reasons: ['memberRemovals'],
      memberRemovals: 11,
      managedMembers: 100,
    });
  });

  it('covers a plan no larger than the approved one, and the empty read only when approved', () => {
    const verdict = checkBreaker(deletes(11), workspaceOf(100), noLinks, DEFAULT_LIMITS);
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
      removalAllowance: 3,
    });
    expect(limitsFromEnv({ SYNC_MAX_REMOVAL_SHARE: 'lots', SYNC_REMOVAL_ALLOWANCE: '-1' })).toEqual(
      DEFAULT_LIMITS,
    );
  });
});
