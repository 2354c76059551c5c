/**
 * Built-in workspace items written straight into the table, with chosen ids: groups in a known
 * order, grants in either layout (the per-group partitions of today, the one workspace-wide
 * partition of workspaces created before it), and a workspace as an older release created it (no
 * `grantsLayout` on its meta item). The items are the ones BuiltinWorkspace writes (keys.ts).
 */
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../shared/store/client';
import { BuiltinWorkspace } from '../../shared/workspace/builtin/builtin-workspace';
import {
  builtinWorkspaceItems,
  DEFAULT_SIGN_IN,
} from '../../shared/workspace/builtin/create-builtin-workspace';
import { keys } from '../../shared/workspace/builtin/keys';

type Item = Record<string, unknown>;

export async function putItems(db: Db, items: Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    await db.doc.send(
      new BatchWriteCommand({
        RequestItems: { [db.table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
}

/** A workspace as release 0.10 created it: its grants in layout 1. */
export async function legacyWorkspace(db: Db, workspaceId: string): Promise<BuiltinWorkspace> {
  for (const item of builtinWorkspaceItems(workspaceId, {
    signIn: DEFAULT_SIGN_IN,
    name: workspaceId,
    createdAt: '2026-01-01T00:00:00.000Z',
  })) {
    const { grantsLayout: _layout, ...old } = item;
    await db.doc.send(new PutCommand({ TableName: db.table, Item: old }));
  }
  return new BuiltinWorkspace(db, workspaceId);
}

/** A group with its name guard, so that deleteGroup and renameGroup treat it as any other. */
export function groupItems(workspaceId: string, groupId: string): Item[] {
  return [
    { ...keys.group(workspaceId, groupId), id: groupId, name: `Group ${groupId}`, managed: false },
    { ...keys.groupNameGuard(workspaceId, `Group ${groupId}`), groupId },
  ];
}

/** A grant in its group's partition, with its reverse item. */
export function grantItems(workspaceId: string, groupId: string, memberId: string): Item[] {
  return [
    { ...keys.grant(workspaceId, groupId, memberId), groupId, memberId },
    { ...keys.memberGrant(workspaceId, memberId, groupId), groupId, memberId },
  ];
}

/** A grant as release 0.10 wrote it: in the workspace-wide partition, with its reverse item. */
export function legacyGrantItems(workspaceId: string, groupId: string, memberId: string): Item[] {
  return [
    { ...keys.legacyGrant(workspaceId, groupId, memberId), groupId, memberId },
    { ...keys.memberGrant(workspaceId, memberId, groupId), groupId, memberId },
  ];
}

/** `m-000`, `m-001`, …: member ids whose order is their number's. */
export function memberId(n: number): string {
  return `m-${String(n).padStart(3, '0')}`;
}
