/**
 * The entries of the audit notes a connection's writers put (shared/audit/audit-note.ts), derived
 * the way the apply function derives them from the stream, read straight from the table (a Scan:
 * note ids are random for operator commands).
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../shared/audit/audit-entry';
import { auditEntriesOf } from '../../shared/audit/derive';
import type { Db } from '../../shared/store/client';

export async function noteItems(db: Db, connectionId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(
      new ScanCommand({
        TableName: db.table,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': `C#${connectionId}#NOTE#` },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** One INSERT stream record per note item, as the stream would carry it. */
export function noteEntries(items: readonly Record<string, unknown>[]): AuditEntry[] {
  return items
    .flatMap((item, index) =>
      auditEntriesOf({
        eventName: 'INSERT',
        eventID: `ev-${index}`,
        dynamodb: {
          Keys: marshall({ pk: item.pk, sk: item.sk }),
          NewImage: marshall(item, { removeUndefinedValues: true }),
        },
      }),
    )
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

export async function noteEntriesOf(db: Db, connectionId: string): Promise<AuditEntry[]> {
  return noteEntries(await noteItems(db, connectionId));
}
