/**
 * `roster connection check [connection]`: verifies a connection's workspace before it is trusted
 * with access (credentials, the rights each capability needs, the plan's features, the SAML-only
 * precondition) and prints the capabilities it will have. Read-only. Exit code 0 when the
 * connection is usable (warnings included), 1 when a check failed or the connection is unknown.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Command } from 'commander';
import { checkConnection } from '../../shared/provisioning/check-connection';
import type { Connection } from '../../shared/secrets/connection';
import { SecretsManagerConnectionDirectory } from '../../shared/secrets/secrets-manager-connection-directory';
import type { Db } from '../../shared/store/client';
import { db } from '../../shared/store/client';
import { deployedDb, functionNameFor, localConnection, SyncTargetError } from '../sync/sync-target';
import { connectionsSecretName } from '../token';
import { awsClientConfig, profileOption, regionOption } from '../aws-options';
import type { AwsFlags } from '../aws-options';
import { reportCliError } from '../cli-error';
import type { CliIo } from '../workspace/cli-io';
import { processIo } from '../workspace/cli-io';
import { checkLines } from './check-lines';
import { connectorOf } from './connection-target';
import { registerPilotCommands } from './pilot-command';
import { registerTakeoverCommands } from './takeover-command';
import type { ConnectorFactory } from './connection-target';

interface CheckFlags extends AwsFlags {
  env?: string;
  secretId?: string;
  function?: string;
  json?: boolean;
}

export interface ConnectionCommandDeps {
  connectorFor: ConnectorFactory;
}

async function findConnection(
  wanted: string | undefined,
  flags: CheckFlags,
): Promise<{ connection: Connection; db?: Db }> {
  if (flags.env !== undefined || flags.secretId !== undefined) {
    if (!wanted) throw new SyncTargetError('name the connection to check with --env');
    const directory = new SecretsManagerConnectionDirectory({
      secretId: flags.secretId ?? connectionsSecretName(flags.env ?? ''),
      client: new SecretsManagerClient(awsClientConfig(flags)),
    });
    const connection =
      (await directory.get(wanted)) ?? (await directory.list()).find((c) => c.name === wanted);
    if (!connection)
      throw new SyncTargetError(`no connection ${wanted} in environment ${flags.env ?? flags.secretId}`);
    // A built-in workspace lives in the environment's table; Mode needs none.
    const functionName = functionNameFor(flags);
    const table =
      connection.settings.workspace.kind === 'builtin' && functionName
        ? await deployedDb(functionName, flags)
        : undefined;
    return { connection, ...(table ? { db: table } : {}) };
  }
  const connection = await localConnection(wanted);
  return { connection, db: db() };
}

export function registerConnectionCommands(
  program: Command,
  io: CliIo = processIo(),
  deps: ConnectionCommandDeps = { connectorFor: connectorOf },
): void {
  const connection = program
    .command('connection')
    .description("check a connection's workspace; its rollout settings (takeover policy, pilot scope)");
  registerTakeoverCommands(connection, io);
  registerPilotCommands(connection, io);
  connection
    .command('check [connection]')
    .description(
      'verify the credentials, rights and plan features of a connection’s workspace, and print its capabilities',
    )
    .option('--env <name>', "a deployed environment's connection (its connections secret)")
    .option('--secret-id <id>', 'the connections secret (default: roster/<env>/connections)')
    .option('--function <name>', 'the full-sync function, for the table (default: roster-<env>-full-sync)')
    .addOption(regionOption())
    .addOption(profileOption())
    .option('--json', 'print JSON')
    .action(async (wanted: string | undefined, flags: CheckFlags) => {
      try {
        const found = await findConnection(wanted, flags);
        const connector = deps.connectorFor(found.connection, found.db, awsClientConfig(flags));
        const check = await checkConnection(found.connection, connector);
        if (flags.json) io.out(JSON.stringify({ connectionId: found.connection.id, ...check }, null, 2));
        else for (const line of checkLines(found.connection.id, check)) io.out(line);
        if (!check.ok) io.exitCode = 1;
      } catch (error) {
        // Refusals and AWS errors carry no secret, so their message is what the person needs.
        reportCliError(io, error, error instanceof SyncTargetError);
      }
    });
}
