/**
 * Audit notes: the audit trail's record of changes that no other item's stream record carries.
 *
 * Most entries are derived from the stream record of the item a change wrote (derive.ts). Three
 * kinds of change write no such item: a `roster token` command (on AWS the tokens live in Secrets
 * Manager), an operator's edit of the built-in workspace (`roster workspace`, items outside the
 * connection's key space) and the workspace side of a full sync's repair (a revoked grant the IdP
 * never asked for changes no desired state). Their writers put a note: one item in the connection's
 * `C#` space (keys.auditNote), stamped like every other write (audit-context.ts), holding up to
 * MAX_NOTE_EVENTS events. The apply function's stream mapping takes the note like any other record,
 * and derive.ts turns each event into an entry, which is then stored and published exactly as the
 * others are: one path to the table and to EventBridge, and no EventBridge permission for the CLI
 * or the full sync.
 *
 * A note's entry ids come from the note's id and the event's place in it, not from the stream
 * record, so a writer that puts the same note again (a resumed sync applying a batch again) writes
 * the same entries again: idempotent. Notes expire after a day (they only carry the events; the
 * entries are the record).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../store/client';
import { keys } from '../store/keys';
import { TTL_ATTRIBUTE } from '../store/table';
import { auditStamp } from './audit-context';
import type { AuditAction, AuditChange, AuditEntry } from './audit-entry';
import { AUDIT_TYPES } from './audit-entry';

/** The entry types a note may carry; every other type comes from its own item's record. */
export const NOTE_TYPES = [AUDIT_TYPES.connectionChanged, AUDIT_TYPES.workspaceChanged] as const;
export type NoteType = (typeof NOTE_TYPES)[number];

/** One change a note records: an entry without its id, time, connection and writer. */
export interface NoteEvent {
  type: NoteType;
  action: AuditAction;
  object: AuditEntry['object'];
  changes: AuditChange[];
  related?: AuditEntry['related'];
}

/** Events per note item: about 300 bytes each, so a note stays far below DynamoDB's 400 KB. */
export const MAX_NOTE_EVENTS = 100;
const NOTE_SECONDS = 24 * 60 * 60;

/** Note ids are `[A-Za-z0-9._:-]`: they end a partition key, which must hold no `#`. */
const NOTE_ID = /^[A-Za-z0-9._:-]{1,200}$/;

export class InvalidNoteIdError extends Error {
  constructor(noteId: string) {
    super(`an audit note id must be 1-200 of [A-Za-z0-9._:-], not ${JSON.stringify(noteId)}`);
    this.name = 'InvalidNoteIdError';
  }
}

/** The items a note is written as: `<noteId>.<n>` per MAX_NOTE_EVENTS events. */
export function auditNoteItems(
  connectionId: string,
  noteId: string,
  events: readonly NoteEvent[],
  now = new Date(),
): Record<string, unknown>[] {
  if (!NOTE_ID.test(noteId)) throw new InvalidNoteIdError(noteId);
  const items: Record<string, unknown>[] = [];
  for (let start = 0, part = 0; start < events.length; start += MAX_NOTE_EVENTS, part++) {
    items.push({
      ...keys.auditNote(connectionId, `${noteId}.${part}`),
      audit: auditStamp(now),
      events: events.slice(start, start + MAX_NOTE_EVENTS),
      [TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + NOTE_SECONDS,
    });
  }
  return items;
}

/**
 * Puts the note's items (nothing for no events). Not atomic with the change it records: the
 * writers call it after their change has happened and say so when it fails (see each writer).
 */
export async function writeAuditNote(
  db: Db,
  connectionId: string,
  noteId: string,
  events: readonly NoteEvent[],
  now = new Date(),
): Promise<void> {
  const items = auditNoteItems(connectionId, noteId, events, now);
  await Promise.all(items.map((Item) => db.doc.send(new PutCommand({ TableName: db.table, Item }))));
}
