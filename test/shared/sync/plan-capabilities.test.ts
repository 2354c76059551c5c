/**
 * Planning against a workspace that lacks capabilities (Mode): a change that could only fail is
 * reported instead of planned, and invited members are deprovisioned like active ones.
 */
import { describe, expect, it } from 'vitest';
import { planSync } from '../../../shared/sync/plan';
import type { DesiredState } from '../../../shared/sync/desired';
import { emptyObserved } from '../../../shared/sync/observed';
import type { Capability } from '../../../shared/workspace/capability';
import type { WorkspaceMember } from '../../../shared/workspace/member';
import { MODE_MISSING } from '../../../shared/workspace/mode/mode-workspace';
import { CAPABILITIES } from '../../../shared/workspace/capability';

const MODE: ReadonlySet<Capability> = new Set(
  CAPABILITIES.filter((capability) => !MODE_MISSING.has(capability)),
);

function world(member: Partial<WorkspaceMember>, desired: { active: boolean; admin: boolean; name: string }) {
  const observed = emptyObserved();
  const account: WorkspaceMember = {
    id: 'mb1',
    email: 'ada@example.com',
    name: '',
    admin: false,
    state: 'active',
    managedByScim: false,
    ...member,
  };
  observed.members.set(account.id, account);
  observed.memberByEmail.set(account.email, account.id);
  const state: DesiredState = {
    users: new Map([
      [
        'u1',
        {
          member: { userId: 'u1', memberId: 'mb1', email: 'ada@example.com', ...desired },
          version: 1,
          apply: { status: 'applied', appliedVersion: 1, attempts: 0 },
        },
      ],
    ]),
    groups: new Map(),
  };
  return { observed, state };
}

describe('planSync on a workspace without updateMember', () => {
  it('plans no profile change from an unlisted name, and reports an admin difference instead of planning it', () => {
    const quiet = world({}, { active: true, admin: false, name: 'Ada Lovelace' });
    expect(planSync(quiet.observed, quiet.state, { capabilities: MODE, connectionId: 'c1' })).toEqual({
      changes: [],
      observations: [],
      held: [],
      takeovers: [],
    });

    const admin = world({}, { active: true, admin: true, name: 'Ada Lovelace' });
    const plan = planSync(admin.observed, admin.state, { capabilities: MODE, connectionId: 'c1' });
    expect(plan.changes).toEqual([]);
    expect(plan.observations).toEqual([
      {
        kind: 'capabilityMissing',
        objectId: 'mb1',
        detail: 'user u1: the admin differs from the IdP; the workspace cannot change member profiles',
      },
    ]);
  });

  it('plans the admin role’s removal all the same, so that the refusal is an access incident', () => {
    const demoted = world({ admin: true }, { active: true, admin: false, name: '' });
    const plan = planSync(demoted.observed, demoted.state, { capabilities: MODE, connectionId: 'c1' });
    expect(plan.changes).toEqual([
      expect.objectContaining({ kind: 'updateMember', memberId: 'mb1', admin: false, demotes: true }),
    ]);
    expect(plan.observations).toEqual([]);
  });

  it('deprovisions an invited member of a deactivated user (the invitation is withdrawn)', () => {
    const invited = world({ state: 'invited' }, { active: false, admin: false, name: '' });
    const plan = planSync(invited.observed, invited.state, { capabilities: MODE, connectionId: 'c1' });
    expect(plan.changes.map((change) => change.kind)).toEqual(['deactivateMember']);
  });

  it('a workspace with updateMember still gets the profile change', () => {
    const admin = world({ name: 'Ada Lovelace' }, { active: true, admin: true, name: 'Ada Lovelace' });
    const plan = planSync(admin.observed, admin.state, {
      capabilities: new Set(CAPABILITIES),
      connectionId: 'c1',
    });
    expect(plan.changes.map((change) => change.kind)).toContain('updateMember');
  });
});
