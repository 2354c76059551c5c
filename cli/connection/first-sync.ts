/**
 * What follows the creation of a connection: its check, then, when it passed, its first full sync
 * (locally in this process; on a deployed environment an asynchronous invocation of its full-sync
 * function), as a connector is expected to reconcile both sides as soon as it is saved. A failed
 * check starts nothing and says so.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { checkConnection } from '../../shared/provisioning/check-connection';
import type { Connection } from '../../shared/secrets/connection';
import type { Db } from '../../shared/store/client';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import { runSync } from '../../shared/sync/run-sync';
import { summaryLines } from '../sync/sync-summary';
import { deployedDb } from '../sync/sync-target';
import type { CliIo } from '../workspace/cli-io';
import { awsClientConfig } from '../aws-options';
import type { AwsClientConfig } from '../aws-options';
import { checkLines } from './check-lines';
import type { ConnectorFactory } from './connection-target';

export type CreatedIn =
  { kind: 'local'; db: Db } | { kind: 'env'; functionName: string; aws?: AwsClientConfig };

export interface AfterCreateOptions {
  sync: boolean;
  connectorFor: ConnectorFactory;
  /** Starts the deployed full sync; tests replace the Lambda call. */
  invoke?: (functionName: string, connectionId: string, aws?: AwsClientConfig) => Promise<void>;
}

async function invokeAsync(
  functionName: string,
  connectionId: string,
  aws: AwsClientConfig = {},
): Promise<void> {
  const client = new LambdaClient(awsClientConfig(aws));
  try {
    await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify({ connectionId })),
      }),
    );
  } finally {
    client.destroy();
  }
}

export async function afterCreate(
  io: CliIo,
  connection: Connection,
  where: CreatedIn,
  options: AfterCreateOptions,
): Promise<void> {
  // A built-in workspace of an environment lives in its table, named in the full-sync function.
  const table =
    where.kind === 'local'
      ? where.db
      : connection.settings.workspace.kind === 'builtin'
        ? await deployedDb(where.functionName, where.aws ?? {})
        : undefined;
  const connector = options.connectorFor(connection, table, where.kind === 'env' ? where.aws : undefined);
  const check = await checkConnection(connection, connector);
  io.out('');
  for (const line of checkLines(connection.id, check)) io.out(line);
  if (!check.ok) {
    io.err(
      `roster: connection ${connection.id} was created, but its check failed; fix it, then run \`roster connection check ${connection.id}\` and \`roster sync\``,
    );
    io.exitCode = 1;
    return;
  }
  if (!options.sync) return;
  io.out('');
  if (where.kind === 'env') {
    await (options.invoke ?? invokeAsync)(where.functionName, connection.id, where.aws);
    io.out(
      `First full sync started on ${where.functionName}; read it with \`roster sync report --env NAME --connection ${connection.id}\` (with the same --region and --profile).`,
    );
    return;
  }
  const result = await runSync({
    db: where.db,
    store: new DynamoLinkStore(where.db),
    connector,
    connectionId: connection.id,
  });
  if (result.status === 'overlapping') {
    io.out(`A sync of ${connection.id} is already running.`);
    return;
  }
  io.out('First full sync:');
  for (const line of summaryLines(result.run)) io.out(`  ${line}`);
  if (result.status !== 'completed') io.exitCode = 1;
}
