import { describe, expect, it } from 'vitest';
import { pushSizes } from '../../bench/push-load';

describe('pushSizes', () => {
  it('scales every size and keeps the floors', () => {
    expect(pushSizes({ users: 2_000, groups: 50, memberships: 10_000 }, 1)).toEqual({
      users: 2_000,
      groups: 50,
      memberships: 10_000,
    });
    expect(pushSizes({ users: 300, groups: 10, memberships: 1_500 }, 0.1)).toEqual({
      users: 30,
      groups: 2,
      memberships: 60,
    });
  });

  it('never asks for more memberships than users × groups', () => {
    expect(pushSizes({ users: 300, groups: 10, memberships: 1_500 }, 0.01)).toEqual({
      users: 4,
      groups: 2,
      memberships: 8,
    });
  });
});
