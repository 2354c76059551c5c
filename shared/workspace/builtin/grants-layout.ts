/**
 * Which layout a workspace's grants are stored in, recorded on its meta item as `grantsLayout`:
 *
 * - 1 (no attribute: every workspace created by release 0.10.0 or earlier): grants may still be in the one
 *   partition `W#<ws>#grants`. Reads merge that partition with the per-group ones, removals delete
 *   both keys, new grants are written to the per-group partitions only.
 * - 2: every grant is in its group's partition `W#<ws>#grants#<groupId>`; the old partition is
 *   neither read nor written. Fresh workspaces start here; grants-migration.ts moves the others.
 *
 * The layout only ever moves from 1 to 2, and only once the old partition is empty (the migration
 * checks it last). So a reader that sees 1 when it is already 2 (an eventually consistent read,
 * an instance that read it earlier) does extra work but nothing wrong, and 2, once seen, is kept
 * for the life of the process: no GetItem per grant call once a workspace is migrated.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../store/client';
import { keys } from './keys';

export type GrantsLayout = 1 | 2;

/** The layout this release writes, and fresh workspaces start in. */
export const GRANTS_LAYOUT: GrantsLayout = 2;

const migrated = new Set<string>();
const cacheKey = (db: Db, workspaceId: string) => `${db.table}\u0000${workspaceId}`;

export async function readGrantsLayout(db: Db, workspaceId: string): Promise<GrantsLayout> {
  if (migrated.has(cacheKey(db, workspaceId))) return 2;
  const out = await db.doc.send(
    new GetCommand({
      TableName: db.table,
      Key: keys.meta(workspaceId),
      ProjectionExpression: 'grantsLayout',
    }),
  );
  // A missing workspace reads as layout 1: its reads are empty either way.
  if (out.Item?.grantsLayout !== 2) return 1;
  rememberGrantsMigrated(db, workspaceId);
  return 2;
}

/** Records layout 2; only once the old partition has been found empty (grants-migration.ts). */
export async function markGrantsMigrated(db: Db, workspaceId: string): Promise<void> {
  await db.doc.send(
    new UpdateCommand({
      TableName: db.table,
      Key: keys.meta(workspaceId),
      UpdateExpression: 'SET grantsLayout = :layout',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':layout': GRANTS_LAYOUT },
    }),
  );
  rememberGrantsMigrated(db, workspaceId);
}

/** For a workspace this process has just created in layout 2 (create-builtin-workspace.ts). */
export function rememberGrantsMigrated(db: Db, workspaceId: string): void {
  migrated.add(cacheKey(db, workspaceId));
}
