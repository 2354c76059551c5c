/**
 * Vitest global setup: starts DynamoDB Local once for the whole run and creates the table. Tests
 * share the table and isolate themselves by using their own connection ids (see `testDb`).
 */
import { startDynamoLocal } from '../../local/dynamo-local';
import type { DynamoLocal } from '../../local/dynamo-local';
import { dynamoClient } from '../../shared/store/client';
import { ensureTable } from '../../shared/store/create-table';

let dynamo: DynamoLocal | undefined;

export async function setup(): Promise<void> {
  dynamo = await startDynamoLocal();
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.ROSTER_TABLE = 'roster-test';
  process.env.AWS_REGION = 'local';
  const client = dynamoClient(dynamo.endpoint);
  await ensureTable(client, 'roster-test');
  client.destroy();
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}
