/**
 * The real service for integration tests: the Lambda handlers behind the local HTTP server, on the
 * run's DynamoDB Local. Each tenant is a fresh connection bound to a fresh built-in workspace that
 * signs in with SAML only, so tests never see each other's data. The apply function runs from the
 * table's stream as on AWS; by default each write's answer waits until the stream is applied (as
 * an IdP's next request would find it), `{ settle: 'manual' }` leaves that to `app.settle()`.
 */
import { handler as discovery } from '../../functions/scim/discovery';
import { handler as groups } from '../../functions/scim/groups';
import { handler as users } from '../../functions/scim/users';
import { ApplyRunner } from '../../local/apply-runner';
import { startServer } from '../../local/server';
import type { LocalServer, ProxyHandler } from '../../local/server';
import { connectorFor } from '../../shared/provisioning/connector-for';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import type { ConnectionSettings } from '../../shared/secrets/connection';
import { DynamoConnectionDirectory } from '../../shared/secrets/dynamo-connection-directory';
import { createBuiltinWorkspace } from '../../shared/workspace/builtin/create-builtin-workspace';
import type { BuiltinWorkspace } from '../../shared/workspace/builtin/builtin-workspace';
import { samlOnlySignIn } from '../../shared/workspace/sign-in';
import type { SignInSettings } from '../../shared/workspace/sign-in';
import { testDb, uniqueConnectionId } from './db';

export const SAML_ONLY: SignInSettings = samlOnlySignIn({
  acsUrl: 'https://workspace.example/saml/acs',
  entityId: 'roster-test',
  providerToken: 'p',
});

export interface Tenant {
  connectionId: string;
  workspaceId: string;
  token: string;
  workspace: BuiltinWorkspace;
}

export interface ScimApp extends LocalServer {
  baseUrl: string;
  apply: ApplyRunner;
  /** Whether each write's answer waits for the apply (set false to measure the request path alone). */
  autoSettle: boolean;
  /** Applies everything committed so far. */
  settle(): Promise<void>;
}

export async function startScimApp(options: { settle?: 'after-each' | 'manual' } = {}): Promise<ScimApp> {
  process.env.ROSTER_CONNECTION_DIRECTORY = 'dynamo';
  const directory = new DynamoConnectionDirectory();
  const apply = new ApplyRunner({
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT ?? '',
    table: testDb().table,
    deps: { store: new DynamoLinkStore(testDb()), connectorFor, connection: (id) => directory.get(id) },
    connections: () => directory.list(),
  });
  await apply.init();
  const settle = () => apply.settle();
  const state = { autoSettle: options.settle !== 'manual' };
  const settled =
    (handler: ProxyHandler): ProxyHandler =>
    async (event, context) => {
      const result = await handler(event, context);
      // A write that was refused or failed committed nothing to apply (and a stalled table would
      // hold the drain past the answer the test times).
      if (state.autoSettle && event.httpMethod !== 'GET' && result.statusCode < 400) await settle();
      return result;
    };
  const server = await startServer(
    { users: settled(users), groups: settled(groups), discovery },
    { port: 0 },
  );
  return {
    ...server,
    baseUrl: `${server.origin}/scim/v2`,
    apply,
    get autoSettle() {
      return state.autoSettle;
    },
    set autoSettle(value: boolean) {
      state.autoSettle = value;
    },
    settle,
    close: async () => {
      await server.close();
      await apply.stop();
    },
  };
}

export async function newTenant(
  options: {
    signIn?: SignInSettings;
    settings?: Partial<ConnectionSettings>;
    /** Bind to this (existing) workspace instead of a new one: two connections, one workspace. */
    workspaceId?: string;
  } = {},
): Promise<Tenant> {
  const connectionId = uniqueConnectionId('c');
  const workspaceId = options.workspaceId ?? uniqueConnectionId('w');
  const workspace = await createBuiltinWorkspace(testDb(), workspaceId, {
    signIn: options.signIn ?? SAML_ONLY,
  });
  const { token } = await new DynamoConnectionDirectory().create({
    id: connectionId,
    settings: {
      requireSamlOnly: true,
      workspace: { kind: 'builtin', workspaceId },
      ...options.settings,
    },
  });
  return { connectionId, workspaceId, token, workspace };
}
