import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db } from '../../shared/store/client';
import type { Db } from '../../shared/store/client';

/** The table on the run's DynamoDB Local (started by global-setup.ts). */
export function testDb(): Db {
  return db();
}

/** A connection id no other test uses, so that tests never see each other's data. */
export function uniqueConnectionId(prefix = 't'): string {
  return `${prefix}-${randomUUID().slice(0, 12)}`;
}

/**
 * Every item whose partition key starts with the given prefix, found by querying the given
 * partition keys. Tests use it to prove that a refused request wrote nothing.
 */
export async function itemsIn(partitionKeys: string[]): Promise<Record<string, unknown>[]> {
  const { doc, table } = testDb();
  const items: Record<string, unknown>[] = [];
  for (const pk of partitionKeys) {
    const out = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      }),
    );
    items.push(...(out.Items ?? []));
  }
  return items;
}
