import { describe, expect, it } from 'vitest';
import { isAdmin } from '../../../shared/provisioning/admin-role';
import { assertGroupAllowed, isEveryoneGroup } from '../../../shared/provisioning/everyone-group';
import { fullName } from '../../../shared/provisioning/full-name';
import { primaryEmail } from '../../../shared/provisioning/primary-email';
import { desiredMember } from '../../../shared/provisioning/desired-member';
import { desiredGroup, awaitingLink } from '../../../shared/provisioning/desired-group';
import { ScimError } from '../../../shared/scim/error';
import type { JsonObject } from '../../../shared/scim/json';
import type { GroupRecord, UserRecord } from '../../../shared/store/record';

const ROSTER = 'urn:ietf:params:scim:schemas:extension:roster:2.0:User';

function user(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    connectionId: 'c',
    id: 'u1',
    userName: 'Ann@Example.com',
    active: true,
    emails: [],
    body: {},
    meta: { created: '', lastModified: '', version: 1 },
    apply: { status: 'pending', attempts: 0 },
    ...overrides,
  };
}

function group(displayName: string, workspaceId?: string): GroupRecord {
  return {
    connectionId: 'c',
    id: 'g1',
    displayName,
    body: { displayName },
    memberCount: 0,
    meta: { created: '', lastModified: '', version: 1 },
    apply: { status: 'pending', attempts: 0, ...(workspaceId ? { workspaceId } : {}) },
  };
}

describe('rule: link by primary email', () => {
  it('takes the email marked primary, lower-cased', () => {
    const body: JsonObject = {
      emails: [
        { value: 'home@example.com', type: 'home' },
        { value: 'Work@Example.com', type: 'work', primary: true },
      ],
    };
    expect(primaryEmail(body, 'x')).toBe('work@example.com');
  });
  it('falls back to the work email, then the first', () => {
    expect(
      primaryEmail(
        {
          emails: [
            { value: 'a@h.com', type: 'home' },
            { value: 'b@w.com', type: 'work' },
          ],
        },
        'x',
      ),
    ).toBe('b@w.com');
    expect(primaryEmail({ emails: [{ value: 'a@h.com', type: 'home' }, { value: 'c@o.com' }] }, 'x')).toBe(
      'a@h.com',
    );
  });
  it('accepts OneLogin shapes: an emails object and primary as a string', () => {
    expect(primaryEmail({ Emails: { value: 'One@Login.com', primary: 'true' } }, 'x')).toBe('one@login.com');
  });
  it('falls back to the userName only when it is an email', () => {
    expect(primaryEmail({}, 'Ann@Example.com')).toBe('ann@example.com');
    expect(primaryEmail({}, 'ann')).toBeUndefined();
  });
});

describe('rule: full name is givenName and familyName joined by a space', () => {
  it('joins and trims', () => {
    expect(fullName({ name: { givenName: ' Ann ', familyName: 'Lee ' } }, 'u')).toBe('Ann Lee');
  });
  it('uses one part when the other is missing', () => {
    expect(fullName({ name: { givenName: 'Ann' } }, 'u')).toBe('Ann');
  });
  it('falls back to displayName, then userName', () => {
    expect(fullName({ displayName: 'Ann L.' }, 'u')).toBe('Ann L.');
    expect(fullName({ name: { givenName: '  ' } }, 'ann@example.com')).toBe('ann@example.com');
  });
});

describe('rule: admin role', () => {
  it('comes from a core roles value, case-insensitively', () => {
    expect(isAdmin({ roles: [{ value: 'Admin' }] })).toBe(true);
    expect(isAdmin({ roles: ['ADMIN'] })).toBe(true);
  });
  it('comes from the roster extension role', () => {
    expect(isAdmin({ [ROSTER]: { role: 'admin' } })).toBe(true);
  });
  it('ignores every other role value', () => {
    expect(
      isAdmin({ roles: [{ value: 'owner' }, { value: 'viewer' }], [ROSTER]: { role: 'superuser' } }),
    ).toBe(false);
  });
  it('is absent, so the member is demoted, once the role is removed', () => {
    expect(isAdmin({})).toBe(false);
    expect(desiredMember(user({ body: { [ROSTER]: { role: 'admin' } } })).admin).toBe(true);
    expect(desiredMember(user({ body: { [ROSTER]: {} } })).admin).toBe(false);
  });
});

describe('rule: Everyone belongs to the workspace', () => {
  it('is recognised case-insensitively', () => {
    expect(isEveryoneGroup('everyone')).toBe(true);
    expect(isEveryoneGroup(' EVERYONE ')).toBe(true);
    expect(isEveryoneGroup('Everyone else')).toBe(false);
  });
  it('cannot be created or linked: 409 uniqueness explaining the workspace owns it', () => {
    const error = catchError(() => assertGroupAllowed('everyone'));
    expect(error.status).toBe(409);
    expect(error.scimType).toBe('uniqueness');
    expect(error.detail).toMatch(/workspace owns the Everyone group/);
  });
  it('cannot be the target of a rename: 400 invalidValue', () => {
    const error = catchError(() => assertGroupAllowed('Everyone', group('Sales')));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toMatch(/workspace owns the Everyone group/);
  });
  it('cannot be changed', () => {
    expect(catchError(() => assertGroupAllowed('Everyone', group('Everyone'))).status).toBe(400);
  });
  it('leaves other groups alone', () => {
    expect(() => assertGroupAllowed('Sales')).not.toThrow();
    expect(() => assertGroupAllowed('Sales 2', group('Sales'))).not.toThrow();
  });
});

describe('desired state', () => {
  it('a member carries the link, the rules and the active flag', () => {
    const desired = desiredMember(
      user({
        active: false,
        body: {
          name: { givenName: 'Ann', familyName: 'Lee' },
          emails: [{ value: 'ANN@x.com', primary: true }],
        },
        apply: { status: 'applied', attempts: 0, workspaceId: 'm-1' },
      }),
    );
    expect(desired).toEqual({
      userId: 'u1',
      memberId: 'm-1',
      email: 'ann@x.com',
      name: 'Ann Lee',
      admin: false,
      active: false,
    });
  });
  it('a group holds only members that are linked and active; unlinked ones wait', () => {
    const linked = user({ id: 'a', apply: { status: 'applied', attempts: 0, workspaceId: 'm-a' } });
    const unlinked = user({ id: 'b' });
    const inactive = user({
      id: 'c',
      active: false,
      apply: { status: 'applied', attempts: 0, workspaceId: 'm-c' },
    });
    const desired = desiredGroup(group('Sales', 'wg-1'), [linked, unlinked, inactive]);
    expect([...desired.memberIds]).toEqual(['m-a']);
    expect(desired.workspaceGroupId).toBe('wg-1');
    expect(awaitingLink([linked, unlinked, inactive])).toEqual(['b']);
  });
});

function catchError(run: () => void): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}
