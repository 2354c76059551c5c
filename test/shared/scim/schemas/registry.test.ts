import { describe, expect, it } from 'vitest';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  ROSTER_USER_SCHEMA,
  USER_SCHEMA,
} from '../../../../shared/scim/schemas/attribute';
import type { AttributeDefinition } from '../../../../shared/scim/schemas/attribute';
import {
  resolveAttribute,
  resourceTypeDefinitions,
  schemasFor,
} from '../../../../shared/scim/schemas/registry';

describe('schemasFor', () => {
  it('lists the core schema first, then the extensions', () => {
    expect(schemasFor('User').map((schema) => schema.id)).toEqual([
      USER_SCHEMA,
      ENTERPRISE_USER_SCHEMA,
      ROSTER_USER_SCHEMA,
    ]);
    expect(schemasFor('Group').map((schema) => schema.id)).toEqual([GROUP_SCHEMA]);
  });

  it('gives every attribute and sub-attribute all RFC 7643 §7 characteristics', () => {
    const check = (attribute: AttributeDefinition): void => {
      expect(attribute).toMatchObject({
        name: expect.any(String),
        type: expect.any(String),
        multiValued: expect.any(Boolean),
        description: expect.any(String),
        required: expect.any(Boolean),
        caseExact: expect.any(Boolean),
        mutability: expect.any(String),
        returned: expect.any(String),
        uniqueness: expect.any(String),
      });
      expect(attribute.type === 'complex').toBe(attribute.subAttributes !== undefined);
      attribute.subAttributes?.forEach(check);
    };
    for (const type of ['User', 'Group'] as const)
      schemasFor(type).forEach((s) => s.attributes.forEach(check));
  });
});

describe('resourceTypeDefinitions', () => {
  it('declares Users with both extensions optional and Groups without extensions', () => {
    const [user, group] = resourceTypeDefinitions();
    expect(user).toMatchObject({ id: 'User', endpoint: '/Users', schema: USER_SCHEMA });
    expect(user?.schemaExtensions).toEqual([
      { schema: ENTERPRISE_USER_SCHEMA, required: false },
      { schema: ROSTER_USER_SCHEMA, required: false },
    ]);
    expect(group).toMatchObject({ id: 'Group', endpoint: '/Groups', schemaExtensions: [] });
  });
});

describe('resolveAttribute', () => {
  it('resolves core attributes case-insensitively', () => {
    const resolved = resolveAttribute('User', { name: 'USERNAME' });
    expect(resolved?.schema).toBe(USER_SCHEMA);
    expect(resolved?.definition).toMatchObject({
      name: 'userName',
      required: true,
      caseExact: false,
      uniqueness: 'server',
    });
  });

  it('resolves sub-attributes', () => {
    const resolved = resolveAttribute('User', { name: 'name', sub: 'givenname' });
    expect(resolved?.definition.name).toBe('name');
    expect(resolved?.sub?.name).toBe('givenName');
    expect(resolveAttribute('User', { name: 'name', sub: 'nope' })).toBeUndefined();
  });

  it('resolves extension attributes with and without their URN', () => {
    const withUri = resolveAttribute('User', {
      uri: ENTERPRISE_USER_SCHEMA.toUpperCase(),
      name: 'employeenumber',
    });
    expect(withUri).toMatchObject({ schema: ENTERPRISE_USER_SCHEMA, definition: { name: 'employeeNumber' } });
    expect(resolveAttribute('User', { name: 'role' })).toMatchObject({
      schema: ROSTER_USER_SCHEMA,
      definition: { canonicalValues: ['admin'] },
    });
    expect(resolveAttribute('User', { name: 'manager', sub: 'displayName' })?.sub?.mutability).toBe(
      'readOnly',
    );
  });

  it('resolves a URN and sub-attribute left inside the name', () => {
    const resolved = resolveAttribute('User', { name: `${ENTERPRISE_USER_SCHEMA}:manager.value` });
    expect(resolved).toMatchObject({ schema: ENTERPRISE_USER_SCHEMA, sub: { name: 'value' } });
    expect(resolveAttribute('User', { name: 'name.familyName' })?.sub?.name).toBe('familyName');
  });

  it('does not resolve an attribute under the wrong schema', () => {
    expect(resolveAttribute('User', { uri: ENTERPRISE_USER_SCHEMA, name: 'userName' })).toBeUndefined();
    expect(resolveAttribute('Group', { name: 'userName' })).toBeUndefined();
    expect(resolveAttribute('Group', { name: 'employeeNumber' })).toBeUndefined();
  });

  it('resolves the common attributes id, externalId and meta', () => {
    expect(resolveAttribute('Group', { name: 'id' })?.definition).toMatchObject({
      returned: 'always',
      mutability: 'readOnly',
      caseExact: true,
    });
    expect(resolveAttribute('User', { name: 'externalid' })?.definition.caseExact).toBe(true);
    expect(resolveAttribute('User', { name: 'meta', sub: 'LASTMODIFIED' })?.sub?.type).toBe('dateTime');
  });

  it('keeps the characteristics the server relies on', () => {
    expect(resolveAttribute('User', { name: 'password' })?.definition).toMatchObject({
      mutability: 'writeOnly',
      returned: 'never',
    });
    expect(resolveAttribute('User', { name: 'groups' })?.definition).toMatchObject({
      mutability: 'readOnly',
      returned: 'request',
      multiValued: true,
    });
    expect(resolveAttribute('User', { name: 'active' })?.definition.type).toBe('boolean');
    expect(resolveAttribute('User', { name: 'emails', sub: 'primary' })?.sub?.type).toBe('boolean');
    expect(resolveAttribute('Group', { name: 'members', sub: 'value' })?.sub?.mutability).toBe('immutable');
    expect(resolveAttribute('Group', { name: 'displayName' })?.definition).toMatchObject({
      required: true,
      uniqueness: 'server',
      caseExact: false,
    });
  });
});
