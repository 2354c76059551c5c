/**
 * `roster`: local administration of a Roster instance. Each command family registers itself from
 * its own module; add one line to `commands` to add a family.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { processIo } from './workspace/cli-io';
import type { CliIo } from './workspace/cli-io';
import { registerWorkspaceCommands } from './workspace/command';
import { registerStatusCommand } from './status/command';
import { registerSyncCommands } from './sync/command';
import { registerTokenCommands } from './token';
import { registerConnectionCommands } from './connection/command';

const commands: ((program: Command, io: CliIo) => void)[] = [
  registerWorkspaceCommands,
  registerSyncCommands,
  registerStatusCommand,
  registerTokenCommands,
  registerConnectionCommands,
];

export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command('roster').description('Roster: SCIM provisioning, local administration');
  for (const register of commands) register(program, io);
  return program;
}

const invokedDirectly =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const io = processIo();
  await buildProgram(io).parseAsync(process.argv);
  process.exitCode = io.exitCode;
}
