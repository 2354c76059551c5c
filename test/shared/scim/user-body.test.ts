import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../shared/scim/error';
import type { JsonValue } from '../../../shared/scim/json';
import {
  ENTERPRISE_USER_SCHEMA,
  ROSTER_USER_SCHEMA,
  USER_SCHEMA,
} from '../../../shared/scim/schemas/attribute';
import { normalizeUserBody } from '../../../shared/scim/user-body';

function rejection(input: JsonValue): ScimError {
  try {
    normalizeUserBody(input);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

const OKTA_CREATE = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: 'test.user@okta.local',
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
  displayName: 'Test User',
  locale: 'en-US',
  externalId: '00ujl29u0le5T6Aj10h7',
  groups: [],
  password: '1mz050nq',
  active: true,
};

describe('normalizeUserBody', () => {
  it("accepts Okta's create body, dropping groups and password", () => {
    const user = normalizeUserBody(OKTA_CREATE);
    expect(user).toEqual({
      userName: 'test.user@okta.local',
      externalId: '00ujl29u0le5T6Aj10h7',
      active: true,
      emails: ['test.user@okta.local'],
      body: {
        schemas: [USER_SCHEMA],
        externalId: '00ujl29u0le5T6Aj10h7',
        userName: 'test.user@okta.local',
        name: { familyName: 'User', givenName: 'Test' },
        displayName: 'Test User',
        locale: 'en-US',
        active: true,
        emails: [{ value: 'test.user@okta.local', type: 'work', primary: true }],
      },
    });
    expect(JSON.stringify(user.body)).not.toContain('1mz050nq');
  });

  it("accepts OneLogin's template quirks", () => {
    const user = normalizeUserBody({
      schemas: ['urn:scim:schemas:core:1.0'],
      id: null,
      userName: 'Ann@Example.com',
      active: 'False',
      emails: { value: 'Ann@Example.com', type: 'work' },
    });
    expect(user.active).toBe(false);
    expect(user.body.active).toBe(false);
    expect(user.emails).toEqual(['ann@example.com']);
    expect(user.body.emails).toEqual([{ value: 'Ann@Example.com', type: 'work' }]);
    expect(user.body.schemas).toEqual([USER_SCHEMA]);
    expect(user.body).not.toHaveProperty('id');
    expect(normalizeUserBody({ userName: 'a', active: 'true' }).active).toBe(true);
  });

  it("accepts Entra's body with its extension URN keys, and foreign schema URNs", () => {
    const user = normalizeUserBody({
      schemas: [
        USER_SCHEMA,
        ENTERPRISE_USER_SCHEMA,
        'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/User',
      ],
      externalId: 'jyoung',
      userName: 'jyoung@contoso.com',
      active: true,
      meta: { resourceType: 'User' },
      [ENTERPRISE_USER_SCHEMA]: {
        employeeNumber: '7',
        Department: 'Sales',
        manager: { value: 'm1', displayName: 'Boss' },
      },
    });
    expect(user.body.schemas).toEqual([USER_SCHEMA, ENTERPRISE_USER_SCHEMA]);
    expect(user.body[ENTERPRISE_USER_SCHEMA]).toEqual({
      employeeNumber: '7',
      department: 'Sales',
      manager: { value: 'm1' },
    });
    expect(user.body).not.toHaveProperty('meta');
  });

  it('canonicalises attribute casing, URN keys and extension attributes written without URN', () => {
    const user = normalizeUserBody({
      USERNAME: 'a@b.c',
      Name: { GivenName: 'A' },
      'name.familyName': 'B',
      [ROSTER_USER_SCHEMA.toUpperCase()]: { ROLE: 'admin' },
      costCenter: 'X1',
    });
    expect(user.body).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, ROSTER_USER_SCHEMA],
      userName: 'a@b.c',
      name: { familyName: 'B', givenName: 'A' },
      active: true,
      [ENTERPRISE_USER_SCHEMA]: { costCenter: 'X1' },
      [ROSTER_USER_SCHEMA]: { role: 'admin' },
    });
  });

  it('defaults active to true and treats nulls and empty values as absent', () => {
    const user = normalizeUserBody({
      userName: 'a',
      nickName: null,
      emails: [],
      name: { givenName: null },
      [ENTERPRISE_USER_SCHEMA]: null,
      externalId: null,
    });
    expect(user.body).toEqual({ schemas: [USER_SCHEMA], userName: 'a', active: true });
    expect(user).not.toHaveProperty('externalId');
    expect(user.emails).toEqual([]);
  });

  it('accepts emails without primary, and lower-cases and deduplicates indexed emails', () => {
    const user = normalizeUserBody({
      userName: 'a',
      emails: [{ value: 'A@X.com' }, { value: 'a@x.com', type: 'home', primary: 'true' }],
    });
    expect(user.emails).toEqual(['a@x.com']);
  });

  it('rejects a body that is not an object', () => {
    for (const input of [null, [], 'x', 3]) {
      expect(rejection(input)).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    }
  });

  it('rejects a missing or empty userName', () => {
    expect(rejection({ name: { givenName: 'A' } })).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(rejection({ userName: null })).toMatchObject({ scimType: 'invalidValue' });
    expect(rejection({ userName: ' ' })).toMatchObject({ scimType: 'invalidValue' });
  });

  it('rejects unknown attributes, naming them', () => {
    const error = rejection({ userName: 'a', favouriteColour: 'blue' });
    expect(error).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    expect(error.detail).toContain('favouriteColour');
    expect(rejection({ userName: 'a', emails: [{ value: 'x', label: 'y' }] }).detail).toContain('label');
    expect(rejection({ userName: 'a', [ENTERPRISE_USER_SCHEMA]: { shoeSize: 9 } }).detail).toContain(
      'shoeSize',
    );
    expect(rejection({ userName: 'a', 'urn:example:unknown:User': { x: 1 } }).scimType).toBe('invalidSyntax');
  });

  it('rejects wrong types', () => {
    const bodies: JsonValue[] = [
      { userName: 7 },
      { userName: 'a', active: 'yes' },
      { userName: 'a', name: 'A B' },
      { userName: 'a', emails: ['a@b.c'] },
      { userName: 'a', displayName: ['A'] },
      { userName: 'a', [ENTERPRISE_USER_SCHEMA]: 'x' },
      { userName: 'a', emails: [{ value: 'x', primary: 1 }] },
    ];
    for (const body of bodies) {
      expect(rejection(body), JSON.stringify(body)).toMatchObject({ status: 400, scimType: 'invalidValue' });
    }
  });

  it('rejects more than one primary value', () => {
    const error = rejection({
      userName: 'a',
      emails: [
        { value: 'a@x', primary: true },
        { value: 'b@x', primary: 'True' },
      ],
    });
    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
  });

  it('rejects the same attribute given twice in different case', () => {
    expect(rejection({ userName: 'a', username: 'b' })).toMatchObject({ scimType: 'invalidSyntax' });
  });

  it('enforces the size limits, in bytes where a value becomes a key', () => {
    expect(normalizeUserBody({ userName: 'x'.repeat(512) }).userName).toHaveLength(512);
    expect(rejection({ userName: 'x'.repeat(513) })).toMatchObject({ scimType: 'invalidValue' });
    // 129 four-byte emoji are 516 bytes: over the limit although only 258 UTF-16 units.
    expect(rejection({ userName: '😀'.repeat(129) })).toMatchObject({
      scimType: 'invalidValue',
      detail: expect.stringMatching(/userName is 516 bytes in UTF-8; the limit is 512/),
    });
    expect(rejection({ userName: 'a', externalId: 'e'.repeat(513) })).toMatchObject({
      detail: expect.stringMatching(/externalId/),
    });
    const emails = Array.from({ length: 41 }, (_, index) => ({ value: `u${index}@x` }));
    expect(rejection({ userName: 'a', emails })).toMatchObject({ scimType: 'invalidValue' });
    expect(normalizeUserBody({ userName: 'a', emails: emails.slice(0, 40) }).emails).toHaveLength(40);
    expect(rejection({ userName: 'a', emails: [{ value: `${'x'.repeat(250)}@x.io` }] })).toMatchObject({
      detail: expect.stringMatching(/emails\[0\]\.value is 255 bytes/),
    });
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['CR/LF', 'a\r\nb'],
    ['ESC', 'a\u001bb'],
    ['DEL', 'a\u007fb'],
    ['a bidi override', 'evil\u202egpj.exe'],
    ['a bidi isolate', 'a\u2066b'],
    ['a zero-width space', 'ad\u200bmin'],
    ['a zero-width joiner', 'a\u200db'],
    ['a BOM', '\ufeffadmin'],
    ['a soft hyphen', 'ad\u00admin'],
    ['a line separator', 'a\u2028b'],
    ['a lone surrogate', 'a\ud800b'],
  ])('refuses a userName with %s', (_name, userName) => {
    expect(rejection({ userName })).toMatchObject({ status: 400, scimType: 'invalidValue' });
  });

  it('accepts spaces, accents, scripts and emoji', () => {
    for (const userName of ['Zoë Ñúñez', 'Дмитрий', '李小龍', 'alice 😀', 'Renée.Dubois@example.com']) {
      expect(normalizeUserBody({ userName }).userName).toBe(userName);
    }
  });

  it('re-validates a PATCH result: id is stripped and schemas recomputed', () => {
    const user = normalizeUserBody({
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      id: 'u1',
      userName: 'a',
      active: false,
      [ENTERPRISE_USER_SCHEMA]: {},
    });
    expect(user.body).toEqual({ schemas: [USER_SCHEMA], userName: 'a', active: false });
  });
});
