/**
 * Where `roster preview`, the unlink command and the rollout settings commands act: the running
 * `npm start` instance (its table and connection), or a deployed environment with `--env`: the
 * connection from the environment's connections secret, the table named in its full-sync
 * function's configuration, and the workspace through the connection's connector, all with the
 * caller's AWS credentials (as `roster connection check --env` does).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Connection } from '../../shared/secrets/connection';
import { SecretsManagerConnectionDirectory } from '../../shared/secrets/secrets-manager-connection-directory';
import type { Db } from '../../shared/store/client';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import type { LinkStore } from '../../shared/store/link-store';
import type { WorkspaceConnector } from '../../shared/workspace/port';
import { awsClientConfig } from '../aws-options';
import type { AwsFlags } from '../aws-options';
import { deployedDb, functionNameFor, localTarget, SyncTargetError } from '../sync/sync-target';
import { connectionsSecretName } from '../token';
import { connectorOf } from './connection-target';
import type { ConnectorFactory } from './connection-target';

export interface RolloutFlags extends AwsFlags {
  connection?: string;
  env?: string;
  secretId?: string;
  function?: string;
}

export interface RolloutTarget {
  db: Db;
  store: LinkStore;
  connection: Connection;
  connector: WorkspaceConnector;
}

export async function rolloutTarget(
  flags: RolloutFlags,
  connectorFor: ConnectorFactory = connectorOf,
): Promise<RolloutTarget> {
  if (flags.env === undefined && flags.secretId === undefined) {
    const local = await localTarget(flags);
    return { ...local, connector: connectorFor(local.connection, local.db) };
  }
  if (!flags.connection) throw new SyncTargetError('--connection is needed with --env');
  const directory = new SecretsManagerConnectionDirectory({
    secretId: flags.secretId ?? connectionsSecretName(flags.env ?? ''),
    client: new SecretsManagerClient(awsClientConfig(flags)),
  });
  const wanted = flags.connection;
  const connection = (await directory.get(wanted)) ?? (await directory.list()).find((c) => c.name === wanted);
  if (!connection) throw new SyncTargetError(`no connection ${wanted} in environment ${flags.env ?? ''}`);
  const functionName = functionNameFor(flags);
  if (!functionName) throw new SyncTargetError('--env NAME (or --function) names the environment’s table');
  const db = await deployedDb(functionName, flags);
  return {
    db,
    store: new DynamoLinkStore(db),
    connection,
    connector: connectorFor(connection, db, awsClientConfig(flags)),
  };
}
