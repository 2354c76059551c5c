/**
 * `roster`: local administration of a Roster instance. Each command family registers itself from
 * its own module, loaded only when it is the one invoked: `roster --help` and `roster sync …` do
 * not load the AWS clients of the other families. Add one entry to `FAMILIES` to add a family.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { setDefaultAuditContext } from '../shared/audit/audit-context';
import { reportCliError } from './cli-error';
import { processIo } from './workspace/cli-io';
import type { CliIo } from './workspace/cli-io';

type Register = (program: Command, io: CliIo) => void;

const FAMILIES: Readonly<Record<string, { description: string; load: () => Promise<Register> }>> = {
  workspace: {
    description: 'administer the built-in workspace (members, groups, sign-in)',
    load: async () => (await import('./workspace/command')).registerWorkspaceCommands,
  },
  sync: {
    description: 'run a full sync now, and read its reports',
    load: async () => (await import('./sync/command')).registerSyncCommands,
  },
  status: {
    description: 'access not removed (open access incidents) and resources not yet applied, per connection',
    load: async () => (await import('./status/command')).registerStatusCommand,
  },
  token: {
    description:
      'issue, rotate, revoke and list connection bearer tokens; set a connection’s SAML-only check',
    load: async () => (await import('./token')).registerTokenCommands,
  },
  preview: {
    description: 'what the next sync (or turning provisioning on) does to each person and group',
    load: async () => (await import('./preview/command')).registerPreviewCommand,
  },
  report: {
    description:
      'one HTML page: the latest sync, a chart of the recent runs, the preview, what is not applied',
    load: async () => (await import('./report/command')).registerReportCommand,
  },
  unlink: {
    description: 'hand an IdP-owned user or group back to the workspace, or delete it there',
    load: async () => (await import('./unlink/command')).registerUnlinkCommand,
  },
  connection: {
    description: "check a connection's workspace: credentials, rights, plan features, capabilities",
    load: async () => (await import('./connection/command')).registerConnectionCommands,
  },
  audit: {
    description: 'the audit trail: changes to desired state and to the workspace, who made them, when',
    load: async () => (await import('./audit/command')).registerAuditCommand,
  },
};

/** Printed after a usage error (an unknown option, a missing argument), which commander words. */
export const USAGE_HINT = '(add --help to the command for its arguments and options)';

/** Commander's usage error (`error: unknown option '--regoin'\n(Did you mean --region?)`) as one line. */
export function usageLine(text: string): string {
  const message = text
    .replace(/^error: /, '')
    .trim()
    .replace(/\s*\n\s*/g, ' ');
  return `roster: ${message} ${USAGE_HINT}`;
}

/**
 * The program with every family (the default), or with `only` loaded and the others listed by
 * name and description, which is all `--help` needs. Global: `--debug` (a failure prints its
 * stack trace; without it every failure is one line with its fix), and every command's help lists
 * the options of the commands above it too (`roster sync report --help` shows `--env`).
 */
export async function buildProgram(io: CliIo = processIo(), only?: string | null): Promise<Command> {
  const program = new Command('roster')
    .description('Roster: SCIM provisioning, local administration')
    .option('--debug', 'print the stack trace of a failure (otherwise one line with the fix)')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      // Usage errors in the shape of every other failure: `roster: …` and the fix, on one line.
      outputError: (text, write) => write(`${usageLine(text)}\n`),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
    })
    .hook('preAction', (_program, action) => {
      io.debug = program.opts<{ debug?: boolean }>().debug === true;
      // What the command writes is stamped as the operator's, with the command (shared/audit/).
      setDefaultAuditContext({ actor: 'operator', ref: commandPath(action) });
    });
  // Commands inherit the settings above only when created after them: the families come next.
  for (const [name, family] of Object.entries(FAMILIES)) {
    if (only === undefined || only === name) (await family.load())(program, io);
    else program.command(name).description(family.description);
  }
  return program;
}

/** `roster connection pilot set`: the command's names, without its arguments and options. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/**
 * The family an argument list invokes (`roster sync …`, `roster --debug sync …`, `roster help
 * sync`), or null for none. Only global flags (`--debug`, which takes no value) may come first.
 */
export function invokedFamily(args: readonly string[]): string | null {
  const [first, second] = args.filter((arg) => !arg.startsWith('-'));
  const name = first === 'help' ? second : first;
  return name !== undefined && name in FAMILIES ? name : null;
}

const invokedDirectly =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const io = processIo();
  io.debug = process.argv.includes('--debug');
  try {
    const program = await buildProgram(io, invokedFamily(process.argv.slice(2)));
    await program.parseAsync(process.argv);
  } catch (error) {
    // What a family did not catch itself (each reports its own failures): still one line.
    reportCliError(io, error);
  }
  process.exitCode = io.exitCode;
}
