/**
 * The engine's PutItem rate at this moment: a few hundred small puts at concurrency 16 on a table
 * of their own, with or without a stream. DynamoDB Local gets slower with what it has held, so a
 * scenario that runs late in the bench can say how fast the engine still was beside its own figures
 * (null: a put timed out, the engine was too slow to give a rate).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { round } from './latency';
import { runPool } from './pool';
import { dynamoClient } from '../shared/store/client';
import { ensureTable } from '../shared/store/create-table';

/** The engine to probe: its endpoint (to create the table) and a client to send the puts on. */
export interface ProbeTarget {
  endpoint: string;
  doc: DynamoDBDocumentClient;
}

export async function putProbe(
  engine: ProbeTarget,
  table: string,
  options: { stream: boolean; puts?: number },
): Promise<number | null> {
  const setup = dynamoClient(engine.endpoint);
  try {
    await ensureTable(setup, table, { stream: options.stream });
  } finally {
    setup.destroy();
  }
  const puts = options.puts ?? 400;
  const start = performance.now();
  try {
    await runPool(
      Array.from({ length: puts }, (_, i) => i),
      16,
      async (i) => {
        await engine.doc.send(
          new PutCommand({ TableName: table, Item: { pk: `BENCH#probe#${i}`, sk: '#', n: i } }),
        );
      },
    );
  } catch {
    // A put the engine did not answer within the client's bounds: too slow to give a rate.
    return null;
  }
  return round(puts / ((performance.now() - start) / 1000), 1);
}
