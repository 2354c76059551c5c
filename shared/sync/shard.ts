/**
 * Which shard of a sharded full sync (sharded-plan.ts) each record belongs to. The join is sharded
 * by the lower-cased email, the key the sync links by, so that everything one planning decision
 * compares lands in one shard:
 *
 * - a workspace member goes to the shard of its email, so members that share an email meet;
 * - an IdP user linked to a member that the workspace still holds goes to that member's shard
 *   (a user whose email changed still meets its account); any other user goes to the shard of its
 *   own email, where the account it would claim by email is;
 * - a grant goes to its member's shard, an IdP group membership to its user's shard;
 * - what names neither (a grant of a member the read did not list, a membership of an unknown
 *   user) goes to shard 0: no user can hold it, so any shard plans it alike.
 *
 * Groups themselves are few and every shard sees all of them; shard 0 plans their own changes.
 */

/** The shard that plans the changes to groups themselves, and what names no member. */
export const GROUP_SHARD = 0;

/**
 * Users per shard by default: at or below it a sync plans in one piece. Measured on the bench's
 * 100,000-user world (docs/benchmarks.md, the sharded full sync), ten shards keep 32 MiB of heap
 * alive at their peak against 97 MiB for the join in one piece, for about 10% more time (the
 * spill). The process's RSS hides the difference unless the heap is bounded: V8 lets an unbounded
 * heap grow to several times what is alive while a run allocates fast.
 */
export const SHARD_USERS = 10_000;

/** How many shards a link state of `users` users is planned in. */
export function shardCount(users: number, perShard: number = SHARD_USERS): number {
  return Math.max(1, Math.ceil(users / Math.max(1, perShard)));
}

/** FNV-1a (32 bits) of the lower-cased email: cheap, stable across runs and processes. */
export function shardOfEmail(email: string, shards: number): number {
  if (shards <= 1) return 0;
  const key = email.toLowerCase();
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

/** The shard of an IdP user: its linked member's when the workspace holds it, else its own email's. */
export function userShardOf(
  member: { email: string; memberId?: string },
  memberShard: (memberId: string) => number | undefined,
  shards: number,
): number {
  const linked = member.memberId !== undefined ? memberShard(member.memberId) : undefined;
  return linked ?? shardOfEmail(member.email, shards);
}
