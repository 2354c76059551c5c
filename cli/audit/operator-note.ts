/**
 * The operator commands' audit notes (shared/audit/audit-note.ts): `roster token` and
 * `roster workspace` change nothing whose stream record says who did it, so each writes a note
 * after its change, stamped with the operator and the command (cli/main.ts sets that context).
 *
 * The change has already happened when the note is written, so a note that cannot be written does
 * not turn the command into a failure (a script retrying a "failed" `token rotate` would rotate
 * twice and cut off the IdP's previous token): the command says loudly on stderr that the audit
 * trail lacks it, and why, and keeps its exit status.
 */
import { randomUUID } from 'node:crypto';
import type { NoteEvent } from '../../shared/audit/audit-note';
import { writeAuditNote } from '../../shared/audit/audit-note';
import type { Db } from '../../shared/store/client';
import { describeCliError } from '../cli-error';
import type { CliIo } from '../workspace/cli-io';

/** Where the note goes: the table, and the connections whose trail it belongs in. */
export interface NoteTarget {
  /** Throws with the reason when the target has no table to write to. */
  db: () => Promise<Db>;
  /** Read when the note is written, so a failure to find them is reported like a failed write. */
  connectionIds: () => Promise<readonly string[]>;
}

export async function writeOperatorNote(
  io: CliIo,
  target: NoteTarget,
  events: readonly NoteEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const noteId = `op:${randomUUID()}`;
  try {
    const connectionIds = await target.connectionIds();
    if (connectionIds.length === 0) return;
    const db = await target.db();
    await Promise.all(connectionIds.map((id) => writeAuditNote(db, id, noteId, events)));
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    io.err(
      `roster: warning: the change was made, but the audit trail does not record it: ${describeCliError(error)}`,
    );
  }
}
