import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../shared/scim/error';
import type { ScimType } from '../../../shared/scim/error';
import type { JsonObject, JsonValue } from '../../../shared/scim/json';
import { applyPatch } from '../../../shared/scim/patch';
import { parsePatchRequest } from '../../../shared/scim/patch-op';
import type { ResourceTypeName } from '../../../shared/scim/schemas/attribute';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ROSTER = 'urn:ietf:params:scim:schemas:extension:roster:2.0:User';

function user(extra: JsonObject = {}): JsonObject {
  return {
    schemas: [USER],
    id: 'u-1',
    userName: 'babs@example.com',
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    active: true,
    emails: [{ value: 'babs@example.com', type: 'work', primary: true }],
    ...extra,
  };
}

function group(extra: JsonObject = {}): JsonObject {
  return { schemas: [GROUP], id: 'g-1', displayName: 'Engineering', ...extra };
}

function patch(
  body: JsonObject,
  operations: JsonValue[],
  resourceType: ResourceTypeName = 'User',
): JsonObject {
  return applyPatch(resourceType, body, parsePatchRequest({ Operations: operations }));
}

function rejected(
  body: JsonObject,
  operations: JsonValue[],
  scimType: ScimType,
  resourceType: ResourceTypeName = 'User',
): ScimError {
  try {
    patch(body, operations, resourceType);
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(400);
    expect((error as ScimError).scimType).toBe(scimType);
    return error as ScimError;
  }
  throw new Error(`expected ${JSON.stringify(operations)} to be rejected`);
}

describe('applyPatch: Okta', () => {
  it('deactivates and reactivates with a path-less replace', () => {
    const off = patch(user(), [{ op: 'replace', value: { active: false } }]);
    expect(off.active).toBe(false);
    expect(patch(off, [{ op: 'replace', value: { active: true } }]).active).toBe(true);
  });

  it('accepts and drops a password, whatever the op', () => {
    const body = user();
    expect(patch(body, [{ op: 'replace', value: { password: '1mz050nq' } }])).toEqual(body);
    expect(patch(body, [{ op: 'replace', path: 'password', value: 'x' }])).toEqual(body);
    expect(patch(body, [{ op: 'remove', path: 'password' }])).toEqual(body);
  });

  it('renames a group while ignoring the unchanged id it sends back', () => {
    const renamed = patch(
      group(),
      [{ op: 'replace', value: { id: 'g-1', displayName: 'Platform' } }],
      'Group',
    );
    expect(renamed).toEqual(group({ displayName: 'Platform' }));
  });

  it('refuses a changed id with mutability', () => {
    rejected(group(), [{ op: 'replace', value: { id: 'other', displayName: 'X' } }], 'mutability', 'Group');
    rejected(user(), [{ op: 'replace', path: 'id', value: 'other' }], 'mutability');
    rejected(user(), [{ op: 'remove', path: 'id' }], 'mutability');
  });

  it('ignores echoed read-only values that are empty or unchanged, and meta', () => {
    const body = user();
    expect(
      patch(body, [
        {
          op: 'replace',
          value: { id: null, groups: [], meta: { resourceType: 'User', lastModified: 'stale' } },
        },
      ]),
    ).toEqual(body);
    rejected(body, [{ op: 'add', path: 'groups', value: [{ value: 'g-1' }] }], 'mutability');
  });
});

describe('applyPatch: Entra without aadOptscim062020', () => {
  it('coerces "False" and "True" to booleans', () => {
    expect(patch(user(), [{ op: 'Replace', path: 'active', value: 'False' }]).active).toBe(false);
    expect(patch(user({ active: false }), [{ op: 'Replace', path: 'active', value: 'True' }]).active).toBe(
      true,
    );
    expect(patch(user(), [{ op: 'replace', value: { active: 'false' } }]).active).toBe(false);
  });

  it('adds a nickName', () => {
    expect(patch(user(), [{ op: 'Add', path: 'nickName', value: 'Babs' }]).nickName).toBe('Babs');
  });

  it('replaces the work email in place', () => {
    const result = patch(user(), [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'x@y.z' }]);
    expect(result.emails).toEqual([{ value: 'x@y.z', type: 'work', primary: true }]);
  });

  it('adds a work email for a user who has none', () => {
    const noEmail = user({ emails: [{ value: 'home@x.y', type: 'home' }] });
    const result = patch(noEmail, [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'x@y.z' }]);
    expect(result.emails).toEqual([
      { value: 'home@x.y', type: 'home' },
      { type: 'work', value: 'x@y.z' },
    ]);
    const { emails: _emails, ...bare } = user();
    expect(
      patch(bare, [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'x@y.z' }]).emails,
    ).toEqual([{ type: 'work', value: 'x@y.z' }]);
  });

  it('sets an enterprise attribute by URN path and lists the extension in schemas', () => {
    const result = patch(user(), [{ op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: '7' }]);
    expect(result[ENTERPRISE]).toEqual({ employeeNumber: '7' });
    expect(result.schemas).toEqual([USER, ENTERPRISE]);
  });
});

