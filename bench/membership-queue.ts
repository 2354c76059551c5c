/**
 * The memberships of a push and the order of their PATCHes: group g holds `ceil(memberships /
 * groups)` consecutive users from g × stride (wrapping, all distinct), in batches of `batchSize`,
 * queued round-robin over the groups so that (like Okta, which pushes one group's changes in order)
 * two PATCHes of the same group are practically never in flight together.
 */
export interface MembershipBatch {
  group: number;
  members: number[];
}

export function membershipQueue(
  users: number,
  groups: number,
  memberships: number,
  batchSize: number,
): MembershipBatch[] {
  const perGroup = Math.ceil(memberships / groups);
  const stride = Math.max(1, Math.floor(users / groups));
  const byGroup: MembershipBatch[][] = [];
  let remaining = memberships;
  for (let g = 0; g < groups; g++) {
    const size = Math.min(perGroup, remaining);
    remaining -= size;
    const members = Array.from({ length: size }, (_, j) => (g * stride + j) % users);
    const batches: MembershipBatch[] = [];
    for (let b = 0; b < members.length; b += batchSize) {
      batches.push({ group: g, members: members.slice(b, b + batchSize) });
    }
    byGroup.push(batches);
  }
  const queue: MembershipBatch[] = [];
  for (let round = 0; byGroup.some((batches) => batches.length > round); round++) {
    for (const batches of byGroup) {
      const batch = batches[round];
      if (batch) queue.push(batch);
    }
  }
  return queue;
}
