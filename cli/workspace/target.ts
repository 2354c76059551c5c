/**
 * Which built-in workspace a command talks to: the flags if given, otherwise the running local
 * instance recorded by `npm start`.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { readInstance } from '../../local/instance';
import type { Db } from '../../shared/store/client';
import { documentClient, dynamoClient } from '../../shared/store/client';
import { BuiltinWorkspace } from '../../shared/workspace/builtin/builtin-workspace';
import { BuiltinWorkspaceAdmin } from '../../shared/workspace/builtin/builtin-workspace-admin';
import { keys } from '../../shared/workspace/builtin/keys';

export interface TargetFlags {
  endpoint?: string;
  table?: string;
  workspace?: string;
}

export class TargetNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetNotFoundError';
  }
}

export interface OpenedWorkspace {
  admin: BuiltinWorkspaceAdmin;
  db: Db;
  workspaceId: string;
}

export async function openWorkspace(flags: TargetFlags): Promise<OpenedWorkspace> {
  const instance = flags.endpoint && flags.table && flags.workspace ? undefined : readInstance();
  const endpoint = flags.endpoint ?? instance?.dynamodbEndpoint;
  const table = flags.table ?? instance?.table;
  const workspaceId = flags.workspace ?? instance?.workspaceId;
  if (!endpoint || !table || !workspaceId) {
    throw new TargetNotFoundError(
      'no running Roster instance found: start one with `npm start`, or pass --endpoint, --table and --workspace',
    );
  }
  const db = { doc: documentClient(dynamoClient(endpoint)), table };
  const meta = await db.doc.send(new GetCommand({ TableName: table, Key: keys.meta(workspaceId) }));
  if (!meta.Item) throw new TargetNotFoundError(`no built-in workspace ${workspaceId} in table ${table}`);
  return { admin: new BuiltinWorkspaceAdmin(new BuiltinWorkspace(db, workspaceId)), db, workspaceId };
}
