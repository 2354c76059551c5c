import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/audit/audit-entry';
import { AUDIT_SHARDS, AuditStore, shardOf } from '../../../shared/audit/audit-store';
import { keys } from '../../../shared/store/keys';
import { testDb, uniqueConnectionId } from '../../support/db';

function anEntry(connectionId: string, n: number, at: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: `ev-${n}`,
    at,
    connectionId,
    type: 'Roster User Changed',
    action: 'updated',
    actor: 'idp',
    ref: `req-${n}`,
    object: { kind: 'User', id: `u-${n % 2}` },
    changes: [{ attribute: 'active', before: true, after: false }],
    ...extra,
  };
}

async function dayItems(connectionId: string, day: string) {
  const { doc, table } = testDb();
  const items: Record<string, unknown>[] = [];
  for (let shard = 0; shard < AUDIT_SHARDS; shard++) {
    const out = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditDay(connectionId, day, shard) },
      }),
    );
    items.push(...(out.Items ?? []));
  }
  return items;
}

describe('the audit store', () => {
  it('writes each entry once however often it is written, with its TTL from the retention', async () => {
    const c = uniqueConnectionId('audit');
    const store = new AuditStore(testDb(), 30);
    const entries = Array.from({ length: 30 }, (_, n) =>
      anEntry(c, n, `2024-05-01T10:00:${String(n).padStart(2, '0')}.000Z`),
    );
    await store.write(entries);
    await store.write(entries.slice(0, 10)); // a retried batch
    const items = await dayItems(c, '2024-05-01');
    expect(items).toHaveLength(30);
    const first = items.find((item) => (item.entry as AuditEntry).id === 'ev-0');
    expect(first?.expiresAt).toBe(Date.parse('2024-05-01T10:00:00.000Z') / 1000 + 30 * 86_400);
    expect(first?.pk).toBe(keys.auditDay(c, '2024-05-01', shardOf('ev-0')));
    // Spread over the day's shards.
    expect(new Set(items.map((item) => item.pk)).size).toBeGreaterThan(1);
  });

  it('answers by since and until, newest first, across days, up to the limit', async () => {
    const c = uniqueConnectionId('audit');
    const store = new AuditStore(testDb(), 30);
    await store.write([
      anEntry(c, 1, '2024-05-01T09:00:00.000Z'),
      anEntry(c, 2, '2024-05-02T09:00:00.000Z'),
      anEntry(c, 3, '2024-05-03T09:00:00.000Z'),
      anEntry(c, 4, '2024-05-03T10:00:00.000Z'),
    ]);
    const between = await store.query({
      connectionId: c,
      since: new Date('2024-05-01T12:00:00.000Z'),
      until: new Date('2024-05-03T09:30:00.000Z'),
    });
    expect(between.map((e) => e.id)).toEqual(['ev-3', 'ev-2']);
    const newest = await store.query({
      connectionId: c,
      since: new Date('2024-04-01T00:00:00.000Z'),
      until: new Date('2024-05-04T00:00:00.000Z'),
      limit: 3,
    });
    expect(newest.map((e) => e.id)).toEqual(['ev-4', 'ev-3', 'ev-2']);
    expect(newest[0]).toEqual(anEntry(c, 4, '2024-05-03T10:00:00.000Z'));
  });

  it('answers by object, including the users a group change added or removed', async () => {
    const c = uniqueConnectionId('audit');
    const store = new AuditStore(testDb(), 30);
    await store.write([
      anEntry(c, 1, '2024-05-01T09:00:00.000Z'),
      anEntry(c, 2, '2024-05-01T09:01:00.000Z'),
      anEntry(c, 3, '2024-05-01T09:02:00.000Z', {
        type: 'Roster Group Membership Changed',
        object: { kind: 'Group', id: 'g-1' },
        members: { added: ['u-1'], removed: [], addedCount: 1, removedCount: 0 },
      }),
    ]);
    const since = new Date('2024-01-01T00:00:00.000Z');
    const until = new Date('2024-06-01T00:00:00.000Z');
    const ofUser = await store.query({ connectionId: c, object: { kind: 'User', id: 'u-1' }, since, until });
    expect(ofUser.map((e) => e.id)).toEqual(['ev-3', 'ev-1']);
    const ofGroup = await store.query({
      connectionId: c,
      object: { kind: 'Group', id: 'g-1' },
      since,
      until,
    });
    expect(ofGroup.map((e) => e.id)).toEqual(['ev-3']);
    // Another connection's trail is out of reach.
    expect(
      await store.query({ connectionId: uniqueConnectionId('other'), since: new Date('2024-05-01'), until }),
    ).toEqual([]);
  });
});
