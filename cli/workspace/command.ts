/** `roster workspace …`: administer the built-in workspace of a local Roster instance. */
import type { Command } from 'commander';
import type { CliIo } from './cli-io';
import { registerGroupCommands } from './groups';
import { registerMemberCommands } from './members';
import { registerSignInCommands } from './sign-in';
import { registerStorageCommands } from './storage';

export function registerWorkspaceCommands(program: Command, io: CliIo): void {
  const workspace = program
    .command('workspace')
    .description('administer the built-in workspace (members, groups, sign-in)')
    .option('--endpoint <url>', 'DynamoDB endpoint (default: the running npm start instance)')
    .option('--table <name>', 'table name (default: the running instance)')
    .option('--workspace <id>', 'workspace id (default: the running instance)');
  registerMemberCommands(workspace, io);
  registerGroupCommands(workspace, io);
  registerSignInCommands(workspace, io);
  registerStorageCommands(workspace, io);
}
