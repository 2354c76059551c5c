/**
 * totalResults of a connection's users and groups, kept by counters written in the same transaction
 * as each create and delete. One counter item would be a hot spot: every create of a connection
 * would update it, and two transactions touching the same item cancel each other
 * (TransactionConflict), so a burst of IdP creates would serialise on it. The count is therefore
 * split over SHARDS items; a write picks one at random, so two concurrent creates collide with
 * probability 1/SHARDS (and the collision is retried), and reading sums all shards with one
 * strongly consistent BatchGetItem.
 */
import type { Db } from './client';
import { keys } from './keys';
import type { ResourceKind } from './link-store';
import type { Write } from './transact';
import { batchGet } from './batch';

export const SHARDS = 10;

export function counterChange(db: Db, connectionId: string, kind: ResourceKind, delta: number): Write {
  const shard = Math.floor(Math.random() * SHARDS);
  return {
    item: {
      Update: {
        TableName: db.table,
        Key: keys.counterShard(connectionId, kind, shard),
        UpdateExpression: 'ADD #n :d',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':d': delta },
      },
    },
  };
}

export function counterKeys(connectionId: string, kind: ResourceKind) {
  return Array.from({ length: SHARDS }, (_, shard) => keys.counterShard(connectionId, kind, shard));
}

export async function readCounter(db: Db, connectionId: string, kind: ResourceKind): Promise<number> {
  const shards = await batchGet(db, counterKeys(connectionId, kind));
  const total = shards.reduce((sum, item) => sum + (typeof item.n === 'number' ? item.n : 0), 0);
  return Math.max(0, total);
}
