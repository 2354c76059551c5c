import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../shared/scim/error';
import { parseFilter } from '../../../shared/scim/filter';
import { matchesFilter } from '../../../shared/scim/filter-match';
import type { JsonObject } from '../../../shared/scim/json';
import type { ResourceTypeName } from '../../../shared/scim/schemas/attribute';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ROSTER = 'urn:ietf:params:scim:schemas:extension:roster:2.0:User';

const user: JsonObject = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE, ROSTER],
  id: 'a1B2-c3',
  externalId: '00ujl29u0le5T6Aj10h7',
  userName: 'Test.User@okta.local',
  name: { givenName: 'Test', familyName: "O'Malley" },
  displayName: 'Test User',
  active: true,
  emails: [
    { value: 'test.user@okta.local', type: 'work', primary: true },
    { value: 'test@home.example', type: 'home' },
  ],
  roles: [{ value: 'admin' }],
  [ENTERPRISE]: { employeeNumber: '7', manager: { value: 'm-1', displayName: 'Boss' } },
  [ROSTER]: { role: 'admin' },
  meta: {
    resourceType: 'User',
    created: '2024-01-10T08:00:00Z',
    lastModified: '2024-03-01T12:30:00.000Z',
    version: 'W/"3"',
  },
};

const group: JsonObject = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  id: 'g-1',
  displayName: 'Engineering',
  members: [
    { value: 'u1', display: 'a@b.c', type: 'User' },
    { value: 'u2', display: null },
  ],
};

function matches(
  filter: string,
  resource: JsonObject = user,
  resourceType: ResourceTypeName = 'User',
): boolean {
  return matchesFilter(resourceType, resource, parseFilter(filter));
}

function rejected(filter: string, resourceType: ResourceTypeName = 'User'): ScimError {
  try {
    matchesFilter(resourceType, resourceType === 'User' ? user : group, parseFilter(filter));
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(400);
    expect((error as ScimError).scimType).toBe('invalidFilter');
    return error as ScimError;
  }
  throw new Error(`expected '${filter}' to be rejected`);
}

