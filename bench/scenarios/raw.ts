/**
 * The engine's own ceiling in the same run: PutItem then GetItem of user-sized items at concurrency
 * 16 through the document client, with nothing of Roster in between. The push is judged against it.
 * Also TransactWriteItems of 2 and of 21 puts (the sizes of an apply-state record and of a 20-member
 * PATCH's link-state write), because a SCIM write is transactions, and DynamoDB Local runs a
 * transaction much slower than the puts it holds.
 *
 * On a table of its own without a stream: DynamoDB Local gets slower with every stream record it
 * has held, so the raw items on the push's streamed table would slow the push measured after them
 * (and the ceiling is the engine's, as the push/PutItem ratio has always been taken).
 */
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Latencies, round } from '../latency';
import { runPool } from '../pool';
import { measured } from '../result';
import type { Scenario } from '../scenario';
import { scaled } from '../scenario';
import { userRecord } from '../seed/link-state-seed';
import { userItem } from '../../shared/store/user-items';
import { dynamoClient } from '../../shared/store/client';
import { ensureTable } from '../../shared/store/create-table';

const CONCURRENCY = 16;

export const raw: Scenario = async (env, { scale }) => {
  const count = scaled(10_000, scale, 50);
  const { doc } = env.db;
  const table = `${env.db.table}-raw`;
  const setup = dynamoClient(env.endpoint);
  try {
    await ensureTable(setup, table, { stream: false });
  } finally {
    setup.destroy();
  }
  const key = (i: number) => ({ pk: `BENCH#raw#${i}`, sk: '#' });
  const items = Array.from({ length: count }, (_, i) => ({
    ...userItem(
      userRecord(
        'raw',
        {
          id: `u-${i}`,
          userName: `raw${i}@bench.example`,
          email: `raw${i}@bench.example`,
          givenName: 'Raw',
          familyName: `User ${i}`,
          admin: false,
          memberId: `m-${i}`,
        },
        i,
      ),
    ),
    ...key(i),
  }));

  env.calls.reset();
  const puts = new Latencies();
  const putStart = performance.now();
  await runPool(items, CONCURRENCY, async (Item) => {
    await puts.time(() => doc.send(new PutCommand({ TableName: table, Item })));
  });
  const putSeconds = (performance.now() - putStart) / 1000;
  const putCalls = env.calls.stats.calls;

  env.calls.reset();
  const gets = new Latencies();
  const getStart = performance.now();
  await runPool(items, CONCURRENCY, async (_, i) => {
    await gets.time(() => doc.send(new GetCommand({ TableName: table, Key: key(i), ConsistentRead: true })));
  });
  const getSeconds = (performance.now() - getStart) / 1000;

  const transactions = async (size: number) => {
    const count_ = Math.max(10, Math.round(count / 10));
    const latencies = new Latencies();
    const start = performance.now();
    await runPool(
      Array.from({ length: count_ }, (_, i) => i),
      CONCURRENCY,
      async (i) => {
        const TransactItems = Array.from({ length: size }, (_, j) => ({
          Put: {
            TableName: table,
            Item: { ...items[(i * size + j) % items.length], pk: `BENCH#tx${size}#${i}`, sk: `${j}` },
          },
        }));
        await latencies.time(() => doc.send(new TransactWriteCommand({ TransactItems })));
      },
    );
    const seconds = (performance.now() - start) / 1000;
    return {
      items: size,
      operations: latencies.count,
      seconds: round(seconds, 3),
      opsPerSecond: round(latencies.count / seconds, 1),
      itemsPerSecond: round((latencies.count * size) / seconds, 1),
      p50Ms: latencies.percentile(50),
      p99Ms: latencies.percentile(99),
    };
  };
  const transaction2 = await transactions(2);
  const transaction21 = await transactions(21);

  return measured('raw', puts, putSeconds, putCalls, {
    operation: 'PutItem',
    concurrency: CONCURRENCY,
    itemBytes: Buffer.byteLength(JSON.stringify(items[0] ?? {})),
    getItem: {
      operations: gets.count,
      seconds: round(getSeconds, 3),
      opsPerSecond: round(gets.count / getSeconds, 1),
      p50Ms: gets.percentile(50),
      p95Ms: gets.percentile(95),
      p99Ms: gets.percentile(99),
    },
    transactWrite: [transaction2, transaction21],
  });
};
