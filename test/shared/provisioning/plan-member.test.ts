import { describe, expect, it } from 'vitest';
import type { DesiredMember } from '../../../shared/provisioning/change';
import { planMember } from '../../../shared/provisioning/plan-member';
import type { WorkspaceMember } from '../../../shared/workspace/member';

const desired: DesiredMember = {
  userId: 'u1',
  memberId: 'm-1',
  email: 'ann@x.com',
  name: 'Ann Lee',
  admin: false,
  active: true,
};
const observed: WorkspaceMember = {
  id: 'm-1',
  email: 'Ann@x.com',
  name: 'Ann Lee',
  admin: false,
  state: 'active',
  managedByScim: true,
  owner: 'c1',
};
const kinds = (changes: { kind: string }[]) => changes.map((change) => change.kind);

describe('planMember on the request path (nothing observed)', () => {
  it('provisions an unlinked active user (linking the account with the same email, never a second one)', () => {
    const { memberId: _, ...unlinked } = desired;
    expect(planMember(unlinked, 'unknown')).toEqual([
      expect.objectContaining({ kind: 'provisionMember', email: 'ann@x.com', name: 'Ann Lee', admin: false }),
    ]);
  });
  it('creates no account for a user created deactivated', () => {
    const { memberId: _, ...unlinked } = desired;
    expect(planMember({ ...unlinked, active: false }, 'unknown')).toEqual([]);
  });
  it('emits only what changed since the previous desired state', () => {
    expect(planMember(desired, 'unknown', desired)).toEqual([]);
    expect(planMember({ ...desired, name: 'Ann Smith' }, 'unknown', desired)).toEqual([
      expect.objectContaining({ kind: 'updateMember', memberId: 'm-1', name: 'Ann Smith' }),
    ]);
    const promoted = planMember({ ...desired, admin: true }, 'unknown', desired);
    expect(promoted).toEqual([expect.objectContaining({ kind: 'updateMember', admin: true })]);
    expect(promoted[0]).not.toHaveProperty('name');
  });
  it("moves the account to the user's new primary email, and only when it changed", () => {
    const moved = planMember({ ...desired, email: 'ann.lee@x.com' }, 'unknown', desired);
    expect(moved).toEqual([
      expect.objectContaining({ kind: 'updateMember', memberId: 'm-1', email: 'ann.lee@x.com' }),
    ]);
    expect(moved[0]).not.toHaveProperty('name');
    expect(planMember({ ...desired, name: 'Ann Smith' }, 'unknown', desired)[0]).not.toHaveProperty('email');
    // A user whose emails were all removed keeps the account's email: it is the sign-in identity.
    expect(planMember({ ...desired, email: '' }, 'unknown', desired)).toEqual([]);
  });
  it('deactivates on active: false, and reactivates (restoring no group) on active: true', () => {
    expect(kinds(planMember({ ...desired, active: false }, 'unknown', desired))).toEqual([
      'deactivateMember',
    ]);
    expect(kinds(planMember(desired, 'unknown', { ...desired, active: false }))).toEqual([
      'reactivateMember',
    ]);
  });
  it('without a previous state, asserts the whole desired member', () => {
    expect(kinds(planMember(desired, 'unknown'))).toEqual([
      'markMemberManaged',
      'reactivateMember',
      'updateMember',
    ]);
    expect(kinds(planMember({ ...desired, active: false }, 'unknown'))).toEqual([
      'markMemberManaged',
      'updateMember',
      'deactivateMember',
    ]);
  });
});

describe('planMember on a full read (drift)', () => {
  it('changes nothing when the workspace matches (emails compare case-insensitively)', () => {
    expect(planMember(desired, observed)).toEqual([]);
  });
  it('re-provisions an account removed on the workspace side', () => {
    expect(planMember(desired, undefined)).toEqual([
      expect.objectContaining({
        kind: 'provisionMember',
        reason: 'the linked account was removed on the workspace side',
      }),
    ]);
  });
  it('renames an account renamed on the workspace side', () => {
    expect(planMember(desired, { ...observed, name: 'Someone Else' })).toEqual([
      expect.objectContaining({ kind: 'updateMember', name: 'Ann Lee' }),
    ]);
  });
  it('moves a linked account to the email the IdP holds (an email change, or an edit on the workspace side)', () => {
    expect(planMember(desired, { ...observed, email: 'old.ann@x.com' })).toEqual([
      expect.objectContaining({ kind: 'updateMember', memberId: 'm-1', email: 'ann@x.com' }),
    ]);
    expect(planMember({ ...desired, email: '' }, observed)).toEqual([]);
  });
  it('reverts a promotion or demotion made on the workspace side', () => {
    expect(planMember(desired, { ...observed, admin: true })).toEqual([
      expect.objectContaining({ kind: 'updateMember', admin: false }),
    ]);
    expect(planMember({ ...desired, admin: true }, observed)).toEqual([
      expect.objectContaining({ kind: 'updateMember', admin: true }),
    ]);
  });
  it('deactivates again a deactivated user made active on the workspace side', () => {
    expect(kinds(planMember({ ...desired, active: false }, observed))).toEqual(['deactivateMember']);
  });
  it('reactivates an active user deactivated on the workspace side', () => {
    expect(kinds(planMember(desired, { ...observed, state: 'deactivated' }))).toEqual(['reactivateMember']);
  });
  it('links an unlinked user to the account with its email, and marks it managed', () => {
    const { memberId: _, ...unlinked } = desired;
    expect(planMember(unlinked, { ...observed, managedByScim: false })).toEqual([
      expect.objectContaining({ kind: 'markMemberManaged', memberId: 'm-1' }),
    ]);
  });
  it('leaves an unmanaged account alone when the IdP never linked it and the user is deactivated', () => {
    const { memberId: _, ...unlinked } = desired;
    expect(planMember({ ...unlinked, active: false }, { ...observed, managedByScim: false })).toEqual([]);
  });
  it('marks a linked account managed again when the mark was lost', () => {
    expect(kinds(planMember(desired, { ...observed, managedByScim: false }))).toEqual(['markMemberManaged']);
  });
});
