/**
 * What must change on the workspace so that it holds the desired member. Pure: the request path
 * plans with `observed = 'unknown'` (it reads nothing) and, when it has it, the desired state
 * before this change, so that it emits only what changed; the full sync plans with what it read
 * (`undefined` when the account is absent). Every change is idempotent, so a plan that asserts
 * more than needed is safe, only slower.
 *
 * Linking: an unlinked user plans `provisionMember`, which links the account with the same email
 * instead of creating a second one; once linked, plan again with the member id to converge it
 * (`apply-member.ts` does that).
 */
import type { WorkspaceMember } from '../workspace/member';
import type { Change, DesiredMember } from './change';

export function planMember(
  desired: DesiredMember,
  observed: WorkspaceMember | undefined | 'unknown',
  previous?: DesiredMember,
): Change[] {
  const { userId } = desired;
  if (observed === 'unknown') {
    if (desired.memberId === undefined) return provision(desired, 'not linked to a workspace account yet');
    return previous
      ? changedSince(desired, desired.memberId, previous)
      : assertAll(desired, desired.memberId);
  }

  if (observed === undefined) {
    return provision(
      desired,
      desired.memberId === undefined
        ? 'no workspace account has this email'
        : 'the linked account was removed on the workspace side',
    );
  }

  // The account that holds the desired email, found by the full read.
  const memberId = observed.id;
  const changes: Change[] = [];
  if (desired.memberId === undefined || desired.memberId !== memberId) {
    // A deactivated user the IdP never linked: the account is not the IdP's to take over.
    if (!desired.active) return [];
    changes.push({
      kind: 'markMemberManaged',
      userId,
      memberId,
      reason: 'link the account with the same email',
    });
  } else if (!observed.managedByScim || observed.owner === undefined) {
    // No owner recorded: claim it (where the workspace records owners; planSync drops the claim
    // where it cannot). The sync never plans against an account another connection owns.
    changes.push({
      kind: 'markMemberManaged',
      userId,
      memberId,
      reason: 'the linked account lost its IdP mark',
    });
  }
  if (desired.active && observed.state === 'deactivated') {
    changes.push({ kind: 'reactivateMember', userId, memberId, reason: 'deactivated on the workspace side' });
  }
  const profile = profileChange(desired, {
    email: observed.email,
    name: observed.name,
    admin: observed.admin,
  });
  if (profile)
    changes.push({
      kind: 'updateMember',
      userId,
      memberId,
      ...profile,
      reason: 'edited on the workspace side',
    });
  if (!desired.active && observed.state !== 'deactivated') {
    changes.push({
      kind: 'deactivateMember',
      userId,
      memberId,
      reason: 'deactivated by the IdP but active on the workspace',
    });
  }
  return changes;
}

function provision(desired: DesiredMember, reason: string): Change[] {
  // A deactivated user needs no account: deactivation only ever takes one away.
  if (!desired.active) return [];
  const { userId, email, name, admin } = desired;
  return [{ kind: 'provisionMember', userId, email, name, admin, reason }];
}

/** The request path with the previous desired state: only what this change altered. */
function changedSince(desired: DesiredMember, memberId: string, previous: DesiredMember): Change[] {
  const { userId } = desired;
  const changes: Change[] = [];
  if (desired.active && !previous.active) {
    changes.push({ kind: 'reactivateMember', userId, memberId, reason: 'reactivated by the IdP' });
  }
  const profile = profileChange(desired, previous);
  if (profile)
    changes.push({
      kind: 'updateMember',
      userId,
      memberId,
      ...profile,
      reason: 'profile changed by the IdP',
    });
  if (!desired.active && previous.active) {
    changes.push({ kind: 'deactivateMember', userId, memberId, reason: 'deactivated by the IdP' });
  }
  return changes;
}

/** Nothing observed and nothing to compare with: assert the whole desired state. */
function assertAll(desired: DesiredMember, memberId: string): Change[] {
  const { userId, email, name, admin } = desired;
  const reason = 'apply the desired state';
  const changes: Change[] = [{ kind: 'markMemberManaged', userId, memberId, reason }];
  if (desired.active) changes.push({ kind: 'reactivateMember', userId, memberId, reason });
  changes.push({
    kind: 'updateMember',
    userId,
    memberId,
    ...(email === '' ? {} : { email }),
    name,
    admin,
    reason,
  });
  if (!desired.active) changes.push({ kind: 'deactivateMember', userId, memberId, reason });
  return changes;
}

/**
 * What differs in the profile. The email (the account's sign-in identity) follows the IdP's primary
 * email, compared case-insensitively; a user with no email leaves the account's email alone.
 */
function profileChange(
  desired: DesiredMember,
  current: { email: string; name: string; admin: boolean },
): { email?: string; name?: string; admin?: boolean; demotes?: true } | undefined {
  const profile: { email?: string; name?: string; admin?: boolean; demotes?: true } = {};
  if (desired.email !== '' && desired.email.toLowerCase() !== current.email.toLowerCase())
    profile.email = desired.email;
  if (desired.name !== current.name) profile.name = desired.name;
  if (desired.admin !== current.admin) profile.admin = desired.admin;
  if (current.admin && !desired.admin) profile.demotes = true;
  return Object.keys(profile).length === 0 ? undefined : profile;
}
