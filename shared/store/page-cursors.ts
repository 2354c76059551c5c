/**
 * startIndex paging (RFC 7644 §3.4.2.4) over a connection's users or groups in creation order
 * (gsi1, sort key `<created>#<id>`, so items created during a walk sort after everything already
 * there and never shift earlier pages).
 *
 * DynamoDB can only continue a Query from a key, not from a position, so skipping to startIndex N
 * would read N-1 items. Instead, each page remembers where it ended: a cursor item keyed by
 * (connection, kind, the next page's startIndex) holding the last key read, with a TTL of an hour.
 * An IdP walks pages in order, so page N+1 starts where page N ended and costs about `count` reads.
 * Only a startIndex no page has ended at (a client jumping ahead, or after the TTL) falls back to
 * skipping: a Select COUNT query moves the position without returning items (it still consumes
 * read capacity for what it passes over, since the index projects all attributes), and the
 * position is then remembered too.
 *
 * A remembered end follows the walk: if items are deleted during a walk, the next page continues
 * after the last item the client saw rather than at the shifted numeric position, which is what a
 * client paging through the list needs (no item skipped, none repeated).
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Item } from './batch';
import type { Db } from './client';
import { keys } from './keys';
import type { ResourceKind } from './link-store';
import { GSI1, TTL_ATTRIBUTE } from './table';

export const CURSOR_TTL_SECONDS = 3600;
const SKIP_CHUNK = 1000;

type StartKey = Record<string, unknown>;

export async function readPage(
  db: Db,
  connectionId: string,
  kind: ResourceKind,
  startIndex: number,
  count: number,
): Promise<Item[]> {
  if (count <= 0) return [];
  const start = startIndex <= 1 ? undefined : await positionOf(db, connectionId, kind, startIndex);
  if (start === 'end') return [];
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      IndexName: GSI1.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': GSI1.pk },
      ExpressionAttributeValues: { ':pk': keys.listing(connectionId, kind) },
      Limit: count,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }),
  );
  const items = (out.Items ?? []) as Item[];
  const last = items.at(-1);
  if (items.length === count && last) {
    await remember(db, connectionId, kind, startIndex + count, indexKey(last));
  }
  return items;
}

function indexKey(item: Item): StartKey {
  return { pk: item.pk, sk: item.sk, [GSI1.pk]: item[GSI1.pk], [GSI1.sk]: item[GSI1.sk] };
}

async function positionOf(
  db: Db,
  connectionId: string,
  kind: ResourceKind,
  startIndex: number,
): Promise<StartKey | 'end'> {
  const { Item: cursor } = await db.doc.send(
    new GetCommand({
      TableName: db.table,
      Key: keys.cursor(connectionId, kind, startIndex),
      ConsistentRead: true,
    }),
  );
  // TTL deletion is lazy (up to days late), so expiry is checked here, not left to DynamoDB.
  const expiresAt = cursor?.[TTL_ATTRIBUTE];
  if (cursor && typeof expiresAt === 'number' && expiresAt * 1000 > Date.now()) return cursor.key as StartKey;

  let remaining = startIndex - 1;
  let start: StartKey | undefined;
  while (remaining > 0) {
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        IndexName: GSI1.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSI1.pk },
        ExpressionAttributeValues: { ':pk': keys.listing(connectionId, kind) },
        Select: 'COUNT',
        Limit: Math.min(remaining, SKIP_CHUNK),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    remaining -= out.Count ?? 0;
    if (!out.LastEvaluatedKey || (out.Count ?? 0) === 0) return 'end';
    start = out.LastEvaluatedKey;
  }
  if (!start) return 'end';
  await remember(db, connectionId, kind, startIndex, start);
  return start;
}

async function remember(
  db: Db,
  connectionId: string,
  kind: ResourceKind,
  startIndex: number,
  key: StartKey,
): Promise<void> {
  await db.doc.send(
    new PutCommand({
      TableName: db.table,
      Item: {
        ...keys.cursor(connectionId, kind, startIndex),
        key,
        [TTL_ATTRIBUTE]: Math.floor(Date.now() / 1000) + CURSOR_TTL_SECONDS,
      },
    }),
  );
}
