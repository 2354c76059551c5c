/**
 * The full sync's storage upkeep: a run (not a dry run) migrates a built-in workspace still in the
 * old grants layout before reading it, within a bounded budget, and a failing upkeep never fails
 * the run.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoLinkStore } from '../../../shared/store/dynamo-link-store';
import { PREPARATION_BUDGET_MS, prepareStorage } from '../../../shared/sync/prepare-storage';
import { runSync } from '../../../shared/sync/run-sync';
import { keys } from '../../../shared/workspace/builtin/keys';
import type { WorkspaceConnector } from '../../../shared/workspace/port';
import {
  groupItems,
  legacyGrantItems,
  legacyWorkspace,
  memberId,
  putItems,
} from '../../support/builtin-seed';
import { itemsIn, testDb, uniqueConnectionId } from '../../support/db';

/** A connector with nothing but the upkeep, for the budget rules. */
function preparing(prepare: (deadline: number) => Promise<Record<string, number>>): WorkspaceConnector {
  return { prepareForSync: prepare } as unknown as WorkspaceConnector;
}

describe('full sync: storage upkeep before the reads', () => {
  it('a run migrates an old-layout workspace before reading it; a dry run leaves it as it is', async () => {
    const db = testDb();
    const workspaceId = uniqueConnectionId('w');
    const workspace = await legacyWorkspace(db, workspaceId);
    await workspace.insertMember({ email: 'owner@example.com', name: 'Owner', admin: true }, false);
    await putItems(db, [
      ...groupItems(workspaceId, 'g-1'),
      ...[0, 1, 2].flatMap((m) => legacyGrantItems(workspaceId, 'g-1', memberId(m))),
    ]);
    const connectionId = uniqueConnectionId('c');
    const deps = { db, store: new DynamoLinkStore(db), connector: workspace.as(connectionId), connectionId };
    const layout = async () =>
      (
        await db.doc.send(
          new GetCommand({ TableName: db.table, Key: keys.meta(workspaceId), ConsistentRead: true }),
        )
      ).Item?.grantsLayout;

    const dry = await runSync(deps, { dryRun: true });
    expect(dry.status).toBe('completed');
    expect(await layout()).toBeUndefined();
    expect(await itemsIn([keys.legacyGrantsPk(workspaceId)])).toHaveLength(3);

    const run = await runSync(deps);
    expect(run.status).toBe('completed');
    expect(run.status !== 'overlapping' && run.run.read?.grants).toBe(3);
    expect(await layout()).toBe(2);
    expect(await itemsIn([keys.legacyGrantsPk(workspaceId)])).toEqual([]);
    expect((await itemsIn([keys.grantsPk(workspaceId, 'g-1')])).map((item) => item.sk)).toEqual(
      [0, 1, 2].map(memberId),
    );
  });

  it('gives the upkeep at most two minutes, and half of what the invocation can spare', async () => {
    const deadlines: number[] = [];
    const connector = preparing((deadline) => {
      deadlines.push(deadline);
      return Promise.resolve({});
    });
    const before = Date.now();
    await prepareStorage({ connector, connectionId: 'c', reserveMs: 60_000 });
    await prepareStorage({ connector, connectionId: 'c', remainingMs: () => 900_000, reserveMs: 60_000 });
    await prepareStorage({ connector, connectionId: 'c', remainingMs: () => 180_000, reserveMs: 60_000 });
    const after = Date.now();
    expect(deadlines).toHaveLength(3);
    expect(deadlines[0]).toBeGreaterThanOrEqual(before + PREPARATION_BUDGET_MS);
    expect(deadlines[0]).toBeLessThanOrEqual(after + PREPARATION_BUDGET_MS);
    expect(deadlines[1]).toBeLessThanOrEqual(after + PREPARATION_BUDGET_MS);
    // (180 s − twice the 60 s reserve) / 2
    expect(deadlines[2]).toBeLessThanOrEqual(after + 30_000);
    expect(deadlines[2]).toBeGreaterThanOrEqual(before + 30_000);
  });

  it('skips the upkeep when the invocation has no time to spare, and never fails on it', async () => {
    let calls = 0;
    const failing = preparing(() => {
      calls++;
      return Promise.reject(new Error('table unavailable'));
    });
    await prepareStorage({
      connector: failing,
      connectionId: 'c',
      remainingMs: () => 120_000,
      reserveMs: 60_000,
    });
    expect(calls).toBe(0);
    await expect(
      prepareStorage({ connector: failing, connectionId: 'c', reserveMs: 60_000 }),
    ).resolves.toBeUndefined();
    expect(calls).toBe(1);
  });
});
