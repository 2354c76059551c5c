import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../shared/scim/json';
import { project, requestsAttribute } from '../../../shared/scim/projection';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../../../shared/scim/schemas/attribute';

const META = { resourceType: 'User', location: 'https://x/Users/u1', version: 'W/"1"' };
const USER: JsonObject = {
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  id: 'u1',
  externalId: 'e1',
  userName: 'a@b.c',
  name: { givenName: 'A', familyName: 'B' },
  active: true,
  password: 'leaked',
  emails: [
    { value: 'a@b.c', type: 'work', primary: true },
    { value: 'a@home', type: 'home' },
  ],
  groups: [{ value: 'g1', display: 'Eng' }],
  [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '7', department: 'Sales' },
  meta: META,
};

const GROUP: JsonObject = {
  schemas: [GROUP_SCHEMA],
  id: 'g1',
  displayName: 'Eng',
  members: [{ value: 'u1' }],
  meta: { resourceType: 'Group' },
};

describe('project', () => {
  it('serves default attributes, never password, and groups only on request', () => {
    const projected = project('User', USER, {});
    expect(projected).not.toHaveProperty('password');
    expect(projected).not.toHaveProperty('groups');
    expect(projected).toMatchObject({ id: 'u1', userName: 'a@b.c', meta: META });
    expect(projected[ENTERPRISE_USER_SCHEMA]).toEqual({ employeeNumber: '7', department: 'Sales' });
  });

  it('serves only the named attributes plus id and schemas', () => {
    expect(project('User', USER, { attributes: ['USERNAME', 'groups', 'password'] })).toEqual({
      schemas: USER.schemas,
      id: 'u1',
      userName: 'a@b.c',
      groups: USER.groups,
    });
  });

  it('selects sub-attributes, also inside multi-valued attributes and meta', () => {
    expect(
      project('User', USER, { attributes: ['name.givenName', 'emails.value', 'meta.location'] }),
    ).toEqual({
      schemas: USER.schemas,
      id: 'u1',
      name: { givenName: 'A' },
      emails: [{ value: 'a@b.c' }, { value: 'a@home' }],
      meta: { location: 'https://x/Users/u1' },
    });
  });

  it('selects URN-qualified extension attributes and whole extensions', () => {
    expect(project('User', USER, { attributes: [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`] })).toEqual({
      schemas: USER.schemas,
      id: 'u1',
      [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '7' },
    });
    expect(project('User', USER, { attributes: [ENTERPRISE_USER_SCHEMA] })[ENTERPRISE_USER_SCHEMA]).toEqual(
      USER[ENTERPRISE_USER_SCHEMA],
    );
  });

  it('excludes attributes and sub-attributes, but never id', () => {
    const projected = project('User', USER, {
      excludedAttributes: ['emails', 'name.familyName', 'ID', `${ENTERPRISE_USER_SCHEMA}:department`, 'meta'],
    });
    expect(projected).toEqual({
      schemas: USER.schemas,
      id: 'u1',
      externalId: 'e1',
      userName: 'a@b.c',
      name: { givenName: 'A' },
      active: true,
      [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '7' },
    });
  });

  it('drops an extension whose attributes are all excluded', () => {
    const projected = project('User', USER, { excludedAttributes: ['employeeNumber', 'department'] });
    expect(projected).not.toHaveProperty(ENTERPRISE_USER_SCHEMA);
  });

  it('lets attributes decide when both parameters are given', () => {
    expect(project('Group', GROUP, { attributes: ['members'], excludedAttributes: ['members'] })).toEqual({
      schemas: [GROUP_SCHEMA],
      id: 'g1',
      members: [{ value: 'u1' }],
    });
  });

  it('ignores names that resolve to no attribute', () => {
    expect(project('Group', GROUP, { excludedAttributes: ['nonsense', 'members'] })).toEqual({
      schemas: [GROUP_SCHEMA],
      id: 'g1',
      displayName: 'Eng',
      meta: { resourceType: 'Group' },
    });
  });
});

describe('requestsAttribute', () => {
  it('answers whether a Group response will carry members', () => {
    expect(requestsAttribute('Group', {}, 'members')).toBe(true);
    expect(requestsAttribute('Group', { excludedAttributes: ['Members'] }, 'members')).toBe(false);
    expect(requestsAttribute('Group', { excludedAttributes: ['members.display'] }, 'members')).toBe(true);
    expect(requestsAttribute('Group', { attributes: ['displayName'] }, 'members')).toBe(false);
    expect(requestsAttribute('Group', { attributes: ['members.value'] }, 'members')).toBe(true);
  });

  it('answers whether a User response will carry groups', () => {
    expect(requestsAttribute('User', {}, 'groups')).toBe(false);
    expect(requestsAttribute('User', { attributes: ['groups'] }, 'groups')).toBe(true);
    expect(requestsAttribute('User', { excludedAttributes: ['emails'] }, 'groups')).toBe(false);
  });

  it('follows always and never', () => {
    expect(requestsAttribute('User', { excludedAttributes: ['id'] }, 'id')).toBe(true);
    expect(requestsAttribute('User', { attributes: ['password'] }, 'password')).toBe(false);
    expect(requestsAttribute('User', {}, 'unknown')).toBe(false);
  });
});
