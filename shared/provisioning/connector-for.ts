/**
 * The connector of a connection's workspace: the built-in workspace in the Roster table, or Mode's
 * REST API with the service account from Secrets Manager. Cached per connection id, so a warm
 * Lambda reuses the connector (and the Mode adapter its short-lived listings).
 */
import type { Connection } from '../secrets/connection';
import { db } from '../store/client';
import { BuiltinWorkspace } from '../workspace/builtin/builtin-workspace';
import { modeCredentialsFromSecret } from '../workspace/mode/mode-credentials';
import { ModeWorkspace } from '../workspace/mode/mode-workspace';
import { rateFromEnv } from '../workspace/mode/request-pacer';
import type { WorkspaceConnector } from '../workspace/port';

const connectors = new Map<string, { binding: string; connector: WorkspaceConnector }>();

export function connectorFor(connection: Connection): WorkspaceConnector {
  const binding = JSON.stringify(connection.settings.workspace);
  const cached = connectors.get(connection.id);
  // A connection re-bound to another workspace gets a new connector.
  if (cached && cached.binding === binding) return cached.connector;
  const workspace = connection.settings.workspace;
  const connector =
    workspace.kind === 'builtin'
      ? new BuiltinWorkspace(db(), workspace.workspaceId, connection.id)
      : new ModeWorkspace({
          credentials: modeCredentialsFromSecret(workspace.secretId),
          maxRequestsPerSecond: rateFromEnv(process.env.MODE_MAX_REQUESTS_PER_SECOND),
        });
  connectors.set(connection.id, { binding, connector });
  return connector;
}
