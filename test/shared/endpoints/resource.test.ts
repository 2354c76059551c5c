import { describe, expect, it } from 'vitest';
import { toGroupResource, toUserResource } from '../../../shared/endpoints/resource';
import { GROUP_SCHEMA, USER_SCHEMA } from '../../../shared/scim/schemas/attribute';
import type { GroupRecord, UserRecord } from '../../../shared/store/record';

const META = { created: '2024-01-01T00:00:00.000Z', lastModified: '2024-01-02T00:00:00.000Z', version: 4 };
const APPLY = { status: 'applied' as const, attempts: 0 };

const user: UserRecord = {
  connectionId: 'c1',
  id: 'u1',
  userName: 'a@b.c',
  active: true,
  emails: ['a@b.c'],
  body: { schemas: [USER_SCHEMA], userName: 'a@b.c', active: true },
  meta: META,
  apply: APPLY,
};

const group: GroupRecord = {
  connectionId: 'c1',
  id: 'g1',
  displayName: 'Eng',
  body: { schemas: [GROUP_SCHEMA], displayName: 'Eng' },
  memberCount: 1,
  meta: META,
  apply: APPLY,
};

describe('toUserResource', () => {
  it('renders the body with id and meta, without groups unless given', () => {
    expect(toUserResource(user, 'https://x.example/scim/v2/')).toEqual({
      schemas: [USER_SCHEMA],
      id: 'u1',
      userName: 'a@b.c',
      active: true,
      meta: {
        resourceType: 'User',
        created: META.created,
        lastModified: META.lastModified,
        location: 'https://x.example/scim/v2/Users/u1',
        version: 'W/"4"',
      },
    });
  });

  it('renders groups with references when given', () => {
    const resource = toUserResource(user, 'https://x/scim/v2', [
      { value: 'g1', display: 'Eng' },
      { value: 'g2' },
    ]);
    expect(resource.groups).toEqual([
      { value: 'g1', $ref: 'https://x/scim/v2/Groups/g1', display: 'Eng', type: 'direct' },
      { value: 'g2', $ref: 'https://x/scim/v2/Groups/g2', type: 'direct' },
    ]);
  });
});

describe('toGroupResource', () => {
  it('renders the body with id and meta, without members unless given', () => {
    const resource = toGroupResource(group, 'https://x/scim/v2');
    expect(resource).toEqual({
      schemas: [GROUP_SCHEMA],
      id: 'g1',
      displayName: 'Eng',
      meta: {
        resourceType: 'Group',
        created: META.created,
        lastModified: META.lastModified,
        location: 'https://x/scim/v2/Groups/g1',
        version: 'W/"4"',
      },
    });
  });

  it('renders members with references when given', () => {
    const resource = toGroupResource(group, 'https://x/scim/v2', [
      { groupId: 'g1', userId: 'u1', display: 'a@b.c' },
      { groupId: 'g1', userId: 'u2' },
    ]);
    expect(resource.members).toEqual([
      { value: 'u1', $ref: 'https://x/scim/v2/Users/u1', display: 'a@b.c', type: 'User' },
      { value: 'u2', $ref: 'https://x/scim/v2/Users/u2', type: 'User' },
    ]);
    expect(toGroupResource(group, 'https://x', []).members).toEqual([]);
  });
});
