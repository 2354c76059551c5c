/**
 * Vitest global setup: starts DynamoDB Local once for the whole run and creates the table. Tests
 * share the table and isolate themselves by using their own connection ids (see `testDb`). Files
 * that run the stream-fed apply take engines of their own from a pool kept one ahead (engine-pool.ts,
 * stream-engine.ts); the teardown kills any engine left running.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoLocal } from '../../local/dynamo-local';
import type { DynamoLocal } from '../../local/dynamo-local';
import { dynamoClient } from '../../shared/store/client';
import { ensureTable } from '../../shared/store/create-table';
import { killStartedEngines, startEnginePool } from './engine-pool';
import type { EnginePool } from './engine-pool';

let dynamo: DynamoLocal | undefined;
let engines: string | undefined;
let pool: EnginePool | undefined;

export async function setup(): Promise<void> {
  // Every engine of the run, the workers' included (they inherit this), lives for one file or one
  // run: the quick-starting JVM costs half the CPU (local/dynamo-local.ts). Set it to `server` to compare.
  process.env.ROSTER_DYNAMODB_JVM ??= 'short-lived';
  engines = mkdtempSync(join(tmpdir(), 'roster-test-engines-'));
  process.env.ROSTER_TEST_ENGINES = engines;
  pool = startEnginePool(engines);
  dynamo = await startDynamoLocal();
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.ROSTER_TABLE = 'roster-test';
  process.env.AWS_REGION = 'local';
  const client = dynamoClient(dynamo.endpoint);
  await ensureTable(client, 'roster-test', { stream: false });
  client.destroy();
}

export async function teardown(): Promise<void> {
  await Promise.all([dynamo?.stop(), pool?.stop()]);
  if (engines) killStartedEngines(engines);
}
