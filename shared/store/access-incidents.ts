/**
 * Access incidents: a removal of access (deactivate or delete a member, revoke a grant, delete a
 * group) that could not be applied to the workspace. The SCIM answer follows the desired state
 * regardless, so the incident is what tells the operator that someone still holds access the IdP
 * took away. One item per workspace object and connection, in the connection's ACCESS partition
 * (see keys.ts), so that listing them is one Query:
 *
 * - writing the same incident again moves `lastSeenAt`, counts `attempts` and keeps `firstSeenAt`;
 * - resolving stamps it with the resolver (for the audit trail) and deletes it, both conditionally, so that a resolve decided from an older fact never deletes
 *   an incident written after that fact was read (`seenBefore`: only if last seen before an
 *   instant; `seen`: only if still exactly the version that was listed).
 *
 * The texts kept are the outcome's error (the workspace's error code and status, never its
 * message) and ids: no email addresses.
 */
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { auditStamp } from '../audit/audit-context';
import type { Db } from './client';
import { keys } from './keys';

/** What an incident is about, on the workspace side. */
export type AccessSubject =
  | { kind: 'member'; memberId: string }
  /** The account still holds the workspace's admin role, which the IdP took away. */
  | { kind: 'admin'; memberId: string }
  | { kind: 'grant'; workspaceGroupId: string; memberId: string }
  | { kind: 'group'; workspaceGroupId: string };

export type AccessKind = AccessSubject['kind'];

/** The changes that remove access. */
export type RemovalKind = 'deactivateMember' | 'deleteMember' | 'updateMember' | 'revoke' | 'deleteGroup';

/** The outcomes of a removal that leave the access in place. */
export type IncidentStatus = 'unsupported' | 'rejected' | 'unavailable';

/** What a writer knows about one failed removal. */
export type AccessIncidentReport = AccessSubject & {
  change: RemovalKind;
  /** The IdP-side user and group, where known. */
  userId?: string;
  groupId?: string;
  status: IncidentStatus;
  error: string;
};

/** An open incident as stored. */
export type AccessIncident = AccessIncidentReport & {
  connectionId: string;
  /** ISO-8601 instants. */
  firstSeenAt: string;
  lastSeenAt: string;
  attempts: number;
};

/** Which version of an incident a resolve may delete. */
export type ResolveGuard =
  /** Only an incident last seen before this instant (the removal applied after it started). */
  | { seenBefore: string }
  /** Only the version that was listed (resolving from a fact read after listing it). */
  | { seen: { lastSeenAt: string; attempts: number } };

export function subjectOf(incident: AccessSubject): AccessSubject {
  switch (incident.kind) {
    case 'member':
      return { kind: 'member', memberId: incident.memberId };
    case 'admin':
      return { kind: 'admin', memberId: incident.memberId };
    case 'grant':
      return { kind: 'grant', workspaceGroupId: incident.workspaceGroupId, memberId: incident.memberId };
    case 'group':
      return { kind: 'group', workspaceGroupId: incident.workspaceGroupId };
  }
}

/** Writes (or writes again) the incident; answers it as stored. One UpdateItem. */
export async function recordIncident(
  db: Db,
  connectionId: string,
  report: AccessIncidentReport,
  now: Date,
): Promise<AccessIncident> {
  const subject = subjectOf(report);
  const values: Record<string, unknown> = {
    connectionId,
    kind: report.kind,
    change: report.change,
    status: report.status,
    error: report.error,
    ...('memberId' in subject ? { memberId: subject.memberId } : {}),
    ...('workspaceGroupId' in subject ? { workspaceGroupId: subject.workspaceGroupId } : {}),
    // An id a later writer does not know (the sync revokes drift by workspace ids) is kept.
    ...(report.userId !== undefined ? { userId: report.userId } : {}),
    ...(report.groupId !== undefined ? { groupId: report.groupId } : {}),
    lastSeenAt: now.toISOString(),
    // Who found it (shared/audit/).
    audit: auditStamp(now),
  };
  const names: Record<string, string> = {};
  const attributeValues: Record<string, unknown> = { ':zero': 0, ':one': 1 };
  const sets: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    names[`#${name}`] = name;
    attributeValues[`:${name}`] = value;
    sets.push(`#${name} = :${name}`);
  }
  names['#firstSeenAt'] = 'firstSeenAt';
  names['#attempts'] = 'attempts';
  sets.push('#firstSeenAt = if_not_exists(#firstSeenAt, :lastSeenAt)');
  sets.push('#attempts = if_not_exists(#attempts, :zero) + :one');
  const out = await db.doc.send(
    new UpdateCommand({
      TableName: db.table,
      Key: keys.accessIncident(connectionId, subject),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: attributeValues,
      ReturnValues: 'ALL_NEW',
    }),
  );
  return incidentFromItem(out.Attributes ?? {});
}

/** Deletes the incident if the guard holds; false when there was none or it was written since. */
export async function resolveIncident(
  db: Db,
  connectionId: string,
  subject: AccessSubject,
  guard: ResolveGuard,
): Promise<boolean> {
  const condition =
    'seenBefore' in guard
      ? {
          ConditionExpression: 'lastSeenAt < :seenBefore',
          ExpressionAttributeValues: { ':seenBefore': guard.seenBefore },
        }
      : {
          ConditionExpression: 'lastSeenAt = :lastSeenAt AND attempts = :attempts',
          ExpressionAttributeValues: {
            ':lastSeenAt': guard.seen.lastSeenAt,
            ':attempts': guard.seen.attempts,
          },
        };
  const Key = keys.accessIncident(connectionId, subjectOf(subject));
  try {
    // Who resolved it: a deletion's stream record carries only the item as it was, so the stamp is
    // written onto the item first (a MODIFY, which the audit trail ignores) and the REMOVE's old
    // image then says who removed the access. Both writes hold the same guard: an incident written
    // again in between keeps its stamp from that write and is not deleted.
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key,
        UpdateExpression: 'SET audit = :audit',
        ...condition,
        ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ':audit': auditStamp() },
      }),
    );
    await db.doc.send(new DeleteCommand({ TableName: db.table, Key, ...condition }));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Every open incident of the connection, in key order (members, grants, groups): one Query a page. */
export async function listIncidents(db: Db, connectionId: string): Promise<AccessIncident[]> {
  const incidents: AccessIncident[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.accessPartition(connectionId) },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    incidents.push(...(out.Items ?? []).map(incidentFromItem));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return incidents;
}

function incidentFromItem(item: Record<string, unknown>): AccessIncident {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : undefined);
  const kind = text('kind');
  const memberId = text('memberId') ?? '';
  const workspaceGroupId = text('workspaceGroupId') ?? '';
  const subject: AccessSubject =
    kind === 'grant'
      ? { kind, workspaceGroupId, memberId }
      : kind === 'group'
        ? { kind, workspaceGroupId }
        : kind === 'admin'
          ? { kind, memberId }
          : { kind: 'member', memberId };
  const userId = text('userId');
  const groupId = text('groupId');
  return {
    ...subject,
    connectionId: text('connectionId') ?? '',
    change: (text('change') ?? 'deactivateMember') as RemovalKind,
    ...(userId !== undefined ? { userId } : {}),
    ...(groupId !== undefined ? { groupId } : {}),
    status: (text('status') ?? 'unavailable') as IncidentStatus,
    error: text('error') ?? '',
    firstSeenAt: text('firstSeenAt') ?? '',
    lastSeenAt: text('lastSeenAt') ?? '',
    attempts: typeof item.attempts === 'number' ? item.attempts : Number(item.attempts ?? 0),
  };
}
