// @vitest-environment stream-engine
/**
 * The stored plan (run-store.ts): the apply runs from the plan as stored, batch by batch, not from
 * a copy kept in memory; and a plan that cannot be stored (the table keeps leaving its writes
 * unprocessed) fails the run, bounded, before anything is applied.
 */
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchWriteCommandInput, GetCommandInput } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BATCH_ATTEMPTS, UnprocessedWritesError } from '../../../shared/store/batch';
import { DynamoLinkStore } from '../../../shared/store/dynamo-link-store';
import { runSync } from '../../../shared/sync/run-sync';
import { putChunks } from '../../../shared/sync/run-store';
import type { SyncRun } from '../../../shared/sync/sync-run';
import { backoff } from '../../../shared/store/transact';
import { passThroughDb } from '../../support/pass-through-db';
import { syncWorld } from './sync-world';

vi.mock(import('../../../shared/store/transact'), async (original) => ({
  ...(await original()),
  backoff: vi.fn(async () => undefined),
}));

const mocks: { restore(): void }[] = [];
afterEach(() => {
  for (const mock of mocks.splice(0)) mock.restore();
  vi.mocked(backoff).mockClear();
});

function mocked() {
  const made = passThroughDb();
  mocks.push(made.mock);
  return made;
}

/** Three users created while the workspace was down: the sync plans to provision them. */
async function worldWithThreePending() {
  const world = await syncWorld();
  world.setDown(true);
  const userIds = [
    await world.h.createUser('ada@example.com'),
    await world.h.createUser('grace@example.com'),
    await world.h.createUser('alan@example.com'),
  ];
  world.setDown(false);
  return { world, userIds };
}

describe('the stored plan', () => {
  it('is what the apply runs: each batch is read back from the table, in order', async () => {
    const { world, userIds } = await worldWithThreePending();
    const { db, mock, real } = mocked();
    const chunkReads: string[] = [];
    mock.on(GetCommand).callsFake((input: GetCommandInput) => {
      const sk = String(input.Key?.sk ?? '');
      if (sk.startsWith('CHANGES#')) chunkReads.push(sk);
      return real.doc.send(new GetCommand(input));
    });

    const result = await runSync({
      db,
      store: new DynamoLinkStore(db),
      connector: world.workspace.as(world.connectionId),
      connectionId: world.connectionId,
      batchSize: 2,
    });

    expect(result.status).toBe('completed');
    const run = (result as { run: SyncRun }).run;
    expect(run.counts.provisionMember).toEqual({ planned: 3, applied: 3, failed: 0 });
    // provisionMember ×3 and markMemberManaged ×3 in batches of 2.
    expect(run.chunkCount).toBe(3);
    expect(chunkReads).toEqual(['CHANGES#000000', 'CHANGES#000001', 'CHANGES#000002']);
    for (const userId of userIds) expect(await world.linkOf(userId)).toBeDefined();
  });

  it('that cannot be stored fails the run after the bound, applies nothing and frees the lease', async () => {
    const { world, userIds } = await worldWithThreePending();
    const { db, mock } = mocked();
    mock.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => ({
      UnprocessedItems: input.RequestItems,
    }));

    const result = await runSync({
      db,
      store: new DynamoLinkStore(db),
      connector: world.workspace.as(world.connectionId),
      connectionId: world.connectionId,
    });

    expect(result.status).toBe('failed');
    const run = (result as { run: SyncRun }).run;
    expect(run.errors[0]).toMatch(/^run failed: UnprocessedWritesError: /);
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(BATCH_ATTEMPTS);
    // Read back: no account was provisioned and no user was linked.
    for (const email of ['ada@example.com', 'grace@example.com', 'alan@example.com'])
      expect(await world.workspace.findMemberByEmail(email)).toBeUndefined();
    for (const userId of userIds) expect(await world.linkOf(userId)).toBeUndefined();

    // The lease went with the failed run: the next run (the table healthy again) applies the plan.
    const next = await world.run();
    expect(next.status).toBe('completed');
    expect(next.counts.provisionMember).toEqual({ planned: 3, applied: 3, failed: 0 });
  });

  it('putChunks gives up after the bound with a typed error', async () => {
    const { db, mock } = mocked();
    mock.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => ({
      UnprocessedItems: input.RequestItems,
    }));
    const run = { connectionId: 'c-chunks', runId: 'r1', startedAt: new Date().toISOString() } as SyncRun;
    const error = await putChunks(db, run, 'CHANGES', [[1], [2]]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessedWritesError);
    expect(error).toMatchObject({ attempts: BATCH_ATTEMPTS, unprocessed: 2 });
    expect(vi.mocked(backoff)).toHaveBeenCalledTimes(BATCH_ATTEMPTS - 1);
  });
});
