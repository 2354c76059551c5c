/**
 * Vitest setup file: every test file gets a table of its own on the run's DynamoDB Local, so its
 * stream (which the apply reads, local/apply-runner.ts) carries only that file's writes, and its
 * snapshots and Scans see only its own items. Dropped when the file ends, so the in-memory engine
 * does not carry every file's data to the end of the run.
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll } from 'vitest';
import { dynamoClient } from '../../shared/store/client';
import { ensureTable } from '../../shared/store/create-table';

const table = `roster-f-${randomUUID().slice(0, 12)}`;
const client = dynamoClient();
await ensureTable(client, table);
process.env.ROSTER_TABLE = table;

afterAll(async () => {
  try {
    await client.send(new DeleteTableCommand({ TableName: table }));
  } catch {
    // The run's engine stops at the end anyway; a table it could not drop is only memory.
  } finally {
    client.destroy();
  }
});
