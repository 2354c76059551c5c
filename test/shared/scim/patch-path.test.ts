import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../shared/scim/error';
import { formatPatchPath, parsePatchPath } from '../../../shared/scim/patch-path';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function rejected(text: string): ScimError {
  try {
    parsePatchPath(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(400);
    expect((error as ScimError).scimType).toBe('invalidPath');
    return error as ScimError;
  }
  throw new Error(`expected '${text}' to be rejected`);
}

describe('parsePatchPath', () => {
  it('parses simple, dotted and URN-prefixed paths', () => {
    expect(parsePatchPath('active')).toEqual({ attr: { name: 'active' } });
    expect(parsePatchPath('name.givenName')).toEqual({ attr: { name: 'name', sub: 'givenName' } });
    expect(parsePatchPath(`${ENTERPRISE}:employeeNumber`)).toEqual({
      attr: { uri: ENTERPRISE, name: 'employeeNumber' },
    });
    expect(parsePatchPath(`${ENTERPRISE}:manager.value`)).toEqual({
      attr: { uri: ENTERPRISE, name: 'manager', sub: 'value' },
    });
  });

  it('parses Entra\'s emails[type eq "work"].value', () => {
    expect(parsePatchPath('emails[type eq "work"].value')).toEqual({
      attr: { name: 'emails' },
      filter: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' },
      subAttr: 'value',
    });
  });

  it("parses Okta's and Entra's member removal paths", () => {
    expect(parsePatchPath('members[value eq "00u1"]')).toEqual({
      attr: { name: 'members' },
      filter: { kind: 'compare', path: { name: 'value' }, op: 'eq', value: '00u1' },
    });
    expect(parsePatchPath('Members[Value EQ "7f4b"]')).toMatchObject({
      attr: { name: 'Members' },
      filter: { op: 'eq', value: '7f4b' },
    });
  });

  it('parses logical value filters and brackets inside strings', () => {
    expect(parsePatchPath('addresses[type eq "work" and primary eq true].streetAddress')).toMatchObject({
      attr: { name: 'addresses' },
      filter: { kind: 'and' },
      subAttr: 'streetAddress',
    });
    expect(parsePatchPath('members[display eq "a]b"]')).toMatchObject({ filter: { value: 'a]b' } });
  });

  it('trims surrounding whitespace', () => {
    expect(parsePatchPath('  active ')).toEqual({ attr: { name: 'active' } });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['emails[type eq "work"', "closing ']'"],
    ['emails[type eq]', 'Expected a space'],
    ['emails[type eq "work"]value', "'.subAttribute'"],
    ['emails[type eq "work"].', "'.subAttribute'"],
    ['emails[type eq "work"].value.x', "'.subAttribute'"],
    ['name.givenName[x eq 1]', 'not to a sub-attribute'],
    ['emails[x[y eq 1]]', 'another'],
    ['a b', 'not an attribute path'],
    ['1x', 'not an attribute path'],
  ])('rejects %j with invalidPath (%s)', (text, detail) => {
    expect(rejected(text).detail).toContain(detail);
  });
});

describe('formatPatchPath', () => {
  it('writes a path back as RFC 7644 text', () => {
    expect(formatPatchPath(parsePatchPath('emails[type eq "work"].value'))).toBe(
      'emails[type eq "work"].value',
    );
    expect(formatPatchPath(parsePatchPath(`${ENTERPRISE}:manager.value`))).toBe(
      `${ENTERPRISE}:manager.value`,
    );
  });
});
