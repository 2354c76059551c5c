/**
 * Where a connection and its workspace are found for `roster connection check` and for the check
 * and first sync that follow `roster token issue`: the running `npm start` instance's table, or a
 * deployed environment's connections secret and table (with the caller's AWS credentials). The
 * connector is built here, not through the Lambda's cache, so that the region and table are this
 * command's.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Connection } from '../../shared/secrets/connection';
import type { Db } from '../../shared/store/client';
import { BuiltinWorkspace } from '../../shared/workspace/builtin/builtin-workspace';
import { modeCredentialsFromSecret } from '../../shared/workspace/mode/mode-credentials';
import { ModeWorkspace } from '../../shared/workspace/mode/mode-workspace';
import type { WorkspaceConnector } from '../../shared/workspace/port';
import { awsClientConfig } from '../aws-options';
import type { AwsClientConfig } from '../aws-options';

/** Builds the connector of a connection; tests point Mode at the Mode test server. */
export type ConnectorFactory = (
  connection: Connection,
  db: Db | undefined,
  aws?: AwsClientConfig,
) => WorkspaceConnector;

export const connectorOf: ConnectorFactory = (connection, db, aws = {}) => {
  const workspace = connection.settings.workspace;
  if (workspace.kind === 'builtin') {
    if (!db) throw new Error('the built-in workspace needs the table it lives in');
    return new BuiltinWorkspace(db, workspace.workspaceId, connection.id);
  }
  return new ModeWorkspace({
    credentials: modeCredentialsFromSecret(workspace.secretId, {
      maxAgeSeconds: 0,
      client: new SecretsManagerClient(awsClientConfig(aws)),
    }),
  });
};
