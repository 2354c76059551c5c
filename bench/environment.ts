/**
 * What every scenario runs against: its own DynamoDB Local and table, the real SCIM handlers behind
 * the local HTTP server, and tenants (a connection bound to a fresh built-in workspace that signs in
 * with SAML only), exactly as `npm start` and the integration tests wire them.
 */
import { randomUUID } from 'node:crypto';
import { logger } from '../shared/http/logger';
import { ApplyRunner } from '../local/apply-runner';
import { startDynamoLocal } from '../local/dynamo-local';
import type { DynamoLocal } from '../local/dynamo-local';
import type { LocalServer, ProxyHandler } from '../local/server';
import { db, documentClient, dynamoClient } from '../shared/store/client';
import type { Db } from '../shared/store/client';
import { ensureTable } from '../shared/store/create-table';
import { connectorFor } from '../shared/provisioning/connector-for';
import type { Connection } from '../shared/secrets/connection';
import { DynamoConnectionDirectory } from '../shared/secrets/dynamo-connection-directory';
import { DynamoLinkStore } from '../shared/store/dynamo-link-store';
import { BuiltinWorkspace } from '../shared/workspace/builtin/builtin-workspace';
import { createBuiltinWorkspace } from '../shared/workspace/builtin/create-builtin-workspace';
import { samlOnlySignIn } from '../shared/workspace/sign-in';
import { ApplyClock } from './apply-clock';
import { countDynamoCalls } from './dynamo-calls';
import type { CallCounter } from './dynamo-calls';
import { recordRequestCalls, RequestCalls } from './request-calls';
import { failWorkspaceCalls, WorkspaceOutage } from './workspace-outage';
import { flakyWorkspace } from '../shared/workspace/flaky-workspace';

export const BENCH_TABLE = 'roster-bench';

const SAML_ONLY = samlOnlySignIn({
  acsUrl: 'https://workspace.example/saml/acs',
  entityId: 'roster-bench',
  providerToken: 'p',
});

export interface Tenant {
  connectionId: string;
  workspaceId: string;
  token: string;
}

export interface BenchEnvironment {
  endpoint: string;
  /** The process-wide client the handlers use. */
  db: Db;
  /** Counts the handlers' (and the scenario's own) calls through `db`. */
  calls: CallCounter;
  /** Each SCIM request's calls through `db`, while a scenario records them (the engine replay). */
  requestCalls: RequestCalls;
  /** The fault switch that takes a tenant's built-in workspace down (the workspace outage). */
  outage: WorkspaceOutage;
  baseUrl: string;
  newTenant(label: string): Promise<Tenant>;
  /**
   * Starts the stream-fed apply (the same handler as the apply function on AWS) from the stream's
   * end, polling as the event source mapping does. It has a client of its own, so `calls` counts
   * the request path alone and `apply.calls` the apply.
   */
  startApply(): Promise<RunningApply>;
  stop(): Promise<void>;
}

export interface RunningApply {
  clock: ApplyClock;
  calls: CallCounter;
  runner: ApplyRunner;
  stop(): Promise<void>;
}

export async function startEnvironment(): Promise<BenchEnvironment> {
  const dynamo: DynamoLocal = await startDynamoLocal();
  let server: LocalServer | undefined;
  try {
    process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
    process.env.ROSTER_TABLE = BENCH_TABLE;
    process.env.AWS_REGION ??= 'local';
    process.env.ROSTER_CONNECTION_DIRECTORY = 'dynamo';
    // The push measures the engine, not the per-connection limit an IdP would meet.
    process.env.ROSTER_CONNECTION_RATE_LIMIT ??= '100000';
    // A request log line per call would measure the terminal, not the service.
    process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
    // The logger is loaded before this runs (the apply runner and the connectors import it): it
    // read the level when it was made, so it is told again.
    logger.setLogLevel(process.env.POWERTOOLS_LOG_LEVEL as Parameters<typeof logger.setLogLevel>[0]);
    const client = dynamoClient(dynamo.endpoint);
    await ensureTable(client, BENCH_TABLE);
    client.destroy();

    // Imported after the environment is set: the handlers' logger reads it when loaded.
    const [{ startServer }, users, groups, discovery] = await Promise.all([
      import('../local/server'),
      import('../functions/scim/users'),
      import('../functions/scim/groups'),
      import('../functions/scim/discovery'),
    ]);
    const requestCalls = new RequestCalls();
    const scoped =
      (handler: ProxyHandler): ProxyHandler =>
      (event, context) =>
        requestCalls.run(() => handler(event, context));
    const started = await startServer(
      {
        users: scoped(users.handler),
        groups: scoped(groups.handler),
        discovery: scoped(discovery.handler),
      },
      { port: 0 },
    );
    server = started;
    const shared = db();
    const calls = countDynamoCalls(shared.doc);
    recordRequestCalls(shared.doc, requestCalls);
    const outage = new WorkspaceOutage();
    failWorkspaceCalls(shared.doc, outage);
    return {
      endpoint: dynamo.endpoint,
      db: shared,
      calls,
      requestCalls,
      outage,
      baseUrl: `${started.origin}/scim/v2`,
      async newTenant(label) {
        const suffix = randomUUID().slice(0, 8);
        const connectionId = `bench-${label}-${suffix}`;
        const workspaceId = `bench-${label}-w-${suffix}`;
        await createBuiltinWorkspace(shared, workspaceId, { signIn: SAML_ONLY });
        const { token } = await new DynamoConnectionDirectory().create({
          id: connectionId,
          settings: { requireSamlOnly: true, workspace: { kind: 'builtin', workspaceId } },
        });
        return { connectionId, workspaceId, token };
      },
      async startApply() {
        const own: Db = {
          doc: documentClient(dynamoClient(dynamo.endpoint)),
          table: BENCH_TABLE,
        };
        const applyCalls = countDynamoCalls(own.doc);
        const clock = new ApplyClock();
        const directory = new DynamoConnectionDirectory();
        const connectors = new Map<string, ReturnType<typeof connectorFor>>();
        const connectorOf = (connection: Connection) => {
          const workspace = connection.settings.workspace;
          if (workspace.kind !== 'builtin') return connectorFor(connection);
          let connector = connectors.get(connection.id);
          if (!connector) {
            const { workspaceId } = workspace;
            connector = flakyWorkspace(clock.wrap(new BuiltinWorkspace(own, workspaceId, connection.id)), {
              failing: () => outage.failing(workspaceId),
            });
            connectors.set(connection.id, connector);
          }
          return connector;
        };
        const runner = new ApplyRunner({
          dynamodbEndpoint: dynamo.endpoint,
          table: BENCH_TABLE,
          deps: {
            store: new DynamoLinkStore(own),
            connectorFor: connectorOf,
            connection: (id) => directory.get(id),
          },
          connections: () => directory.list(),
        });
        await runner.start(20, 1_000);
        return {
          clock,
          calls: applyCalls,
          runner,
          async stop() {
            await runner.stop();
            own.doc.destroy();
          },
        };
      },
      async stop() {
        await started.close();
        shared.doc.destroy();
        await dynamo.stop();
      },
    };
  } catch (error) {
    await server?.close();
    await dynamo.stop();
    throw error;
  }
}
