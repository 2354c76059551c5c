/**
 * `readGrants` over per-group partitions: one page walks the workspace's groups in id order (the
 * groups partition) and reads each group's grants (group-grants-slice.ts), until the page holds
 * `limit` grants. The page token says where the walk stands (grants-cursor.ts), so the next page
 * resumes exactly there: every grant is returned once.
 *
 * Groups are read several at a time, because a workspace of many small groups would otherwise cost
 * one sequential round trip per group: the first of a round may fill the page, the others are read
 * with an equal share of what is left (a group larger than its share is read on where it stopped),
 * so a round never reads much more than one page of grants. Every page but the last is full,
 * except one that ends with the 200 groups it listed.
 *
 * What a walk guarantees while the workspace changes under it (as a single Query never did either,
 * a walk is not a snapshot):
 * - a grant that exists from the first page to the last, in a group that exists as long, is
 *   returned exactly once;
 * - a group created behind the walk (its id sorts before the cursor) is not read by this walk, one
 *   created ahead of it is; a group deleted while the walk is in it ends early (what is left of its
 *   grants, being removed, may be returned), and the walk goes on with the groups after it;
 * - the walk ends: the cursor only moves forward, through groups in id order and members in id
 *   order, and every page that is not the last returns at least one grant or moves past a group.
 * Grants whose group is gone (left by a group deletion that failed half-way) are no longer listed:
 * they grant nothing, and the old single partition listed them only because it could not tell.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../store/client';
import type { Grant } from '../entitlement';
import type { Page } from '../page';
import type { GrantsCursor } from './grants-cursor';
import { decodeGrantsCursor, encodeGrantsCursor } from './grants-cursor';
import type { GrantsLayout } from './grants-layout';
import { readGroupSlice } from './group-grants-slice';
import type { GroupSlice } from './group-grants-slice';
import { keys } from './keys';

/** Groups whose grants are read at once. */
const GROUPS_PER_ROUND = 8;
/** Group ids listed per page: bounds a page of tiny groups to 25 rounds. */
const GROUPS_PER_PAGE = GROUPS_PER_ROUND * 25;

export async function readGrantsPage(
  db: Db,
  workspaceId: string,
  layout: GrantsLayout,
  token: string | undefined,
  limit: number,
): Promise<Page<Grant>> {
  const cursor = decodeGrantsCursor(token);
  const page: Grant[] = [];
  /**
   * Takes a group's slice into the page and reads on in the group while the page has room; answers
   * the cursor to end the page at when the page filled up before the group ended.
   */
  const drain = async (
    groupId: string,
    first: GroupSlice,
    from: string | undefined,
  ): Promise<GrantsCursor | undefined> => {
    let slice = first;
    let after = from;
    for (;;) {
      const taken = slice.members.slice(0, limit - page.length);
      page.push(...taken.map((memberId) => ({ groupId, memberId })));
      after = taken.at(-1) ?? after;
      if (taken.length === slice.members.length && slice.done) return undefined;
      // A slice that is not done holds at least one member, so `after` moves on every turn.
      if (page.length === limit || taken.length === 0)
        return after === undefined ? { group: groupId } : { group: groupId, after };
      slice = await readGroupSlice(db, workspaceId, layout, groupId, after, limit - page.length);
    }
  };

  let at: GrantsCursor | undefined = cursor;
  if (cursor && !cursor.done) {
    // The group the last page stopped in.
    const slice = await readGroupSlice(db, workspaceId, layout, cursor.group, cursor.after, limit);
    const stop = await drain(cursor.group, slice, cursor.after);
    if (stop) return { items: page, next: encodeGrantsCursor(stop) };
    at = { group: cursor.group, done: true };
  }
  const listing = await groupsAfter(db, workspaceId, at?.group, GROUPS_PER_PAGE);
  for (let first = 0; first < listing.ids.length && page.length < limit; first += GROUPS_PER_ROUND) {
    const left = limit - page.length;
    const round = listing.ids.slice(first, first + GROUPS_PER_ROUND);
    const share = Math.ceil(left / round.length);
    const slices = await Promise.all(
      round.map((groupId, i) =>
        readGroupSlice(db, workspaceId, layout, groupId, undefined, i === 0 ? left : share),
      ),
    );
    for (const [i, slice] of slices.entries()) {
      const groupId = round[i] as string;
      const stop = await drain(groupId, slice, undefined);
      if (stop) return { items: page, next: encodeGrantsCursor(stop) };
      at = { group: groupId, done: true };
    }
  }
  // The walk is over when the listing has no more groups and the last one listed is done.
  const listedAll = !listing.more && (listing.ids.length === 0 || at?.group === listing.ids.at(-1));
  if (listedAll || at === undefined) return { items: page };
  return { items: page, next: encodeGrantsCursor(at) };
}

/** Up to `limit` group ids after `after` (from the first without it), in DynamoDB's key order, and whether there are more. */
async function groupsAfter(
  db: Db,
  workspaceId: string,
  after: string | undefined,
  limit: number,
): Promise<{ ids: string[]; more: boolean }> {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: after === undefined ? 'pk = :pk' : 'pk = :pk AND #sk > :after',
      ExpressionAttributeNames: { '#sk': 'sk' },
      ExpressionAttributeValues:
        after === undefined
          ? { ':pk': keys.groupsPk(workspaceId) }
          : { ':pk': keys.groupsPk(workspaceId), ':after': after },
      ProjectionExpression: '#sk',
      // One more than asked for, to know whether there are more without a Query that finds none.
      Limit: limit + 1,
      ConsistentRead: true,
    }),
  );
  const ids = (out.Items ?? []).map((item) => item.sk as string);
  return {
    ids: ids.slice(0, limit),
    more: ids.length > limit || (out.LastEvaluatedKey !== undefined && ids.length > 0),
  };
}
