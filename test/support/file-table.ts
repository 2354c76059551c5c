/**
 * Vitest setup file: every test file gets a table of its own, so its snapshots and Scans see only
 * its own items. On the run's shared DynamoDB Local the table has no stream and is dropped when
 * the file ends, so the in-memory engine does not carry every file's data to the end of the run. A
 * file that runs the stream-fed apply has an engine of its own (stream-engine.ts), and its table
 * the stream, which then carries only that file's writes.
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll } from 'vitest';
import { dynamoClient } from '../../shared/store/client';
import { ensureTable } from '../../shared/store/create-table';

const table = `roster-f-${randomUUID().slice(0, 12)}`;
const client = dynamoClient();
await ensureTable(client, table, { stream: process.env.ROSTER_TEST_STREAM === 'true' });
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
