/**
 * Where `roster sync` runs: in this process against the running `npm start` instance (its
 * DynamoDB Local, table and default connection), or, with `--env`, against a deployed
 * environment by invoking its full-sync function. Reports of a deployed environment are read from
 * its table, found in the full-sync function's configuration, with the caller's AWS credentials.
 */
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { readInstance } from '../../local/instance';
import { connectorFor } from '../../shared/provisioning/connector-for';
import type { Connection } from '../../shared/secrets/connection';
import { DynamoConnectionDirectory } from '../../shared/secrets/dynamo-connection-directory';
import type { Db } from '../../shared/store/client';
import { db, documentClient, dynamoClient } from '../../shared/store/client';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import type { LinkStore } from '../../shared/store/link-store';
import type { WorkspaceConnector } from '../../shared/workspace/port';
import { awsClientConfig } from '../aws-options';
import type { AwsFlags } from '../aws-options';
import { describeCliError } from '../cli-error';

export class SyncTargetError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SyncTargetError';
  }
}

export interface LocalTarget {
  db: Db;
  store: LinkStore;
  connection: Connection;
  connector: WorkspaceConnector;
}

/** The Lambda function of a deployed environment: `--function`, or the stack's naming (`roster-<env>-full-sync`). */
export function functionNameFor(flags: { env?: string; function?: string }): string | undefined {
  if (flags.function) return flags.function;
  return flags.env ? `roster-${flags.env}-full-sync` : undefined;
}

/**
 * Points this process at the running instance's table, unless DYNAMODB_ENDPOINT and ROSTER_TABLE
 * already say where; answers the instance's connection when it read one.
 */
export function useLocalInstance(): string | undefined {
  if (process.env.DYNAMODB_ENDPOINT && process.env.ROSTER_TABLE) return undefined;
  const instance = readInstance();
  if (!instance) {
    throw new SyncTargetError(
      'no running Roster instance found: start one with `npm start`, or use --env NAME',
    );
  }
  // The shared clients read these on first use; this process talks to the instance's table only.
  process.env.DYNAMODB_ENDPOINT = instance.dynamodbEndpoint;
  process.env.ROSTER_TABLE = instance.table;
  return instance.connectionId;
}

/** A connection of the running instance by id or name; the instance's own (or the first) when none is named. */
export async function localConnection(wanted: string | undefined): Promise<Connection> {
  const instanceConnection = useLocalInstance();
  const id = wanted ?? instanceConnection;
  const directory = new DynamoConnectionDirectory();
  const connection = id
    ? ((await directory.get(id)) ?? (await directory.list()).find((c) => c.name === id))
    : (await directory.list())[0];
  if (!connection) throw new SyncTargetError(`no connection ${id ?? '(none configured)'}`);
  return connection;
}

export async function localTarget(flags: { connection?: string }): Promise<LocalTarget> {
  const connection = await localConnection(flags.connection);
  return { db: db(), store: new DynamoLinkStore(db()), connection, connector: connectorFor(connection) };
}

/** Where the reports of a deployed environment are: its table and the connection asked for. */
export interface DeployedReportTarget {
  db: Db;
  connectionId: string;
}

/** With `--env` the connection cannot be taken from a local instance: it must be named. */
export function deployedConnection(flags: { connection?: string }): string {
  if (!flags.connection) throw new SyncTargetError('--connection is needed with --env');
  return flags.connection;
}

export async function deployedReportTarget(
  functionName: string,
  flags: { connection?: string } & AwsFlags,
  lambda: LambdaClient = new LambdaClient(awsClientConfig(flags)),
): Promise<DeployedReportTarget> {
  const connectionId = deployedConnection(flags);
  return { db: await deployedDb(functionName, flags, lambda), connectionId };
}

/** The table of a deployed environment, named in its full-sync function's configuration. */
export async function deployedDb(
  functionName: string,
  flags: AwsFlags,
  lambda: LambdaClient = new LambdaClient(awsClientConfig(flags)),
): Promise<Db> {
  let table: string | undefined;
  try {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    table = config.Environment?.Variables?.ROSTER_TABLE;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    throw new SyncTargetError(
      `could not read the configuration of ${functionName}: ${describeCliError(error)}`,
      { cause: error },
    );
  }
  if (!table) throw new SyncTargetError(`${functionName} has no ROSTER_TABLE in its environment`);
  return { doc: documentClient(dynamoClient(undefined, awsClientConfig(flags))), table };
}