describe('matchesFilter', () => {
  it("matches Okta's userName lookup case-insensitively (userName is not caseExact)", () => {
    expect(matches('userName eq "test.user@okta.local"')).toBe(true);
    expect(matches('userName eq "TEST.USER@OKTA.LOCAL"')).toBe(true);
    expect(matches('userName eq "other@okta.local"')).toBe(false);
    expect(matches('USERNAME EQ "test.user@okta.local"')).toBe(true);
  });

  it('compares id and externalId case-exactly', () => {
    expect(matches('id eq "a1B2-c3"')).toBe(true);
    expect(matches('id eq "A1B2-C3"')).toBe(false);
    expect(matches('externalId eq "00ujl29u0le5T6Aj10h7"')).toBe(true);
    expect(matches('externalId eq "00UJL29U0LE5T6AJ10H7"')).toBe(false);
  });

  it("matches Entra's unquoted externalId and its and-combined filters", () => {
    const entra = { ...user, externalId: 'jyoung' };
    expect(matches('externalId eq jyoung', entra)).toBe(true);
    expect(matches('externalId eq jyoung and userName eq "test.user@okta.local"', entra)).toBe(true);
    expect(matches('externalId eq jyoung and userName eq "x@y.z"', entra)).toBe(false);
    expect(matches('externalId eq 12', { ...user, externalId: '12' })).toBe(true);
  });

  it('matches Entra\'s emails[type eq "work"].value eq filter', () => {
    expect(matches('emails[type eq "work"].value eq "TEST.USER@okta.local"')).toBe(true);
    expect(matches('emails[type eq "home"].value eq "test.user@okta.local"')).toBe(false);
    expect(matches('emails[type eq "work" and primary eq true]')).toBe(true);
    expect(matches('emails[type eq "home" and primary eq true]')).toBe(false);
  });

  it('matches any value of a multi-valued attribute', () => {
    expect(matches('emails.value eq "test@home.example"')).toBe(true);
    expect(matches('emails co "home.example"')).toBe(true);
    expect(matches('emails.type eq "other"')).toBe(false);
    expect(matches('roles.value eq "ADMIN"')).toBe(true);
  });

  it('treats ne as not eq, also on multi-valued and missing attributes', () => {
    expect(matches('emails.value ne "test@home.example"')).toBe(false);
    expect(matches('emails.value ne "nobody@x.y"')).toBe(true);
    expect(matches('title ne "Boss"')).toBe(true);
    expect(matches('displayName ne "test user"')).toBe(false);
  });

  it('evaluates co, sw, ew and string ordering', () => {
    expect(matches('name.familyName co "o\'mal"')).toBe(true);
    expect(matches('userName sw "test."')).toBe(true);
    expect(matches('userName ew "@OKTA.local"')).toBe(true);
    expect(matches('userName sw "user"')).toBe(false);
    expect(matches('displayName gt "Test"')).toBe(true);
    expect(matches('displayName lt "Test"')).toBe(false);
    expect(matches('displayName ge "test user"')).toBe(true);
    expect(matches('displayName le "TEST USER"')).toBe(true);
  });

  it('tests presence, including empty values and complex attributes', () => {
    expect(matches('title pr')).toBe(false);
    expect(matches('name pr')).toBe(true);
    expect(matches('emails pr')).toBe(true);
    expect(matches('nickName pr', { ...user, nickName: '' })).toBe(false);
    expect(matches('emails pr', { ...user, emails: [] })).toBe(false);
    expect(matches('name pr', { ...user, name: { givenName: null } })).toBe(false);
    expect(matches('title eq null')).toBe(true);
    expect(matches('title ne null')).toBe(false);
  });

  it('compares dateTimes as instants', () => {
    expect(matches('meta.lastModified gt "2024-03-01T12:00:00Z"')).toBe(true);
    expect(matches('meta.lastModified gt "2024-03-01T14:00:00+02:00"')).toBe(true);
    expect(matches('meta.lastModified eq "2024-03-01T12:30:00Z"')).toBe(true);
    expect(matches('meta.lastModified lt "2024-03-01T12:30:00Z"')).toBe(false);
    expect(matches('meta.lastModified le "2024-03-01T12:30:00Z"')).toBe(true);
    expect(matches('meta.created ge "2024-01-10T08:00:00Z"')).toBe(true);
    expect(matches('meta.lastModified sw "2024-03"')).toBe(true);
    expect(matches('meta.resourceType eq "User"')).toBe(true);
  });

  it('compares booleans with eq and ne only', () => {
    expect(matches('active eq true')).toBe(true);
    expect(matches('active eq false')).toBe(false);
    expect(matches('active ne false')).toBe(true);
    expect(matches('active eq true', { ...user, active: 'True' })).toBe(true);
    expect(rejected('active gt true').detail).toContain('boolean');
    expect(rejected('active eq "yes"').detail).toContain('boolean');
  });

  it('reads extension attributes under their URN, with or without the prefix', () => {
    expect(matches(`${ENTERPRISE}:employeeNumber eq "7"`)).toBe(true);
    expect(matches('employeeNumber eq 7')).toBe(true);
    expect(matches(`${ENTERPRISE}:manager.value eq "m-1"`)).toBe(true);
    expect(matches(`${ROSTER}:role eq "Admin"`)).toBe(true);
    expect(matches('employeeNumber eq "8"')).toBe(false);
    expect(matches('employeeNumber pr', { ...user, [ENTERPRISE]: {} })).toBe(false);
  });

  it('combines with and, or, not and parentheses', () => {
    expect(matches('title pr or userName sw "test"')).toBe(true);
    expect(matches('not (active eq true)')).toBe(false);
    expect(matches('active eq true and not (emails[type eq "other"])')).toBe(true);
    expect(matches('(title pr or active eq true) and displayName co "user"')).toBe(true);
  });

  it('matches the schemas attribute', () => {
    expect(matches(`schemas eq "${ENTERPRISE}"`)).toBe(true);
    expect(matches('schemas eq "urn:other"')).toBe(false);
  });

  it('matches Group displayName and members', () => {
    expect(matches('displayName eq "engineering"', group, 'Group')).toBe(true);
    expect(matches('members[value eq "u2"]', group, 'Group')).toBe(true);
    expect(matches('members[value eq "U2"]', group, 'Group')).toBe(false);
    expect(matches('members.value eq "u1"', group, 'Group')).toBe(true);
    expect(
      matches('members[display pr]', { ...group, members: [{ value: 'u2', display: null }] }, 'Group'),
    ).toBe(false);
  });

  it('rejects unknown attributes and impossible comparisons with invalidFilter', () => {
    expect(rejected('nope eq "x"').detail).toContain("'nope'");
    expect(rejected('name.nope eq "x"').detail).toContain('name.nope');
    expect(rejected('emails[nope eq "x"]').detail).toContain("'nope'");
    expect(rejected('userName[value eq "x"]').detail).toContain('not complex');
    expect(rejected('name eq "x"').detail).toContain('complex');
    expect(rejected('meta.lastModified gt "yesterday"').detail).toContain('dateTime');
    expect(rejected('userName eq true').detail).toContain('string');
    expect(rejected('userName gt null').detail).toContain('null');
    expect(rejected('members pr', 'User').detail).toContain('members');
  });

  it('reports type errors even when the faulty branch is not reached', () => {
    expect(() => matches('userName eq "nobody" and active gt true')).toThrow(ScimError);
  });
});
