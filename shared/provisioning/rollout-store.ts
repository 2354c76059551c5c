/**
 * The rollout settings item of a connection in the link-state table (`C#<conn>#ROLLOUT`), read
 * strongly consistent and written conditionally on the version read, so that two operators' edits
 * never lose one another and the sync's recording of a takeover never loses an operator's edit.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { auditStamp } from '../audit/audit-context';
import type { Db } from '../store/client';
import type { RolloutSettings } from './rollout-settings';
import { defaultRollout } from './rollout-settings';

export const rolloutKey = (connectionId: string) => ({ pk: `C#${connectionId}#ROLLOUT`, sk: '#' });

/** Thrown when the settings changed between the read and the write; read again and retry. */
export class RolloutConflictError extends Error {
  constructor(connectionId: string) {
    super(`the rollout settings of ${connectionId} were changed concurrently; try again`);
    this.name = 'RolloutConflictError';
  }
}

export async function readRollout(db: Db, connectionId: string): Promise<RolloutSettings> {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: rolloutKey(connectionId), ConsistentRead: true }),
  );
  const stored = out.Item?.settings as Partial<RolloutSettings> | undefined;
  const base = defaultRollout();
  if (!stored) return base;
  return {
    takeover: stored.takeover ?? base.takeover,
    takeovers: stored.takeovers ?? {},
    ...(stored.pilot ? { pilot: stored.pilot } : {}),
    released: { users: stored.released?.users ?? [], groups: stored.released?.groups ?? [] },
    version: Number(out.Item?.version ?? 0),
  };
}

/** Writes `next` if the stored version is still `next.version`; answers the settings as written. */
export async function writeRollout(
  db: Db,
  connectionId: string,
  next: RolloutSettings,
): Promise<RolloutSettings> {
  const written = { ...next, version: next.version + 1 };
  const { version, ...settings } = written;
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: { ...rolloutKey(connectionId), settings, version, audit: auditStamp() },
        ...(next.version === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': next.version } }),
      }),
    );
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException')
      throw new RolloutConflictError(connectionId);
    throw error;
  }
  return written;
}

/** Reads, changes and writes the settings, again on a concurrent write (a few times). */
export async function updateRollout(
  db: Db,
  connectionId: string,
  change: (current: RolloutSettings) => RolloutSettings,
): Promise<RolloutSettings> {
  for (let attempt = 1; ; attempt++) {
    const current = await readRollout(db, connectionId);
    try {
      return await writeRollout(db, connectionId, { ...change(current), version: current.version });
    } catch (error) {
      if (!(error instanceof RolloutConflictError) || attempt >= 5) throw error;
    }
  }
}

/**
 * Records groups linked by name as takeovers (by the sync's plan or the apply), so that later runs
 * keep holding the members the IdP does not list until an operator approves. A group already
 * recorded with the same workspace group keeps its record and approval; one linked to another
 * workspace group since is a new takeover.
 */
export async function recordTakeovers(
  db: Db,
  connectionId: string,
  takeovers: readonly { groupId: string; workspaceGroupId: string }[],
  now: Date,
): Promise<void> {
  const current = await readRollout(db, connectionId);
  const fresh = takeovers.filter(
    (t) => current.takeovers[t.groupId]?.workspaceGroupId !== t.workspaceGroupId,
  );
  if (fresh.length === 0 || current.takeover !== 'hold') return;
  await updateRollout(db, connectionId, (settings) => {
    const next = { ...settings.takeovers };
    for (const { groupId, workspaceGroupId } of fresh) {
      if (next[groupId]?.workspaceGroupId === workspaceGroupId) continue;
      next[groupId] = { workspaceGroupId, linkedAt: now.toISOString() };
    }
    return { ...settings, takeovers: next };
  });
}
