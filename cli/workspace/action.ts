/**
 * Runs one workspace command: opens the target workspace, runs the body, and turns the refusals a
 * person can act on (IdP-owned objects, rejected edits, no instance) into a message and exit code 1;
 * any other failure is one line with its fix too (cli-error.ts), its stack only with `--debug`.
 */
import type { Command } from 'commander';
import { AUDIT_TYPES } from '../../shared/audit/audit-entry';
import type { NoteEvent } from '../../shared/audit/audit-note';
import { DynamoConnectionDirectory } from '../../shared/secrets/dynamo-connection-directory';
import type { Db } from '../../shared/store/client';
import { writeOperatorNote } from '../audit/operator-note';
import { ManagedByIdpError } from '../../shared/workspace/builtin/managed-by-idp-error';
import type { BuiltinWorkspaceAdmin } from '../../shared/workspace/builtin/builtin-workspace-admin';
import { WorkspaceRejectedError } from '../../shared/workspace/workspace-error';
import { describeCliError, printStack, reportCliError } from '../cli-error';
import type { CliIo } from './cli-io';
import { openWorkspace, TargetNotFoundError } from './target';
import type { TargetFlags } from './target';

export interface CommandContext {
  admin: BuiltinWorkspaceAdmin;
  io: CliIo;
  json: boolean;
  /** Prints `value` as JSON with --json, otherwise the given text lines. */
  print(value: unknown, text: () => string[]): void;
  /** Records an edit for the audit trail, written once the command's body has succeeded. */
  note(edit: WorkspaceEdit): void;
}

/** One edit of the workspace, as the audit trail records it (`Roster Workspace Changed`). */
export type WorkspaceEdit = Omit<NoteEvent, 'type'>;

export function workspaceAction<A extends unknown[]>(
  io: CliIo,
  body: (context: CommandContext, ...args: A) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  // Commander calls actions with the positional arguments, then the options, then the command.
  return async (...args) => {
    const command = args[args.length - 1] as Command;
    const flags = command.optsWithGlobals<TargetFlags & { json?: boolean }>();
    const json = flags.json === true;
    try {
      const { admin, db, workspaceId } = await openWorkspace(flags);
      const print = (value: unknown, text: () => string[]) => {
        for (const line of json ? [JSON.stringify(value, null, 2)] : text()) io.out(line);
      };
      const edits: WorkspaceEdit[] = [];
      await body({ admin, io, json, print, note: (edit) => edits.push(edit) }, ...(args.slice(0, -1) as A));
      if (edits.length > 0) await noteEdits(io, db, workspaceId, edits);
    } catch (error) {
      if (
        error instanceof ManagedByIdpError ||
        error instanceof WorkspaceRejectedError ||
        error instanceof TargetNotFoundError
      ) {
        io.err(
          json ? JSON.stringify({ error: error.name, message: error.message }) : `roster: ${error.message}`,
        );
        io.exitCode = 1;
        return;
      }
      // Anything else (the instance out of reach, a table that is not there): one line too.
      if (json && error instanceof Error) {
        io.err(JSON.stringify({ error: error.name, message: describeCliError(error) }));
        printStack(io, error);
        io.exitCode = 1;
        return;
      }
      reportCliError(io, error);
    }
  };
}

/** Plain columns, padded to the widest cell. */
export function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

/**
 * An edit is recorded in the trail of every connection bound to the workspace: those are the
 * trails whose readers care who else changed its members and groups (and its sign-in methods,
 * which the SAML-only check reads). A workspace no connection uses has no trail to record it in.
 */
async function noteEdits(io: CliIo, db: Db, workspaceId: string, edits: WorkspaceEdit[]): Promise<void> {
  await writeOperatorNote(
    io,
    {
      db: () => Promise.resolve(db),
      connectionIds: async () =>
        (await new DynamoConnectionDirectory(() => db).list())
          .filter(
            (c) =>
              c.settings.workspace.kind === 'builtin' && c.settings.workspace.workspaceId === workspaceId,
          )
          .map((c) => c.id),
    },
    edits.map((edit) => ({ ...edit, type: AUDIT_TYPES.workspaceChanged })),
  );
}
