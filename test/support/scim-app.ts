/**
 * The real service for integration tests: the Lambda handlers behind the local HTTP server, on the
 * run's DynamoDB Local. Each tenant is a fresh connection bound to a fresh built-in workspace that
 * signs in with SAML only, so tests never see each other's data.
 */
import { handler as discovery } from '../../functions/scim/discovery';
import { handler as groups } from '../../functions/scim/groups';
import { handler as users } from '../../functions/scim/users';
import { startServer } from '../../local/server';
import type { LocalServer } from '../../local/server';
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

export async function startScimApp(): Promise<LocalServer & { baseUrl: string }> {
  process.env.ROSTER_CONNECTION_DIRECTORY = 'dynamo';
  const server = await startServer({ users, groups, discovery }, { port: 0 });
  return { ...server, close: () => server.close(), baseUrl: `${server.origin}/scim/v2` };
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