describe('applyPatch: Entra with aadOptscim062020', () => {
  it('takes a boolean active', () => {
    expect(patch(user(), [{ op: 'replace', path: 'active', value: false }]).active).toBe(false);
  });

  it('applies a path-less replace with dotted and URN-prefixed keys', () => {
    const result = patch(user(), [
      {
        op: 'replace',
        value: {
          displayName: 'Bjfe',
          'name.givenName': 'Kkom',
          'name.familyName': 'Unua',
          [`${ENTERPRISE}:employeeNumber`]: 'Aklq',
        },
      },
    ]);
    expect(result).toMatchObject({
      displayName: 'Bjfe',
      name: { givenName: 'Kkom', familyName: 'Unua' },
      [ENTERPRISE]: { employeeNumber: 'Aklq' },
      schemas: [USER, ENTERPRISE],
    });
  });

  it('applies a URN key whose value is an object of extension attributes', () => {
    const result = patch(user(), [
      {
        op: 'add',
        value: { [ENTERPRISE]: { department: 'R&D', manager: { value: 'm-1', displayName: 'Boss' } } },
      },
    ]);
    expect(result[ENTERPRISE]).toEqual({ department: 'R&D', manager: { value: 'm-1' } });
  });
});

describe('applyPatch: add', () => {
  it('appends to a multi-valued attribute, skipping exact duplicates', () => {
    const result = patch(user(), [
      {
        op: 'add',
        path: 'emails',
        value: [
          { value: 'babs@example.com', type: 'work', primary: true },
          { value: 'b@home.example', type: 'home' },
        ],
      },
    ]);
    expect(result.emails).toEqual([
      { value: 'babs@example.com', type: 'work', primary: true },
      { value: 'b@home.example', type: 'home' },
    ]);
  });

  it('moves primary to a newly added primary value', () => {
    const result = patch(user(), [
      { op: 'add', path: 'emails', value: [{ value: 'new@example.com', type: 'other', primary: true }] },
    ]);
    expect(result.emails).toEqual([
      { value: 'babs@example.com', type: 'work', primary: false },
      { value: 'new@example.com', type: 'other', primary: true },
    ]);
  });

  it('accepts a single object where an array belongs (OneLogin)', () => {
    const { emails: _emails, ...bare } = user();
    expect(
      patch(bare, [{ op: 'add', value: { emails: { value: 'a@b.c', primary: 'true' } } }]).emails,
    ).toEqual([{ value: 'a@b.c', primary: true }]);
  });

  it('merges into a complex attribute', () => {
    const result = patch(user(), [{ op: 'add', path: 'name', value: { middleName: 'Jane' } }]);
    expect(result.name).toEqual({ givenName: 'Barbara', familyName: 'Jensen', middleName: 'Jane' });
  });

  it('sets a sub-attribute, creating its parent', () => {
    const { name: _name, ...bare } = user();
    expect(patch(bare, [{ op: 'add', path: 'name.givenName', value: 'B' }]).name).toEqual({ givenName: 'B' });
    const result = patch(user(), [{ op: 'add', path: `${ENTERPRISE}:manager.value`, value: 'm-2' }]);
    expect(result[ENTERPRISE]).toEqual({ manager: { value: 'm-2' } });
  });

  it('writes attributes under their canonical names whatever the case sent', () => {
    const result = patch(user(), [
      { op: 'add', path: 'NICKNAME', value: 'B' },
      { op: 'replace', value: { DisplayName: 'Babs', 'NAME.GIVENNAME': 'Bee' } },
      { op: 'add', path: `${ENTERPRISE.toUpperCase()}:COSTCENTER`, value: 'CC' },
    ]);
    expect(result).toMatchObject({ nickName: 'B', displayName: 'Babs', name: { givenName: 'Bee' } });
    expect(result[ENTERPRISE]).toEqual({ costCenter: 'CC' });
    expect(Object.keys(result)).not.toContain('NICKNAME');
  });

  it('sets the roster role and the admin role', () => {
    const result = patch(user(), [
      { op: 'add', path: `${ROSTER}:role`, value: 'admin' },
      { op: 'add', path: 'roles', value: [{ value: 'admin' }] },
    ]);
    expect(result[ROSTER]).toEqual({ role: 'admin' });
    expect(result.roles).toEqual([{ value: 'admin' }]);
    expect(result.schemas).toEqual([USER, ROSTER]);
  });

  it('adds nothing for a null value', () => {
    expect(patch(user(), [{ op: 'add', path: 'title', value: null }])).toEqual(user());
  });
});

