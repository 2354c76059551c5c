/**
 * Moves a workspace's grants from the old workspace-wide partition `W#<ws>#grants` to one partition
 * per group (grants-layout.ts), then records layout 2 on the workspace.
 *
 * Each grant moves in a transaction that puts the new item and deletes the old one on the condition
 * that it still exists, up to 50 grants per transaction. So a grant is never lost and never comes
 * back: a revoke in layout 1 deletes both keys in one transaction, and whichever of the two commits
 * first, the other sees it (a move after the revoke finds the old item gone and writes nothing; a
 * revoke after the move deletes the new item). A chunk refused because one of its grants is gone
 * is moved again grant by grant, each gone grant counted and skipped.
 *
 * Idempotent and resumable: moved grants are no longer in the old partition, so a run that stopped
 * (its deadline, a fault, a crash) is simply run again and moves what is left. Bounded: contention
 * is retried 5 times per transaction (shared/store/transact.ts), anything else fails the run with
 * nothing half-moved. Layout 2 is recorded only when a final strongly consistent Query finds the
 * old partition empty; no code of this release writes there, so it stays empty.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../store/client';
import { transact } from '../../store/transact';
import type { Write } from '../../store/transact';
import { WorkspaceRejectedError } from '../workspace-error';
import { markGrantsMigrated, readGrantsLayout } from './grants-layout';
import { keys } from './keys';

/** 100 items per transaction: a put and a delete per grant. */
const GRANTS_PER_TRANSACTION = 50;
/** Old-partition items read per Query, moved by this many transactions at once. */
const PAGE_SIZE = 200;
/** Passes over the old partition per run: a later pass finds what an older release wrote meanwhile. */
const PASSES = 3;

export interface GrantsMigrationOptions {
  /** Stop at a page boundary once this time (ms since the epoch) has passed; the next run resumes. */
  deadline?: number;
  now?: () => number;
}

export interface GrantsMigrationResult {
  /** Grants this run moved to their group's partition. */
  moved: number;
  /** Grants revoked before they could be moved: nothing to move. */
  gone: number;
  /** Old items without a group and member id, left where they are (the run is not complete). */
  unreadable: number;
  /** The workspace is in layout 2: every grant is in its group's partition. */
  complete: boolean;
}

class GrantGoneError extends Error {
  constructor() {
    super('the grant is no longer in the old partition');
    this.name = 'GrantGoneError';
  }
}

interface OldGrant {
  item: Record<string, unknown>;
  groupId: string;
  memberId: string;
}

export async function migrateGrants(
  db: Db,
  workspaceId: string,
  options: GrantsMigrationOptions = {},
): Promise<GrantsMigrationResult> {
  const now = options.now ?? Date.now;
  const result: GrantsMigrationResult = { moved: 0, gone: 0, unreadable: 0, complete: false };
  if ((await readGrantsLayout(db, workspaceId)) === 2) return { ...result, complete: true };
  for (let pass = 0; pass < PASSES; pass++) {
    result.unreadable = 0;
    let start: Record<string, unknown> | undefined;
    do {
      if (options.deadline !== undefined && now() >= options.deadline) return result;
      const page = await oldPage(db, workspaceId, start, PAGE_SIZE);
      const grants: OldGrant[] = [];
      for (const item of page.items) {
        const { groupId, memberId } = item;
        if (typeof groupId === 'string' && typeof memberId === 'string')
          grants.push({ item, groupId, memberId });
        else result.unreadable++;
      }
      const chunks: OldGrant[][] = [];
      for (let i = 0; i < grants.length; i += GRANTS_PER_TRANSACTION)
        chunks.push(grants.slice(i, i + GRANTS_PER_TRANSACTION));
      // Settled, not raced: a failed run returns with none of its transactions still in flight.
      const outcomes = await Promise.allSettled(chunks.map((chunk) => moveChunk(db, workspaceId, chunk)));
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') continue;
        result.moved += outcome.value.moved;
        result.gone += outcome.value.gone;
      }
      const failure = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failure) throw failure.reason;
      start = page.next;
    } while (start !== undefined);
    if (result.unreadable > 0) return result;
    if ((await oldPage(db, workspaceId, undefined, 1)).items.length === 0) {
      await markMigrated(db, workspaceId);
      return { ...result, complete: true };
    }
  }
  return result;
}

async function moveChunk(
  db: Db,
  workspaceId: string,
  chunk: OldGrant[],
): Promise<{ moved: number; gone: number }> {
  try {
    await transact(
      db,
      chunk.flatMap((grant) => moveWrites(db, workspaceId, grant)),
    );
    return { moved: chunk.length, gone: 0 };
  } catch (error) {
    if (!(error instanceof GrantGoneError)) throw error;
  }
  // One of them was revoked meanwhile: the others move one by one.
  let moved = 0;
  let gone = 0;
  for (const grant of chunk) {
    try {
      await transact(db, moveWrites(db, workspaceId, grant));
      moved++;
    } catch (error) {
      if (!(error instanceof GrantGoneError)) throw error;
      gone++;
    }
  }
  return { moved, gone };
}

function moveWrites(db: Db, workspaceId: string, grant: OldGrant): Write[] {
  const { pk: _pk, sk: _sk, ...attributes } = grant.item;
  return [
    {
      item: {
        Put: {
          TableName: db.table,
          Item: { ...attributes, ...keys.grant(workspaceId, grant.groupId, grant.memberId) },
        },
      },
    },
    {
      item: {
        Delete: {
          TableName: db.table,
          Key: keys.legacyGrant(workspaceId, grant.groupId, grant.memberId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      onConditionFailed: () => new GrantGoneError(),
    },
  ];
}

async function oldPage(
  db: Db,
  workspaceId: string,
  start: Record<string, unknown> | undefined,
  limit: number,
): Promise<{ items: Record<string, unknown>[]; next?: Record<string, unknown> }> {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.legacyGrantsPk(workspaceId) },
      ExclusiveStartKey: start,
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  return { items: out.Items ?? [], ...(out.LastEvaluatedKey ? { next: out.LastEvaluatedKey } : {}) };
}

async function markMigrated(db: Db, workspaceId: string): Promise<void> {
  try {
    await markGrantsMigrated(db, workspaceId);
  } catch (error) {
    // The meta item is missing: there is no such workspace (and so nothing was moved).
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException')
      throw new WorkspaceRejectedError(`workspace ${workspaceId} not found`, 404, 'not_found');
    throw error;
  }
}
