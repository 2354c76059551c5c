/**
 * One slice of a group's grants: its members after a given member id, in member-id order, read
 * strongly consistent. Both `readGroupMembers` and `readGrants` page with it.
 *
 * In layout 1 (grants-layout.ts) a grant may be in the old workspace-wide partition or in the
 * group's own one, and the migration moves grants from the first to the second while readers page.
 * Both are sorted by member id (old sort key `<groupId>#<memberId>`, new `<memberId>`), so the slice
 * queries both from the same member id (the old one first), merges them and drops a member found in
 * both; it returns members only up to where both Queries are known complete, and the next slice
 * starts after the last member returned. A grant moved between two slices is therefore returned exactly once: before
 * the cursor it was returned already and neither Query reads it again, after it only one finds it.
 * (Both Queries have the same Limit, so cutting the merge to it already stays within where both are
 * complete; the frontier also covers a Query DynamoDB cut short at 1 MB.)
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../store/client';
import type { GrantsLayout } from './grants-layout';
import { keys } from './keys';

export interface GroupSlice {
  /** Member ids, ascending in DynamoDB's (UTF-8 byte) order, each once. */
  members: string[];
  /** Every member of the group after `after` is in `members`. */
  done: boolean;
}

interface Run {
  members: string[];
  /** The member id the Query stopped at, when it has more. */
  stoppedAt?: string;
}

export async function readGroupSlice(
  db: Db,
  workspaceId: string,
  layout: GrantsLayout,
  groupId: string,
  after: string | undefined,
  limit: number,
): Promise<GroupSlice> {
  // Old partition first, then the group's own, one after the other: a move goes from the first to
  // the second, so a grant the first Query no longer finds was moved before the second one ran,
  // which finds it. Run side by side, both could miss it.
  const runs: Run[] = [];
  if (layout === 1) {
    runs.push(
      await queryRun(db, {
        pk: keys.legacyGrantsPk(workspaceId),
        after: after === undefined ? undefined : keys.legacyGrant(workspaceId, groupId, after),
        skPrefix: `${groupId}#`,
        limit,
      }),
    );
  }
  runs.push(
    await queryRun(db, {
      pk: keys.grantsPk(workspaceId, groupId),
      after: after === undefined ? undefined : keys.grant(workspaceId, groupId, after),
      skPrefix: '',
      limit,
    }),
  );
  const stops = runs.flatMap((run) => (run.stoppedAt === undefined ? [] : [run.stoppedAt]));
  const frontier = stops.sort(compareIds)[0];
  const merged = [...new Set(runs.flatMap((run) => run.members))]
    .filter((member) => frontier === undefined || compareIds(member, frontier) <= 0)
    .sort(compareIds);
  return { members: merged.slice(0, limit), done: frontier === undefined && merged.length <= limit };
}

async function queryRun(
  db: Db,
  query: { pk: string; after?: { pk: string; sk: string }; skPrefix: string; limit: number },
): Promise<Run> {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: query.skPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
      ExpressionAttributeValues: query.skPrefix
        ? { ':pk': query.pk, ':prefix': query.skPrefix }
        : { ':pk': query.pk },
      ProjectionExpression: 'memberId',
      ExclusiveStartKey: query.after,
      Limit: query.limit,
      ConsistentRead: true,
    }),
  );
  const stopKey = out.LastEvaluatedKey?.sk;
  return {
    members: (out.Items ?? []).map((item) => item.memberId as string),
    ...(typeof stopKey === 'string' ? { stoppedAt: stopKey.slice(query.skPrefix.length) } : {}),
  };
}

/** DynamoDB orders string sort keys by their UTF-8 bytes, which JavaScript's `<` does not. */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
