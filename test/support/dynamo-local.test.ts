import { describe, expect, it } from 'vitest';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { testDb, uniqueConnectionId } from './db';

describe('the test harness', () => {
  it('runs the real DynamoDB Local with the table and both indexes', async () => {
    const { doc, table } = testDb();
    const { Table } = await doc.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(['gsi1', 'gsi2']);
    const pk = `C#${uniqueConnectionId()}#probe`;
    await doc.send(new PutCommand({ TableName: table, Item: { pk, sk: 'x', n: 1 } }));
    const got = await doc.send(
      new GetCommand({ TableName: table, Key: { pk, sk: 'x' }, ConsistentRead: true }),
    );
    expect(got.Item?.n).toBe(1);
  });
});
