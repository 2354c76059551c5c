import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../../shared/scim/json';
import { splitGroupPatch } from '../../../shared/scim/group-patch';
import { applyPatch } from '../../../shared/scim/patch';
import { parsePatchRequest } from '../../../shared/scim/patch-op';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

function group(extra: JsonObject = {}): JsonObject {
  return { schemas: [GROUP], id: 'g-1', displayName: 'Engineering', ...extra };
}

describe('splitGroupPatch', () => {
  function split(operations: JsonValue[]) {
    return splitGroupPatch(parsePatchRequest({ Operations: operations }));
  }

  it("splits Okta's membership push: remove by filter, then add", () => {
    expect(
      split([
        { op: 'remove', path: 'members[value eq "00u1"]' },
        { op: 'add', path: 'members', value: [{ value: '00u2', display: 'a@b.c' }] },
      ]),
    ).toEqual({
      attributeOps: [],
      memberOps: [
        { kind: 'remove', ids: ['00u1'] },
        { kind: 'add', members: [{ value: '00u2', display: 'a@b.c' }] },
      ],
    });
  });

  it("splits Okta's rename sent with the push, and its replace of all members", () => {
    const result = split([
      { op: 'replace', value: { id: 'g-1', displayName: 'X' } },
      { op: 'replace', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] },
    ]);
    expect(result.attributeOps).toEqual([{ op: 'replace', value: { id: 'g-1', displayName: 'X' } }]);
    expect(result.memberOps).toEqual([{ kind: 'replace', members: [{ value: 'u1' }, { value: 'u2' }] }]);
  });

  it("empties the group on Okta's replace with []", () => {
    expect(split([{ op: 'replace', path: 'members', value: [] }]).memberOps).toEqual([
      { kind: 'replace', members: [] },
    ]);
  });

  it("reads Entra's and JumpCloud's remove with a value array as removing just those members", () => {
    expect(split([{ op: 'Remove', path: 'members', value: [{ value: 'u1091' }] }]).memberOps).toEqual([
      { kind: 'remove', ids: ['u1091'] },
    ]);
    expect(split([{ op: 'remove', path: 'Members', value: [] }]).memberOps).toEqual([
      { kind: 'remove', ids: [] },
    ]);
  });

  it("reads Entra's capitalised adds with $ref: null", () => {
    expect(
      split([
        {
          op: 'Add',
          path: 'members',
          value: [
            { $ref: null, value: 'f648' },
            { $ref: null, value: 'a1b2' },
          ],
        },
      ]).memberOps,
    ).toEqual([{ kind: 'add', members: [{ value: 'f648' }, { value: 'a1b2' }] }]);
  });

  it("reads Entra's remove by filter with aadOptscim062020", () => {
    expect(split([{ op: 'remove', path: 'members[value eq "7f4b"]' }]).memberOps).toEqual([
      { kind: 'remove', ids: ['7f4b'] },
    ]);
    expect(split([{ op: 'remove', path: 'members[value eq "a" or value eq "b"]' }]).memberOps).toEqual([
      { kind: 'remove', ids: ['a', 'b'] },
    ]);
  });

  it('reads a remove of members without a value as removing all', () => {
    expect(split([{ op: 'remove', path: 'members' }]).memberOps).toEqual([{ kind: 'removeAll' }]);
  });

  it('keeps other member filters for the membership store to evaluate', () => {
    expect(split([{ op: 'remove', path: 'members[display sw "a"]' }]).memberOps).toEqual([
      { kind: 'removeWhere', filter: { kind: 'compare', path: { name: 'display' }, op: 'sw', value: 'a' } },
    ]);
  });

  it('splits a path-less add or replace whose value carries members', () => {
    const result = split([
      { op: 'replace', value: { displayName: 'X', Members: [{ value: 'u1', type: 'User', display: 'a' }] } },
      { op: 'add', value: { members: [{ value: 'u2' }] } },
    ]);
    expect(result.attributeOps).toEqual([{ op: 'replace', value: { displayName: 'X' } }]);
    expect(result.memberOps).toEqual([
      { kind: 'replace', members: [{ value: 'u1', display: 'a' }] },
      { kind: 'add', members: [{ value: 'u2' }] },
    ]);
  });

  it('passes attribute operations through untouched and in order', () => {
    const result = split([
      { op: 'replace', path: 'displayName', value: 'A' },
      { op: 'add', path: 'members', value: [{ value: 'u1' }] },
      { op: 'replace', path: 'externalId', value: 'e' },
    ]);
    expect(result.attributeOps.map((op) => op.path?.attr.name)).toEqual(['displayName', 'externalId']);
    expect(result.memberOps).toHaveLength(1);
  });

  it('refuses members without a string value', () => {
    for (const value of [[{ display: 'a' }], [{ value: 7 }], ['u1'], [{ value: '' }]]) {
      expect(() => split([{ op: 'add', path: 'members', value }])).toThrow(
        expect.objectContaining({ status: 400, scimType: 'invalidValue' }),
      );
    }
  });

  it('refuses member sub-attribute paths and filtered adds', () => {
    expect(() => split([{ op: 'replace', path: 'members[value eq "u1"].display', value: 'x' }])).toThrow(
      expect.objectContaining({ scimType: 'invalidPath' }),
    );
    expect(() => split([{ op: 'add', path: 'members[value eq "u1"]', value: [{ value: 'u1' }] }])).toThrow(
      expect.objectContaining({ scimType: 'invalidPath' }),
    );
  });

  it('leaves a group body whose attribute ops applyPatch can take', () => {
    const { attributeOps } = split([
      { op: 'replace', value: { id: 'g-1', displayName: 'Renamed', members: [] } },
    ]);
    expect(applyPatch('Group', group(), attributeOps)).toEqual(group({ displayName: 'Renamed' }));
  });
});
