/**
 * Bootstraps a built-in workspace (idempotent: an existing workspace, and its sign-in settings, are
 * left as they are) and answers its connector.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../store/client';
import type { SignInSettings } from '../sign-in';
import { enabledSignInMethods } from '../sign-in';
import { WorkspaceRejectedError } from '../workspace-error';
import { BuiltinWorkspace } from './builtin-workspace';
import { GRANTS_LAYOUT, rememberGrantsMigrated } from './grants-layout';
import { EVERYONE_ID, EVERYONE_NAME, keys } from './keys';

export interface BuiltinWorkspaceOptions {
  /** Used only when the workspace is created. Defaults to password sign-in. */
  signIn?: SignInSettings;
  name?: string;
}

export const DEFAULT_SIGN_IN: SignInSettings = {
  password: true,
  google: false,
  slack: false,
  office365: false,
  saml: false,
  samlProviders: [],
};

/**
 * The items that make a workspace exist: its meta item (name, sign-in settings, the grants layout:
 * a new workspace has no grant in the old layout, so it starts migrated) and the guard that
 * reserves the name `Everyone`, so that no group can ever be created or renamed to it. Also what
 * the CDK stack writes to create the default workspace of a fresh deployment.
 */
export function builtinWorkspaceItems(
  workspaceId: string,
  options: { signIn: SignInSettings; name: string; createdAt: string },
): Record<string, unknown>[] {
  return [
    {
      ...keys.meta(workspaceId),
      workspaceId,
      name: options.name,
      signIn: options.signIn,
      grantsLayout: GRANTS_LAYOUT,
      createdAt: options.createdAt,
    },
    { ...keys.groupNameGuard(workspaceId, EVERYONE_NAME), groupId: EVERYONE_ID },
  ];
}

export async function createBuiltinWorkspace(
  db: Db,
  workspaceId: string,
  options: BuiltinWorkspaceOptions = {},
): Promise<BuiltinWorkspace> {
  const signIn = options.signIn ?? DEFAULT_SIGN_IN;
  if (enabledSignInMethods(signIn).length === 0) {
    throw new WorkspaceRejectedError(
      'a workspace needs at least one sign-in method',
      400,
      'last_sign_in_method',
    );
  }
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: builtinWorkspaceItems(workspaceId, {
          signIn,
          name: options.name ?? workspaceId,
          createdAt: new Date().toISOString(),
        }).map((Item) => ({
          Put: { TableName: db.table, Item, ConditionExpression: 'attribute_not_exists(pk)' },
        })),
      }),
    );
    rememberGrantsMigrated(db, workspaceId);
  } catch (error) {
    // The workspace exists already, in whichever grants layout it is.
    if (!(error instanceof Error && error.name === 'TransactionCanceledException')) throw error;
  }
  return new BuiltinWorkspace(db, workspaceId);
}
