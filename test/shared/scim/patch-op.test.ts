import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../shared/scim/error';
import type { JsonValue } from '../../../shared/scim/json';
import { MAX_PATCH_OPERATIONS, PATCH_OP_SCHEMA, parsePatchRequest } from '../../../shared/scim/patch-op';

function rejected(body: JsonValue): ScimError {
  try {
    parsePatchRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(400);
    return error as ScimError;
  }
  throw new Error(`expected ${JSON.stringify(body)} to be rejected`);
}

describe('parsePatchRequest', () => {
  it("reads Okta's path-less deactivation", () => {
    expect(
      parsePatchRequest({
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', value: { active: false } }],
      }),
    ).toEqual([{ op: 'replace', value: { active: false } }]);
  });

  it("reads Entra's capitalised ops and parses their paths", () => {
    const ops = parsePatchRequest({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Add', path: 'nickName', value: 'Babs' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'x@y.z' },
        { op: 'Remove', path: 'members', value: [{ value: 'u1091' }] },
      ],
    });
    expect(ops).toEqual([
      { op: 'replace', path: { attr: { name: 'active' } }, value: 'False' },
      { op: 'add', path: { attr: { name: 'nickName' } }, value: 'Babs' },
      {
        op: 'replace',
        path: {
          attr: { name: 'emails' },
          filter: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' },
          subAttr: 'value',
        },
        value: 'x@y.z',
      },
      { op: 'remove', path: { attr: { name: 'members' } }, value: [{ value: 'u1091' }] },
    ]);
  });

  it('accepts a missing schemas, a lower-case operations key and upper-case member keys', () => {
    expect(parsePatchRequest({ operations: [{ OP: 'REMOVE', Path: 'title' }] })).toEqual([
      { op: 'remove', path: { attr: { name: 'title' } } },
    ]);
  });

  it('treats a null or empty path as absent', () => {
    expect(parsePatchRequest({ Operations: [{ op: 'add', path: null, value: { title: 'x' } }] })).toEqual([
      { op: 'add', value: { title: 'x' } },
    ]);
    expect(parsePatchRequest({ Operations: [{ op: 'add', path: '', value: { title: 'x' } }] })).toEqual([
      { op: 'add', value: { title: 'x' } },
    ]);
  });

  it('keeps null values, which clear an attribute on replace', () => {
    expect(parsePatchRequest({ Operations: [{ op: 'replace', path: 'title', value: null }] })).toEqual([
      { op: 'replace', path: { attr: { name: 'title' } }, value: null },
    ]);
  });

  it('accepts an empty list of operations as a no-op', () => {
    expect(parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: [] })).toEqual([]);
  });

  it('rejects bodies that are not PatchOp messages with invalidSyntax', () => {
    expect(rejected([]).scimType).toBe('invalidSyntax');
    expect(
      rejected({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [] }).scimType,
    ).toBe('invalidSyntax');
    expect(rejected({ schemas: [PATCH_OP_SCHEMA] }).detail).toContain('Operations');
    expect(rejected({ Operations: {} }).scimType).toBe('invalidSyntax');
    expect(rejected({ Operations: ['add'] }).detail).toContain('Operations[0]');
    expect(rejected({ Operations: [{ op: 'merge', path: 'title', value: 'x' }] }).detail).toContain(
      '"merge"',
    );
    expect(rejected({ Operations: [{ path: 'title', value: 'x' }] }).scimType).toBe('invalidSyntax');
  });

  it('requires a path on remove (noTarget)', () => {
    const error = rejected({ Operations: [{ op: 'remove', value: { title: 'x' } }] });
    expect(error.scimType).toBe('noTarget');
  });

  it('requires a value on add and replace (invalidValue)', () => {
    expect(rejected({ Operations: [{ op: 'add', path: 'title' }] }).scimType).toBe('invalidValue');
    expect(rejected({ Operations: [{ op: 'replace' }] }).scimType).toBe('invalidValue');
    expect(rejected({ Operations: [{ op: 'replace', value: 'x' }] }).detail).toContain(
      'object of attributes',
    );
  });

  it('reports path errors as invalidPath, naming the operation where it can', () => {
    expect(rejected({ Operations: [{ op: 'add', path: 'emails[type eq', value: 'x' }] }).scimType).toBe(
      'invalidPath',
    );
    expect(rejected({ Operations: [{ op: 'add', path: 3, value: 'x' }] }).detail).toContain(
      'Operations[0].path',
    );
  });

  it('refuses more operations than the limit', () => {
    const operations = Array.from({ length: MAX_PATCH_OPERATIONS + 1 }, () => ({
      op: 'add',
      path: 'title',
      value: 'x',
    }));
    expect(rejected({ Operations: operations }).scimType).toBe('tooMany');
    expect(parsePatchRequest({ Operations: operations.slice(1) })).toHaveLength(MAX_PATCH_OPERATIONS);
  });
});