describe('applyPatch: replace', () => {
  it('replaces every value of a multi-valued attribute, and clears it with []', () => {
    const emails = [{ value: 'n@x.y', type: 'work', primary: true }];
    expect(patch(user(), [{ op: 'replace', path: 'emails', value: emails }]).emails).toEqual(emails);
    expect(patch(user(), [{ op: 'replace', path: 'emails', value: [] }])).not.toHaveProperty('emails');
  });

  it('keeps sub-attributes a complex replace leaves out (RFC 7644 §3.5.2.3)', () => {
    expect(patch(user(), [{ op: 'replace', path: 'name', value: { givenName: 'B' } }]).name).toEqual({
      givenName: 'B',
      familyName: 'Jensen',
    });
  });

  it('clears an attribute replaced with null', () => {
    expect(patch(user({ title: 'CEO' }), [{ op: 'replace', path: 'title', value: null }])).not.toHaveProperty(
      'title',
    );
  });

  it('replaces whole matching values for a filter without sub-attribute', () => {
    const result = patch(user(), [
      { op: 'replace', path: 'emails[type eq "work"]', value: { value: 'w@x.y', type: 'work' } },
    ]);
    expect(result.emails).toEqual([{ value: 'w@x.y', type: 'work' }]);
  });

  it('moves primary when a filtered replace makes a value primary', () => {
    const body = user({
      emails: [
        { value: 'a@x.y', type: 'work', primary: true },
        { value: 'b@x.y', type: 'home' },
      ],
    });
    const result = patch(body, [{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }]);
    expect(result.emails).toEqual([
      { value: 'a@x.y', type: 'work', primary: false },
      { value: 'b@x.y', type: 'home', primary: true },
    ]);
  });

  it('fails with noTarget when a filter matches nothing and names no value to create', () => {
    rejected(
      user(),
      [{ op: 'replace', path: 'emails[value eq "none@x.y"].type', value: 'home' }],
      'noTarget',
    );
    rejected(
      user(),
      [{ op: 'replace', path: 'emails[type sw "w" and primary eq false].value', value: 'x' }],
      'noTarget',
    );
  });

  it('refuses a number for a string, as POST and PUT do (one validation for every write)', () => {
    for (const path of [`${ENTERPRISE}:employeeNumber`, 'userName', 'displayName']) {
      expect(() => patch(user(), [{ op: 'replace', path, value: 42 }])).toThrow(/must be a string/);
    }
    expect(() => patch(user(), [{ op: 'replace', value: { userName: 42 } }])).toThrow(/must be a string/);
  });
});

describe('applyPatch: remove', () => {
  it('removes a single-valued attribute and a sub-attribute', () => {
    expect(patch(user({ title: 'CEO' }), [{ op: 'remove', path: 'title' }])).not.toHaveProperty('title');
    expect(patch(user(), [{ op: 'remove', path: 'name.givenName' }]).name).toEqual({ familyName: 'Jensen' });
    expect(
      patch(user({ name: { givenName: 'B' } }), [{ op: 'remove', path: 'name.givenName' }]),
    ).not.toHaveProperty('name');
  });

  it('removes the values a filter matches', () => {
    const body = user({
      emails: [
        { value: 'a@x.y', type: 'work', primary: true },
        { value: 'b@x.y', type: 'home' },
      ],
    });
    expect(patch(body, [{ op: 'remove', path: 'emails[type eq "home"]' }]).emails).toEqual([
      { value: 'a@x.y', type: 'work', primary: true },
    ]);
    expect(patch(body, [{ op: 'remove', path: 'emails[type eq "work"].primary' }]).emails).toEqual([
      { value: 'a@x.y', type: 'work' },
      { value: 'b@x.y', type: 'home' },
    ]);
    expect(patch(body, [{ op: 'remove', path: 'emails[type eq "other"]' }])).toEqual(body);
    expect(patch(body, [{ op: 'remove', path: 'emails[value co "@x.y"]' }])).not.toHaveProperty('emails');
  });

  it('removes only the listed values when remove carries a value array (Entra, JumpCloud)', () => {
    const body = user({ roles: [{ value: 'admin' }, { value: 'viewer' }] });
    expect(patch(body, [{ op: 'Remove', path: 'roles', value: [{ value: 'admin' }] }]).roles).toEqual([
      { value: 'viewer' },
    ]);
    expect(patch(body, [{ op: 'remove', path: 'roles', value: [] }]).roles).toEqual(body.roles);
    expect(patch(body, [{ op: 'remove', path: 'roles' }])).not.toHaveProperty('roles');
  });

  it('removes the last extension attribute and its schema URN', () => {
    const body = user({ schemas: [USER, ENTERPRISE], [ENTERPRISE]: { employeeNumber: '7' } });
    const result = patch(body, [{ op: 'remove', path: `${ENTERPRISE}:employeeNumber` }]);
    expect(result).not.toHaveProperty(ENTERPRISE);
    expect(result.schemas).toEqual([USER]);
  });

  it('removes a whole extension addressed by its URN', () => {
    const body = user({
      schemas: [USER, ENTERPRISE],
      [ENTERPRISE]: { employeeNumber: '7', department: 'D' },
    });
    const result = patch(body, [{ op: 'remove', path: ENTERPRISE }]);
    expect(result).not.toHaveProperty(ENTERPRISE);
    expect(result.schemas).toEqual([USER]);
  });

  it('refuses to remove a required attribute', () => {
    rejected(user(), [{ op: 'remove', path: 'userName' }], 'invalidValue');
    rejected(group(), [{ op: 'replace', path: 'displayName', value: null }], 'invalidValue', 'Group');
  });
});

