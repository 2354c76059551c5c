import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { ChangeRecord } from '../../../shared/apply/stream-trigger';
import { runAudited } from '../../../shared/audit/audit-context';
import type { NoteEvent } from '../../../shared/audit/audit-note';
import {
  auditNoteItems,
  InvalidNoteIdError,
  MAX_NOTE_EVENTS,
  writeAuditNote,
} from '../../../shared/audit/audit-note';
import { auditEntriesOf } from '../../../shared/audit/derive';
import { triggerOf } from '../../../shared/apply/stream-trigger';
import { keys } from '../../../shared/store/keys';
import { testDb, uniqueConnectionId } from '../../support/db';
import { noteEntriesOf, noteItems } from '../../support/audit-notes';

type Item = Record<string, unknown>;

const event = (n: number): NoteEvent => ({
  type: 'Roster Workspace Changed',
  action: 'applied',
  object: { kind: 'WorkspaceGroup', id: `wg-${n}`, label: 'Engineers' },
  changes: [{ attribute: 'memberId', before: `m-${n}` }],
  related: [{ kind: 'Group', id: `g-${n}` }],
});

function record(eventName: string, item: Item, old?: Item): ChangeRecord {
  return {
    eventName,
    eventID: `ev-${Math.random().toString(36).slice(2)}`,
    dynamodb: {
      Keys: marshall({ pk: item.pk, sk: item.sk }),
      ...(eventName !== 'REMOVE' ? { NewImage: marshall(item, { removeUndefinedValues: true }) } : {}),
      ...(old ? { OldImage: marshall(old, { removeUndefinedValues: true }) } : {}),
    },
  };
}

describe('audit notes', () => {
  it('split into items of at most MAX_NOTE_EVENTS events, stamped with the writer, expiring in a day', () => {
    const now = new Date('2024-05-01T10:00:00.000Z');
    const items = runAudited({ actor: 'sync', ref: 'run-1' }, () =>
      auditNoteItems(
        'conn-a',
        'sync:run-1:0',
        Array.from({ length: 2 * MAX_NOTE_EVENTS + 1 }, (_, n) => event(n)),
        now,
      ),
    );
    expect(items.map((item) => item.pk)).toEqual([
      'C#conn-a#NOTE#sync:run-1:0.0',
      'C#conn-a#NOTE#sync:run-1:0.1',
      'C#conn-a#NOTE#sync:run-1:0.2',
    ]);
    expect(items.map((item) => (item.events as unknown[]).length)).toEqual([
      MAX_NOTE_EVENTS,
      MAX_NOTE_EVENTS,
      1,
    ]);
    expect(items[0]?.audit).toEqual({ actor: 'sync', ref: 'run-1', at: now.toISOString() });
    expect(items[0]?.expiresAt).toBe(Math.floor(now.getTime() / 1000) + 86_400);
    expect(auditNoteItems('conn-a', 'empty', [])).toEqual([]);
  });

  it('refuses a note id that would break the key', () => {
    expect(() => auditNoteItems('conn-a', 'a#b', [event(1)])).toThrow(InvalidNoteIdError);
    expect(() => auditNoteItems('conn-a', '', [event(1)])).toThrow(InvalidNoteIdError);
  });

  it('are no trigger for the apply: only the audit trail reads them', () => {
    const [item] = auditNoteItems('conn-a', 'op:1', [event(1)]);
    expect(triggerOf(record('INSERT', item as Item))).toBeUndefined();
  });

  it('become one entry per event, with ids from the note: a note put again yields the same entries', () => {
    const [item] = runAudited({ actor: 'operator', ref: 'roster token rotate' }, () =>
      auditNoteItems('conn-a', 'op:abc', [event(1), event(2)], new Date('2024-05-01T10:00:00.000Z')),
    );
    const first = auditEntriesOf(record('INSERT', item as Item));
    expect(first).toEqual([
      {
        id: 'note:op:abc.0:0',
        at: '2024-05-01T10:00:00.000Z',
        actor: 'operator',
        ref: 'roster token rotate',
        connectionId: 'conn-a',
        type: 'Roster Workspace Changed',
        action: 'applied',
        object: { kind: 'WorkspaceGroup', id: 'wg-1', label: 'Engineers' },
        changes: [{ attribute: 'memberId', before: 'm-1' }],
        related: [{ kind: 'Group', id: 'g-1' }],
      },
      expect.objectContaining({ id: 'note:op:abc.0:1' }),
    ]);
    expect(auditEntriesOf(record('MODIFY', item as Item, item as Item))).toEqual(first);
    // Its expiry is no news.
    expect(auditEntriesOf(record('REMOVE', item as Item, item as Item))).toEqual([]);
  });

  it('carry only the types, actions and objects a note may: a forged user change or a bogus object is left out', () => {
    const hostile = {
      ...keys.auditNote('conn-a', 'op:evil'),
      audit: { actor: 'operator', at: '2024-05-01T10:00:00.000Z' },
      events: [
        { ...event(1), type: 'Roster User Changed' },
        { ...event(2), action: 'exploded' },
        { ...event(3), object: { kind: 'Secret', id: 'x' } },
        { ...event(4), object: { kind: 'Member', id: 42 } },
        'not an object',
        {
          ...event(5),
          changes: [{ attribute: 'name', after: '<script>alert(1)</script>', extra: 'dropped' }, { nope: 1 }],
          related: [
            { kind: 'Token', id: 't' },
            { kind: 'User', id: 'u-1' },
          ],
        },
      ],
    };
    const entries = auditEntriesOf(record('INSERT', hostile));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      id: 'note:op:evil:5',
      type: 'Roster Workspace Changed',
      // Strings are data: kept as sent, never interpreted.
      changes: [{ attribute: 'name', after: '<script>alert(1)</script>' }],
      related: [{ kind: 'User', id: 'u-1' }],
    });
    expect(JSON.stringify(entries)).not.toContain('dropped');
  });

  it('are written to the table, and only under the connection named', async () => {
    const db = testDb();
    const connectionId = uniqueConnectionId('note');
    const other = uniqueConnectionId('note');
    await writeAuditNote(db, connectionId, 'op:w1', [event(1), event(2)]);
    expect(await noteItems(db, other)).toEqual([]);
    const entries = await noteEntriesOf(db, connectionId);
    expect(entries.map((e) => [e.connectionId, e.object.id])).toEqual([
      [connectionId, 'wg-1'],
      [connectionId, 'wg-2'],
    ]);
  });
});
