/**
 * A table of this test file's own on the run's DynamoDB Local. Files whose assertions read whole
 * key spaces with a Scan (the workspace claims have no common partition) use it so that each Scan
 * reads only their own items, not everything the other files wrote. Call it first in `beforeAll`,
 * before anything in the file touches the process-wide client (which reads ROSTER_TABLE once).
 */
import { randomUUID } from 'node:crypto';
import { dynamoClient } from '../../shared/store/client';
import { ensureTable } from '../../shared/store/create-table';

export async function useOwnTable(name: string): Promise<string> {
  const table = `roster-${name}-${randomUUID().slice(0, 8)}`;
  const client = dynamoClient();
  try {
    await ensureTable(client, table, { stream: process.env.ROSTER_TEST_STREAM === 'true' });
  } finally {
    client.destroy();
  }
  process.env.ROSTER_TABLE = table;
  return table;
}