describe('applyPatch: validation and atomicity', () => {
  it('reports unknown attributes as invalidPath in a path and invalidValue in a value', () => {
    expect(rejected(user(), [{ op: 'add', path: 'nope', value: 'x' }], 'invalidPath').detail).toContain(
      'nope',
    );
    expect(rejected(user(), [{ op: 'add', value: { nope: 'x' } }], 'invalidValue').detail).toContain('nope');
    rejected(user(), [{ op: 'add', path: 'name.nope', value: 'x' }], 'invalidPath');
    rejected(user(), [{ op: 'add', path: 'emails', value: [{ value: 'a@b.c', nope: 1 }] }], 'invalidValue');
    rejected(user(), [{ op: 'replace', path: 'emails[type eq "work"].nope', value: 'x' }], 'invalidPath');
    rejected(user(), [{ op: 'replace', path: 'emails[nope eq "work"].value', value: 'x' }], 'invalidPath');
  });

  it('rejects type mismatches with invalidValue', () => {
    rejected(user(), [{ op: 'replace', path: 'active', value: 'maybe' }], 'invalidValue');
    rejected(user(), [{ op: 'replace', path: 'displayName', value: true }], 'invalidValue');
    rejected(user(), [{ op: 'replace', path: 'name', value: 'B' }], 'invalidValue');
    rejected(
      user(),
      [{ op: 'replace', path: 'emails[type eq "work"].primary', value: 'yes' }],
      'invalidValue',
    );
  });

  it('refuses two primary values', () => {
    const emails = [
      { value: 'a@x.y', primary: true },
      { value: 'b@x.y', primary: true },
    ];
    rejected(user(), [{ op: 'replace', path: 'emails', value: emails }], 'invalidValue');
  });

  it('refuses a value filter on a single-valued attribute', () => {
    rejected(user(), [{ op: 'replace', path: 'name[givenName eq "B"]', value: {} }], 'invalidPath');
  });

  it('leaves the input untouched and applies nothing when any operation fails', () => {
    const body = user();
    const snapshot = structuredClone(body);
    rejected(
      body,
      [
        { op: 'replace', path: 'displayName', value: 'Changed' },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'c@x.y' },
        { op: 'add', path: 'nope', value: 'x' },
      ],
      'invalidPath',
    );
    expect(body).toEqual(snapshot);
    patch(body, [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'c@x.y' }]);
    expect(body).toEqual(snapshot);
  });

  it('applies operations in order', () => {
    const result = patch(user(), [
      { op: 'add', path: 'title', value: 'A' },
      { op: 'replace', path: 'title', value: 'B' },
      { op: 'remove', path: 'title' },
      { op: 'add', path: 'nickName', value: 'N' },
    ]);
    expect(result).not.toHaveProperty('title');
    expect(result.nickName).toBe('N');
  });

  it('refuses group members that were not split out', () => {
    expect(() => patch(group(), [{ op: 'add', path: 'members', value: [{ value: 'u1' }] }], 'Group')).toThrow(
      /splitGroupPatch/,
    );
  });
});

describe('applyPatch: a whole extension as the value', () => {
  it('ignores a schemas key inside the extension value', () => {
    const result = patch(user(), [
      { op: 'replace', path: ENTERPRISE, value: { schemas: [ENTERPRISE], department: 'Research' } },
    ]);
    expect(result[ENTERPRISE]).toEqual({ department: 'Research' });
  });
});
