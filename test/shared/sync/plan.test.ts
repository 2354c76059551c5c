/**
 * planSync names the IdP user beside the member of each grant and revoke it plans, for the audit
 * trail (`roster audit --user`): the holder of this plan (a deferred id for a member it
 * provisions), the linked user of a member losing a group, and nobody for an account no IdP
 * user is linked to.
 */
import { describe, expect, it } from 'vitest';
import type { Change } from '../../../shared/provisioning/change';
import { planSync } from '../../../shared/sync/plan';
import type { DesiredState, DesiredUser } from '../../../shared/sync/desired';
import { emptyObserved } from '../../../shared/sync/observed';
import { CAPABILITIES } from '../../../shared/workspace/capability';
import type { WorkspaceMember } from '../../../shared/workspace/member';

const APPLIED = { status: 'applied' as const, appliedVersion: 1, attempts: 0 };

function account(id: string, email: string, managedByScim = true): WorkspaceMember {
  return { id, email, name: '', admin: false, state: 'active', managedByScim, owner: 'c1' };
}

function user(userId: string, email: string, memberId: string | undefined): DesiredUser {
  return {
    member: { userId, email, name: '', admin: false, active: true, ...(memberId ? { memberId } : {}) },
    version: 1,
    apply: APPLIED,
  };
}

describe('planSync: the user of each grant and revoke', () => {
  it('names the holder, the linked user losing access, and no one for an unlinked account', () => {
    const observed = emptyObserved();
    // ada is linked and holds nothing yet; eve is linked and holds the group the IdP no longer
    // lists her in; carol has no account yet (the plan provisions her); dan's account is linked
    // to no IdP user.
    for (const member of [
      account('mb-ada', 'ada@example.com'),
      account('mb-eve', 'eve@example.com'),
      account('mb-dan', 'dan@example.com', false),
    ]) {
      observed.members.set(member.id, member);
      observed.memberByEmail.set(member.email, member.id);
    }
    observed.groups.set('wg1', {
      kind: 'group',
      id: 'wg1',
      name: 'Eng',
      managed: true,
      everyone: false,
      owner: 'c1',
    });
    observed.groupByName.set('eng', 'wg1');
    observed.grants.set('wg1', new Set(['mb-eve', 'mb-dan']));
    const desired: DesiredState = {
      users: new Map([
        ['u-ada', user('u-ada', 'ada@example.com', 'mb-ada')],
        ['u-eve', user('u-eve', 'eve@example.com', 'mb-eve')],
        ['u-carol', user('u-carol', 'carol@example.com', undefined)],
      ]),
      groups: new Map([
        [
          'g1',
          {
            groupId: 'g1',
            name: 'Eng',
            workspaceGroupId: 'wg1',
            memberUserIds: ['u-ada', 'u-carol'],
            version: 1,
            apply: { ...APPLIED, workspaceId: 'wg1' },
          },
        ],
      ]),
    };

    const plan = planSync(observed, desired, { capabilities: new Set(CAPABILITIES), connectionId: 'c1' });

    const access = plan.changes.filter(
      (c): c is Extract<Change, { kind: 'grant' | 'revoke' }> => c.kind === 'grant' || c.kind === 'revoke',
    );
    const byMember = Object.fromEntries(access.map((c) => [`${c.kind} ${c.memberId}`, c.userId ?? null]));
    const carolHolder = access.find((c) => c.kind === 'grant' && c.memberId !== 'mb-ada')?.memberId;
    expect(carolHolder).toBeDefined();
    expect(byMember).toEqual({
      'grant mb-ada': 'u-ada',
      [`grant ${carolHolder}`]: 'u-carol',
      'revoke mb-eve': 'u-eve',
      'revoke mb-dan': null,
    });
  });
});
