import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../shared/scim/error';
import type { Filter } from '../../../shared/scim/filter-ast';
import { MAX_FILTER_LENGTH, parseAttrPath, parseFilter } from '../../../shared/scim/filter';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function invalidFilter(text: string): ScimError {
  try {
    parseFilter(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    const scimError = error as ScimError;
    expect(scimError.status).toBe(400);
    expect(scimError.scimType).toBe('invalidFilter');
    return scimError;
  }
  throw new Error(`expected '${text}' to be rejected`);
}

describe('parseFilter', () => {
  it('parses Okta userName and displayName lookups', () => {
    expect(parseFilter('userName eq "test.user@okta.local"')).toEqual({
      kind: 'compare',
      path: { name: 'userName' },
      op: 'eq',
      value: 'test.user@okta.local',
    });
    expect(parseFilter('displayName eq "Engineering"')).toEqual({
      kind: 'compare',
      path: { name: 'displayName' },
      op: 'eq',
      value: 'Engineering',
    });
  });

  it("reads Entra's unquoted externalId value as a string", () => {
    expect(parseFilter('externalId eq jyoung')).toEqual({
      kind: 'compare',
      path: { name: 'externalId' },
      op: 'eq',
      value: 'jyoung',
    });
    expect(parseFilter('externalId eq jyoung and userName eq "j@x.y"')).toMatchObject({
      kind: 'and',
      left: { value: 'jyoung' },
      right: { value: 'j@x.y' },
    });
  });

  it('parses Entra\'s emails[type eq "work"].value eq filter as a value path', () => {
    expect(parseFilter('emails[type eq "work"].value eq "x@y.z"')).toEqual({
      kind: 'valuePath',
      path: { name: 'emails' },
      filter: {
        kind: 'and',
        left: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' },
        right: { kind: 'compare', path: { name: 'value' }, op: 'eq', value: 'x@y.z' },
      },
    });
  });

  it('parses a value path with a logical inner filter', () => {
    expect(parseFilter('emails[type eq "work" and primary eq true]')).toEqual({
      kind: 'valuePath',
      path: { name: 'emails' },
      filter: {
        kind: 'and',
        left: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' },
        right: { kind: 'compare', path: { name: 'primary' }, op: 'eq', value: true },
      },
    });
  });

  it('parses every comparison operator, case-insensitively', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'] as const) {
      expect(parseFilter(`title ${op.toUpperCase()} "x"`)).toEqual({
        kind: 'compare',
        path: { name: 'title' },
        op,
        value: 'x',
      });
    }
    expect(parseFilter('title Pr')).toEqual({ kind: 'present', path: { name: 'title' } });
  });

  it('parses URN-prefixed attribute paths and sub-attributes', () => {
    expect(parseFilter(`${ENTERPRISE}:employeeNumber eq "7"`)).toMatchObject({
      path: { uri: ENTERPRISE, name: 'employeeNumber' },
    });
    expect(parseFilter(`${ENTERPRISE}:manager.value eq "m1"`)).toMatchObject({
      path: { uri: ENTERPRISE, name: 'manager', sub: 'value' },
    });
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:name.givenName sw "J"')).toMatchObject({
      path: { uri: 'urn:ietf:params:scim:schemas:core:2.0:User', name: 'name', sub: 'givenName' },
      op: 'sw',
    });
    expect(parseFilter('meta.lastModified gt "2011-05-13T04:42:34Z"')).toMatchObject({
      path: { name: 'meta', sub: 'lastModified' },
      op: 'gt',
    });
  });

  it('gives not precedence over and, and and over or', () => {
    const parsed = parseFilter('a eq 1 or b eq 2 and not (c eq 3)');
    expect(parsed).toEqual<Filter>({
      kind: 'or',
      left: { kind: 'compare', path: { name: 'a' }, op: 'eq', value: 1 },
      right: {
        kind: 'and',
        left: { kind: 'compare', path: { name: 'b' }, op: 'eq', value: 2 },
        right: { kind: 'not', filter: { kind: 'compare', path: { name: 'c' }, op: 'eq', value: 3 } },
      },
    });
  });

  it('associates and/or to the left and honours parentheses', () => {
    expect(parseFilter('a pr and b pr and c pr')).toMatchObject({
      kind: 'and',
      left: { kind: 'and', left: { path: { name: 'a' } }, right: { path: { name: 'b' } } },
      right: { path: { name: 'c' } },
    });
    expect(parseFilter('(a pr or b pr) and c pr')).toMatchObject({
      kind: 'and',
      left: { kind: 'or' },
      right: { path: { name: 'c' } },
    });
    expect(parseFilter('a pr AND (b pr OR c pr)')).toMatchObject({ kind: 'and', right: { kind: 'or' } });
    expect(parseFilter('NOT(a pr)')).toEqual({
      kind: 'not',
      filter: { kind: 'present', path: { name: 'a' } },
    });
  });

  it('parses the RFC 7644 §3.4.2.2 examples', () => {
    const examples = [
      'userName eq "bjensen"',
      'name.familyName co "O\'Malley"',
      'userName sw "J"',
      'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
      'title pr',
      'meta.lastModified gt "2011-05-13T04:42:34Z"',
      'meta.lastModified ge "2011-05-13T04:42:34Z"',
      'meta.lastModified lt "2011-05-13T04:42:34Z"',
      'meta.lastModified le "2011-05-13T04:42:34Z"',
      'title pr and userType eq "Employee"',
      'title pr or userType eq "Intern"',
      'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      'userType eq "Employee" and (emails.type eq "work")',
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    ];
    for (const example of examples) expect(() => parseFilter(example)).not.toThrow();
  });

  it('decodes JSON string escapes', () => {
    expect(parseFilter('displayName eq "a \\"quoted\\" \\\\ name \\u00e9"')).toMatchObject({
      value: 'a "quoted" \\ name é',
    });
    expect(parseFilter('displayName eq "with ) and ] inside"')).toMatchObject({
      value: 'with ) and ] inside',
    });
  });

  it('reads true, false, null and numbers, case-insensitively for the literals', () => {
    expect(parseFilter('active eq TRUE')).toMatchObject({ value: true });
    expect(parseFilter('active eq false')).toMatchObject({ value: false });
    expect(parseFilter('title eq null')).toMatchObject({ value: null });
    expect(parseFilter('n gt -1.5e3')).toMatchObject({ value: -1500 });
    expect(parseFilter('n eq 0')).toMatchObject({ value: 0 });
  });

  it('does not mistake attribute names that start with a keyword for keywords', () => {
    expect(parseFilter('organization eq "x" or notes pr')).toMatchObject({
      kind: 'or',
      left: { path: { name: 'organization' } },
      right: { kind: 'present', path: { name: 'notes' } },
    });
  });

  it('tolerates extra whitespace', () => {
    expect(parseFilter('  ( userName  eq  "a" )  and\tactive eq true ')).toMatchObject({ kind: 'and' });
  });

  it.each([
    ['', 'Expected an attribute path'],
    ['userName', 'Expected a space'],
    ['userName eq', 'Expected a space'],
    ['userName eq ', 'Expected a value'],
    ['userName xx "a"', 'Expected an operator'],
    ['userName eq "a', 'Unterminated string'],
    ['userName eq "a\\q"', 'Invalid string'],
    ['(userName eq "a"', "Expected ')'"],
    ['userName eq "a")', 'Unexpected'],
    ['userName eq "a" and', 'Expected an attribute path'],
    ['userName eq "a" foo', 'Unexpected'],
    ['emails[type eq "work"', "Expected ']'"],
    ['emails[type eq "work"].', 'sub-attribute'],
    ['emails[type eq "work"].value', 'Expected a space'],
    ['emails[types[x eq 1]]', 'another value filter'],
    ['name.givenName[x eq 1]', 'multi-valued'],
    ['1abc eq "x"', 'not an attribute path'],
    ['a.b.c eq "x"', 'not an attribute path'],
    [':name eq "x"', 'not an attribute path'],
    ['a eq a"b', 'Malformed value'],
  ])('rejects %j with invalidFilter (%s)', (text, detail) => {
    expect(invalidFilter(text).detail).toContain(detail);
  });

  it('rejects over-long filters', () => {
    const text = `userName eq "${'a'.repeat(MAX_FILTER_LENGTH)}"`;
    expect(invalidFilter(text).detail).toContain('longer than');
  });

  it('rejects pathological nesting without overflowing the stack', () => {
    expect(invalidFilter(`${'('.repeat(500)}a pr${')'.repeat(500)}`).detail).toContain('deeper');
    expect(invalidFilter(`${'not ('.repeat(100)}a pr${')'.repeat(100)}`).detail).toContain('deeper');
    expect(() => parseFilter(`${'('.repeat(20)}a pr${')'.repeat(20)}`)).not.toThrow();
  });
});

describe('parseAttrPath', () => {
  it('splits a URN prefix at the last colon', () => {
    expect(parseAttrPath(`${ENTERPRISE}:manager.displayName`)).toEqual({
      uri: ENTERPRISE,
      name: 'manager',
      sub: 'displayName',
    });
    expect(parseAttrPath('members.$ref')).toEqual({ name: 'members', sub: '$ref' });
  });
});
