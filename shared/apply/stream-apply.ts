/**
 * Applies a batch of the table's stream records to the workspace: the body of the apply function
 * on AWS (functions/apply/handler.ts, fed by a Lambda event source mapping) and of `npm start`'s
 * stream poller (local/stream-poller.ts), so local behaviour is AWS behaviour.
 *
 * The records of a batch become units, one per resource (and one per group for its memberships),
 * so a resource changed five times in a batch is applied once, at its newest version: a newer
 * desired version supersedes one not yet applied. Users (and deletions) go first, then groups, then
 * memberships, so that what a membership needs is linked first when the batch holds both; units of
 * one phase run side by side.
 *
 * A workspace failure is not a batch failure (the resource stays pending and the retry pass applies
 * it with backoff). A unit that throws (the table failed) is reported as a partial batch failure
 * with its first record's sequence number: Lambda delivers the batch again from there, bisecting
 * on error, a bounded number of times, then hands it to the dead-letter queue, which alarms.
 */
import { runAudited } from '../audit/audit-context';
import type { AuditTrail } from '../audit/audit-trail';
import { logger } from '../http/logger';
import type { Connection } from '../secrets/connection';
import type { GroupRecord, UserRecord } from '../store/record';
import { eachLimited } from '../sync/link-recorder';
import { ResourceApply } from './resource-apply';
import type { ResourceApplyDeps } from './resource-apply';
import { triggerOf } from './stream-trigger';
import type { ChangeRecord, Trigger } from './stream-trigger';

export interface StreamApplyDeps extends ResourceApplyDeps {
  /** The connection a record belongs to; undefined when it is gone (its records are dropped). */
  connection(connectionId: string): Promise<Connection | undefined>;
  /** Units applied side by side within a phase (default 8). */
  concurrency?: number;
  /** Records the batch's changes in the audit trail (shared/audit/), after the apply. */
  audit?: AuditTrail;
}

/** Lambda's partial batch response for stream sources. */
export interface StreamBatchResult {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface StreamBatchCounts {
  records: number;
  units: number;
  failed: number;
}

type Unit =
  | { kind: 'user'; connectionId: string; id: string; before: UserRecord[]; first: string }
  | { kind: 'group'; connectionId: string; id: string; before: GroupRecord[]; first: string }
  | { kind: 'members'; connectionId: string; id: string; userIds: string[]; first: string }
  | { kind: 'userDeleted'; connectionId: string; id: string; user: UserRecord; first: string }
  | { kind: 'groupDeleted'; connectionId: string; id: string; group: GroupRecord; first: string };

const PHASES: readonly (readonly Unit['kind'][])[] = [
  ['userDeleted', 'groupDeleted', 'user'],
  ['group'],
  ['members'],
];

/** What the apply writes (its outcomes) is stamped as the apply's (shared/audit/). */
export function applyStreamRecords(
  deps: StreamApplyDeps,
  records: readonly ChangeRecord[],
  counts?: StreamBatchCounts,
): Promise<StreamBatchResult> {
  return runAudited({ actor: 'apply' }, () => applyBatch(deps, records, counts));
}

async function applyBatch(
  deps: StreamApplyDeps,
  records: readonly ChangeRecord[],
  counts?: StreamBatchCounts,
): Promise<StreamBatchResult> {
  const units = unitsOf(records);
  const apply = new ResourceApply(deps);
  const connections = new Map<string, Connection | undefined>();
  for (const id of new Set(units.map((unit) => unit.connectionId))) {
    connections.set(id, await deps.connection(id));
  }
  const failures: string[] = [];
  for (const phase of PHASES) {
    const due = units.filter((unit) => phase.includes(unit.kind));
    await eachLimited(due, deps.concurrency ?? 8, async (unit) => {
      const connection = connections.get(unit.connectionId);
      if (!connection) return;
      try {
        await run(apply, connection, unit);
      } catch (error) {
        failures.push(unit.first);
        logger.error('apply failed; the stream delivers the record again', {
          connectionId: unit.connectionId,
          unit: unit.kind,
          resourceId: unit.id,
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
    });
  }
  if (deps.audit) {
    try {
      await deps.audit.record(records);
    } catch (error) {
      // The whole batch again: the apply skips what it applied, the trail rewrites the same items.
      const first = records[0]?.dynamodb?.SequenceNumber;
      if (first !== undefined && !failures.includes(first)) failures.unshift(first);
      logger.error('audit trail failed; the stream delivers the batch again', {
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  }
  if (counts) {
    counts.records += records.length;
    counts.units += units.length;
    counts.failed += failures.length;
  }
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
}

async function run(apply: ResourceApply, connection: Connection, unit: Unit): Promise<void> {
  switch (unit.kind) {
    case 'user':
      await apply.user(connection, unit.id, unit.before);
      return;
    case 'group':
      return apply.group(connection, unit.id, unit.before);
    case 'members':
      return apply.members(connection, unit.id, unit.userIds);
    case 'userDeleted':
      return apply.userDeleted(connection, unit.user);
    case 'groupDeleted':
      return apply.groupDeleted(connection, unit.group);
  }
}

/** One unit per resource (per group's memberships), in the order their first records came. */
function unitsOf(records: readonly ChangeRecord[]): Unit[] {
  const units = new Map<string, Unit>();
  for (const [index, record] of records.entries()) {
    const trigger = triggerOf(record);
    if (!trigger) continue;
    const first = record.dynamodb?.SequenceNumber ?? String(index);
    merge(units, trigger, first);
  }
  return [...units.values()];
}

function merge(units: Map<string, Unit>, trigger: Trigger, first: string): void {
  const { connectionId } = trigger;
  switch (trigger.kind) {
    case 'user': {
      const key = `user#${connectionId}#${trigger.userId}`;
      const unit = units.get(key);
      if (unit?.kind === 'user') {
        if (trigger.before) unit.before.push(trigger.before);
      } else {
        units.set(key, {
          kind: 'user',
          connectionId,
          id: trigger.userId,
          before: trigger.before ? [trigger.before] : [],
          first,
        });
      }
      return;
    }
    case 'group': {
      const key = `group#${connectionId}#${trigger.groupId}`;
      const unit = units.get(key);
      if (unit?.kind === 'group') {
        if (trigger.before) unit.before.push(trigger.before);
      } else {
        units.set(key, {
          kind: 'group',
          connectionId,
          id: trigger.groupId,
          before: trigger.before ? [trigger.before] : [],
          first,
        });
      }
      return;
    }
    case 'member': {
      const key = `members#${connectionId}#${trigger.groupId}`;
      const unit = units.get(key);
      if (unit?.kind === 'members') unit.userIds.push(trigger.userId);
      else
        units.set(key, {
          kind: 'members',
          connectionId,
          id: trigger.groupId,
          userIds: [trigger.userId],
          first,
        });
      return;
    }
    case 'userDeleted': {
      const key = `userDeleted#${connectionId}#${trigger.user.id}`;
      if (!units.has(key))
        units.set(key, { kind: 'userDeleted', connectionId, id: trigger.user.id, user: trigger.user, first });
      return;
    }
    case 'groupDeleted': {
      const key = `groupDeleted#${connectionId}#${trigger.group.id}`;
      if (!units.has(key))
        units.set(key, {
          kind: 'groupDeleted',
          connectionId,
          id: trigger.group.id,
          group: trigger.group,
          first,
        });
      return;
    }
  }
}
