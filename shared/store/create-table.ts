import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STREAM, tableDefinition } from './table';

/**
 * Creates the table if it does not exist (local runs and tests; on AWS the CDK stack owns it), and
 * switches its stream on if a table kept from an older version has none. Answers the stream's ARN.
 *
 * `stream: false` is for tests that never read the stream: DynamoDB Local gets slower with every
 * stream record it has held, deleted tables' included, so a test run keeps streams to the files
 * that run the apply (test/support/stream-engine.ts).
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: { stream?: boolean } = {},
): Promise<string | undefined> {
  const stream = options.stream ?? true;
  const definition = tableDefinition(tableName);
  try {
    await client.send(
      new CreateTableCommand(stream ? definition : { ...definition, StreamSpecification: undefined }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  let streamed = false;
  for (let i = 0; i < 100; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE' && !stream) return undefined;
    if (Table?.TableStatus === 'ACTIVE') {
      if (Table.StreamSpecification?.StreamEnabled && Table.LatestStreamArn) return Table.LatestStreamArn;
      if (!streamed) {
        await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: STREAM }));
        streamed = true;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`table ${tableName} did not become ACTIVE with its stream`);
}
