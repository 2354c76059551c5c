import { describe, expect, it } from 'vitest';
import { membershipQueue } from '../../bench/membership-queue';

describe('membershipQueue (the push PATCH order)', () => {
  it('holds every membership once, in batches, round-robin over the groups', () => {
    const queue = membershipQueue(10, 2, 12, 4);
    // Group 0: users 0..5, group 1: users 5..9 and 0 (stride 5, wrapping), batches of at most 4.
    expect(queue).toEqual([
      { group: 0, members: [0, 1, 2, 3] },
      { group: 1, members: [5, 6, 7, 8] },
      { group: 0, members: [4, 5] },
      { group: 1, members: [9, 0] },
    ]);
    const pairs = queue.flatMap(({ group, members }) => members.map((u) => `${group} ${u}`));
    expect(new Set(pairs).size).toBe(12);
  });

  it('gives the last groups what is left when the memberships do not divide evenly', () => {
    const queue = membershipQueue(4, 3, 5, 20);
    expect(queue.map((batch) => batch.members.length)).toEqual([2, 2, 1]);
  });
});
