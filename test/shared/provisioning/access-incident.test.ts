/** Which outcomes are access incidents and which applied changes settle one (pure). */
import { describe, expect, it } from 'vitest';
import { changeEffects, incidentOf, planEffects } from '../../../shared/provisioning/access-incident';
import type { Change } from '../../../shared/provisioning/change';

const update: Change = { kind: 'updateMember', userId: 'u1', memberId: 'm1', name: 'N', reason: 'r' };
const deactivate: Change = { kind: 'deactivateMember', userId: 'u1', memberId: 'm1', reason: 'r' };
const reactivate: Change = { kind: 'reactivateMember', userId: 'u1', memberId: 'm1', reason: 'r' };
const revoke: Change = {
  kind: 'revoke',
  groupId: 'g1',
  workspaceGroupId: 'wg1',
  memberId: 'm2',
  reason: 'r',
};
const grant: Change = { kind: 'grant', groupId: 'g1', workspaceGroupId: 'wg1', memberId: 'm2', reason: 'r' };
const orphan: Change = { kind: 'deleteGroup', workspaceGroupId: 'wg9', reason: 'r' };

describe('access incidents from outcomes', () => {
  it('only removals that did not apply are incidents; blocked and superseded are not', () => {
    expect(incidentOf(update, { status: 'rejected', error: 'e' })).toBeUndefined();
    expect(incidentOf(deactivate, { status: 'applied' })).toBeUndefined();
    expect(incidentOf(deactivate, { status: 'superseded', error: 'e' })).toBeUndefined();
    expect(incidentOf(deactivate, { status: 'blocked', error: 'e' })).toBeUndefined();
    expect(incidentOf(revoke, { status: 'unavailable', error: 'e' }, { userOf: () => 'u2' })).toEqual({
      kind: 'grant',
      workspaceGroupId: 'wg1',
      memberId: 'm2',
      change: 'revoke',
      userId: 'u2',
      groupId: 'g1',
      status: 'unavailable',
      error: 'e',
    });
    expect(incidentOf(orphan, { status: 'unsupported', error: 'e' })).toEqual({
      kind: 'group',
      workspaceGroupId: 'wg9',
      change: 'deleteGroup',
      status: 'unsupported',
      error: 'e',
    });
  });

  it('a removal a failure earlier in its plan kept from being tried is an incident, with why', () => {
    const effects = planEffects({
      status: 'unsupported',
      error: 'workspace cannot updateMember: no endpoint',
      applied: [],
      skipped: [],
      failed: update,
      unattempted: [deactivate],
    });
    expect(effects.incidents).toEqual([
      expect.objectContaining({
        kind: 'member',
        memberId: 'm1',
        change: 'deactivateMember',
        status: 'unsupported',
        error: 'not attempted: updateMember failed first (workspace cannot updateMember: no endpoint)',
      }),
    ]);
  });

  it('applied removals and reactivations settle their incidents; grants do not', () => {
    const effects = changeEffects([
      { change: deactivate, outcome: { status: 'applied' } },
      { change: reactivate, outcome: { status: 'applied' } },
      { change: revoke, outcome: { status: 'applied' } },
      { change: grant, outcome: { status: 'applied' } },
      {
        change: orphan,
        outcome: { status: 'rejected', error: 'workspace refused deleteGroup: x (HTTP 409)' },
      },
    ]);
    expect(effects.settled).toEqual([
      { kind: 'member', memberId: 'm1' },
      { kind: 'member', memberId: 'm1' },
      { kind: 'grant', workspaceGroupId: 'wg1', memberId: 'm2' },
    ]);
    expect(effects.incidents).toEqual([expect.objectContaining({ kind: 'group', status: 'rejected' })]);
  });
});
