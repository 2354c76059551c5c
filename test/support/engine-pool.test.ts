/**
 * The test engine pool gives an engine back for a few short files, emptied, and kills it once it
 * has served enough: a reused engine never carries a table from the file before.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { dynamoClient } from '../../shared/store/client';
import {
  REUSE,
  claimEngine,
  killStartedEngines,
  releaseEngine,
  reusable,
  startEnginePool,
} from './engine-pool';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Until the pool has put the engine back in `ready/`. */
async function backInPool(pid: number): Promise<void> {
  await expect.poll(() => readdirSync(join(directory, 'ready')), { timeout: 5_000 }).toContain(String(pid));
}

describe('reusable', () => {
  it('reuses an engine until it has served REUSE.files files or REUSE.busyMs of their time', () => {
    expect(reusable(1, 1_000)).toBe(true);
    expect(reusable(REUSE.files - 1, REUSE.busyMs - 1)).toBe(true);
    expect(reusable(REUSE.files, 0)).toBe(false);
    expect(reusable(1, REUSE.busyMs)).toBe(false);
  });
});

const directory = mkdtempSync(join(tmpdir(), 'roster-pool-test-'));

describe('the engine pool', () => {
  const pool = startEnginePool(directory);
  afterAll(async () => {
    await pool.stop();
    killStartedEngines(directory);
  });

  it(
    'gives the same engine back emptied, then kills it after its last file',
    { timeout: 60_000 },
    async () => {
      const first = await claimEngine(directory);
      expect(first.files).toBe(0);
      const db = dynamoClient(first.endpoint);
      try {
        await db.send(
          new CreateTableCommand({
            TableName: 'left-behind',
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        );
        releaseEngine(directory, first);
        await backInPool(first.pid);

        // The pool has started a second engine meanwhile; the warm one is taken first.
        let engine = await claimEngine(directory);
        expect(engine.pid).toBe(first.pid);
        expect(engine.files).toBe(1);
        expect((await db.send(new ListTablesCommand({}))).TableNames).toEqual([]);

        for (let served = 2; served < REUSE.files; served++) {
          releaseEngine(directory, engine);
          await backInPool(first.pid);
          engine = await claimEngine(directory);
          expect(engine.pid).toBe(first.pid);
          expect(engine.files).toBe(served);
        }
        releaseEngine(directory, engine);
        await expect.poll(() => alive(first.pid), { timeout: 5_000 }).toBe(false);
        expect(readdirSync(directory)).not.toContain(String(first.pid));
      } finally {
        db.destroy();
      }
    },
  );
});
