/**
 * Where `roster status` reads: the running `npm start` instance's table and connections (the
 * default), or a deployed environment's table, named in its full-sync function's configuration,
 * and, unless one connection is named, its connections secret (ids only are used), with the
 * caller's AWS credentials.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoConnectionDirectory } from '../../shared/secrets/dynamo-connection-directory';
import { SecretsManagerConnectionDirectory } from '../../shared/secrets/secrets-manager-connection-directory';
import type { Db } from '../../shared/store/client';
import { db } from '../../shared/store/client';
import { deployedDb, functionNameFor, SyncTargetError, useLocalInstance } from '../sync/sync-target';
import { connectionsSecretName } from '../token';
import { awsClientConfig } from '../aws-options';
import type { AwsFlags } from '../aws-options';

export interface StatusFlags extends AwsFlags {
  connection?: string;
  json?: boolean;
  env?: string;
  function?: string;
}

export interface StatusTarget {
  db: Db;
  connectionIds: string[];
}

export async function statusTarget(flags: StatusFlags): Promise<StatusTarget> {
  const functionName = functionNameFor(flags);
  if (functionName) {
    const table = await deployedDb(functionName, flags);
    if (flags.connection) return { db: table, connectionIds: [flags.connection] };
    if (!flags.env) throw new SyncTargetError('--connection or --env is needed with --function');
    const directory = new SecretsManagerConnectionDirectory({
      secretId: connectionsSecretName(flags.env),
      client: new SecretsManagerClient(awsClientConfig(flags)),
    });
    return { db: table, connectionIds: (await directory.list()).map((c) => c.id) };
  }
  useLocalInstance();
  const directory = new DynamoConnectionDirectory();
  const wanted = flags.connection;
  if (!wanted) return { db: db(), connectionIds: (await directory.list()).map((c) => c.id) };
  const connection =
    (await directory.get(wanted)) ?? (await directory.list()).find((candidate) => candidate.name === wanted);
  if (!connection) throw new SyncTargetError(`no connection ${wanted}`);
  return { db: db(), connectionIds: [connection.id] };
}
