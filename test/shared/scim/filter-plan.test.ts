import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../shared/scim/filter';
import { indexedLookup } from '../../../shared/scim/filter-plan';
import type { ResourceTypeName } from '../../../shared/scim/schemas/attribute';

function plan(filter: string, resourceType: ResourceTypeName = 'User') {
  return indexedLookup(resourceType, parseFilter(filter));
}

describe('indexedLookup', () => {
  it("serves Okta's user and group lookups from userName and displayName", () => {
    expect(plan('userName eq "test.user@okta.local"')).toEqual({
      attribute: 'userName',
      value: 'test.user@okta.local',
    });
    expect(plan('displayName eq "Engineering"', 'Group')).toEqual({
      attribute: 'displayName',
      value: 'Engineering',
    });
  });

  it("serves Entra's lookups, including the unquoted externalId", () => {
    expect(plan('externalId eq jyoung')).toEqual({ attribute: 'externalId', value: 'jyoung' });
    expect(plan('externalId eq 1234')).toEqual({ attribute: 'externalId', value: '1234' });
    expect(plan('emails[type eq "work"].value eq "x@y.z"')).toEqual({ attribute: 'emails', value: 'x@y.z' });
    expect(plan('userName eq "7f4b6d5e-0a43-4f8e-9b8f-1a2b3c4d5e6f"')).toEqual({
      attribute: 'userName',
      value: '7f4b6d5e-0a43-4f8e-9b8f-1a2b3c4d5e6f',
    });
    expect(plan('externalId eq "g-1"', 'Group')).toEqual({ attribute: 'externalId', value: 'g-1' });
  });

  it('takes an indexed conjunct of an and, at any depth, preferring the most selective', () => {
    expect(plan('externalId eq jyoung and userName eq "j@x.y"')).toEqual({
      attribute: 'userName',
      value: 'j@x.y',
    });
    expect(plan('active eq true and (title pr and externalId eq "e1")')).toEqual({
      attribute: 'externalId',
      value: 'e1',
    });
    expect(plan('emails.value eq "a@b.c" and id eq "u1"')).toEqual({ attribute: 'id', value: 'u1' });
  });

  it('recognises every spelling of an email lookup', () => {
    expect(plan('emails.value eq "a@b.c"')).toEqual({ attribute: 'emails', value: 'a@b.c' });
    expect(plan('emails eq "a@b.c"')).toEqual({ attribute: 'emails', value: 'a@b.c' });
    expect(plan('emails[value eq "a@b.c"]')).toEqual({ attribute: 'emails', value: 'a@b.c' });
    expect(plan('EMAILS[Type Eq "work" AND Value EQ "a@b.c"]')).toEqual({
      attribute: 'emails',
      value: 'a@b.c',
    });
    expect(plan('urn:ietf:params:scim:schemas:core:2.0:User:emails.value eq "a@b.c"')).toEqual({
      attribute: 'emails',
      value: 'a@b.c',
    });
  });

  it('accepts attribute names in any case and with the core URN, and returns canonical names', () => {
    expect(plan('USERNAME eq "a"')).toEqual({ attribute: 'userName', value: 'a' });
    expect(plan('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a"')).toEqual({
      attribute: 'userName',
      value: 'a',
    });
    expect(plan('ExternalID eq "a"')).toEqual({ attribute: 'externalId', value: 'a' });
  });

  it('finds nothing usable in or, not, other operators or unindexed attributes', () => {
    expect(plan('userName eq "a" or userName eq "b"')).toBeUndefined();
    expect(plan('not (userName eq "a")')).toBeUndefined();
    expect(plan('userName sw "a"')).toBeUndefined();
    expect(plan('userName ne "a"')).toBeUndefined();
    expect(plan('userName eq null')).toBeUndefined();
    expect(plan('displayName eq "Test User"')).toBeUndefined();
    expect(plan('emails.type eq "work"')).toBeUndefined();
    expect(plan('emails[type eq "work"]')).toBeUndefined();
    expect(plan('emails[value eq "a" or type eq "work"]')).toBeUndefined();
    expect(plan('userName eq "a"', 'Group')).toBeUndefined();
    expect(plan('meta.resourceType eq "User"')).toBeUndefined();
    expect(
      plan('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7"'),
    ).toBeUndefined();
  });
});
