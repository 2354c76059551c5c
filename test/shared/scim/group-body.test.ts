import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../shared/scim/error';
import { normalizeGroupBody } from '../../../shared/scim/group-body';
import type { JsonValue } from '../../../shared/scim/json';
import { GROUP_SCHEMA } from '../../../shared/scim/schemas/attribute';

function rejection(input: JsonValue): ScimError {
  try {
    normalizeGroupBody(input);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('normalizeGroupBody', () => {
  it("accepts Okta's group push", () => {
    expect(normalizeGroupBody({ schemas: [GROUP_SCHEMA], displayName: 'Eng', members: [] })).toEqual({
      body: { schemas: [GROUP_SCHEMA], displayName: 'Eng' },
      displayName: 'Eng',
      members: [],
    });
  });

  it("accepts Entra's body with its foreign schema, meta, $ref: null and duplicate members", () => {
    const group = normalizeGroupBody({
      schemas: [GROUP_SCHEMA, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: 'e1',
      DisplayName: 'Sales',
      meta: { resourceType: 'Group' },
      Members: [
        { $ref: null, value: 'u1' },
        { value: 'u2', display: 'b@x', type: 'User' },
        { value: 'u1', display: 'again' },
      ],
    });
    expect(group).toEqual({
      body: { schemas: [GROUP_SCHEMA], externalId: 'e1', displayName: 'Sales' },
      displayName: 'Sales',
      externalId: 'e1',
      members: [{ value: 'u1' }, { value: 'u2', display: 'b@x' }],
    });
  });

  it('strips the id a PATCH result carries', () => {
    expect(normalizeGroupBody({ id: 'g1', displayName: 'A' }).body).toEqual({
      schemas: [GROUP_SCHEMA],
      displayName: 'A',
    });
  });

  it('rejects a missing displayName and a body that is not an object', () => {
    expect(rejection({ members: [] })).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(rejection({ displayName: '' })).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(rejection([])).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
  });

  it('rejects member values that are not strings', () => {
    expect(rejection({ displayName: 'A', members: [{ value: 7 }] })).toMatchObject({
      scimType: 'invalidValue',
    });
    expect(rejection({ displayName: 'A', members: [{ display: 'x' }] })).toMatchObject({
      scimType: 'invalidValue',
    });
    expect(rejection({ displayName: 'A', members: ['u1'] })).toMatchObject({ scimType: 'invalidValue' });
  });

  it('rejects unknown attributes', () => {
    expect(rejection({ displayName: 'A', owner: 'x' }).detail).toContain('owner');
    expect(rejection({ displayName: 'A', members: [{ value: 'u', role: 'x' }] }).scimType).toBe(
      'invalidSyntax',
    );
  });
});
