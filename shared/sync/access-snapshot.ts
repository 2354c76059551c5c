/**
 * The access snapshot (`roster sync export`): every workspace member with its attributes and
 * every entitlement it holds (each group, `Everyone` for active members, the admin role), managed
 * by the IdP or not: the answer to "who can reach what" for an access review. One row per member
 * and entitlement; a member with none still gets one row, so that nobody is missed.
 *
 * Where the workspace reads resource permissions (PermissionReader: Mode's collections and data
 * sources), each member's rows also list every permission it reaches: `direct` (granted to the
 * member's account) and through each group it holds (its groups as the grants list them, and
 * `Everyone` for an active member), one row per permission and path. A deactivated member holds
 * no groups, so it reaches only what was granted to its account directly.
 *
 * Permission rows: entitlementKind `permission`, entitlementId `<resourceKind>:<resourceId>:<action>`
 * (e.g. `collection:sp12ab:view`, `dataSource:ds34cd:query`), entitlementName `<name> (<action>)`,
 * and the columns added at the end of ACCESS_COLUMNS: via (`direct` or the group id), viaName
 * (the group's name), resourceKind, resourceId, action. Group and role rows leave them empty.
 *
 * `accessByGroup` is the per-group view (`roster sync export --by group`): every group with what
 * it can reach, and groups that are not listed (soft-deleted) but still hold permissions.
 */
import type { GroupEntitlement } from '../workspace/entitlement';
import type { PermissionResourceKind, ResourcePermission } from '../workspace/permission';
import type { WorkspaceConnector } from '../workspace/port';
import { hasPermissionReader } from '../workspace/port';
import type { ObservedWorkspace } from './observed';
import { readObserved } from './read-observed';
import type { ProgressListener } from './sync-progress';
import { SyncReadError } from './sync-read-error';

export interface AccessRow {
  memberId: string;
  email: string;
  name: string;
  state: string;
  managedByScim: boolean;
  entitlementKind: 'group' | 'role' | 'permission' | '';
  entitlementId: string;
  entitlementName: string;
  /** Permission rows: `direct`, or the id of the group the permission is granted to. */
  via: string;
  viaName: string;
  resourceKind: PermissionResourceKind | '';
  resourceId: string;
  action: string;
}

/** The permissions read, by accessor: `member:<id>` and `group:<id>`. */
export interface PermissionIndex {
  byAccessor: Map<string, ResourcePermission[]>;
  /** Rows read. */
  count: number;
  /** Rows the connector left out (accessor types it does not know). */
  skipped: number;
  /** False when the connector does not read permissions (the index is empty). */
  supported: boolean;
}

const accessorKey = (kind: ResourcePermission['accessorKind'], id: string) => `${kind}:${id}`;

/** Every permission page, indexed by accessor. A failed page fails the read (SyncReadError). */
export async function readPermissionIndex(
  connector: WorkspaceConnector,
  onProgress: ProgressListener = () => {},
): Promise<PermissionIndex> {
  const index: PermissionIndex = { byAccessor: new Map(), count: 0, skipped: 0, supported: false };
  if (!hasPermissionReader(connector)) return index;
  index.supported = true;
  let next: string | undefined;
  do {
    let page;
    try {
      page = await connector.readPermissions(next);
    } catch (cause) {
      throw new SyncReadError('permissions', { cause });
    }
    for (const permission of page.items) {
      const key = accessorKey(permission.accessorKind, permission.accessorId);
      const list = index.byAccessor.get(key);
      if (list) list.push(permission);
      else index.byAccessor.set(key, [permission]);
      index.count++;
    }
    index.skipped += page.skipped ?? 0;
    onProgress({ phase: 'read', step: 'permissions', done: index.count });
    next = page.next;
  } while (next !== undefined);
  return index;
}

export function permissionEntitlementId(permission: ResourcePermission): string {
  return `${permission.resourceKind}:${permission.resourceId}:${permission.action}`;
}

export function permissionEntitlementName(permission: ResourcePermission): string {
  return `${permission.resourceName} (${permission.action})`;
}

const NO_PERMISSION = { via: '', viaName: '', resourceKind: '', resourceId: '', action: '' } as const;

function permissionColumns(permission: ResourcePermission, via: string, viaName: string) {
  return {
    entitlementKind: 'permission' as const,
    entitlementId: permissionEntitlementId(permission),
    entitlementName: permissionEntitlementName(permission),
    via,
    viaName,
    resourceKind: permission.resourceKind,
    resourceId: permission.resourceId,
    action: permission.action,
  };
}

export async function* accessSnapshot(
  connector: WorkspaceConnector,
  onProgress?: ProgressListener,
): AsyncGenerator<AccessRow> {
  const observed = await readObserved(connector, onProgress);
  const permissions = await readPermissionIndex(connector, onProgress);
  const groupsOf = new Map<string, string[]>();
  for (const [groupId, holders] of observed.grants) {
    for (const memberId of holders) {
      const groups = groupsOf.get(memberId);
      if (groups) groups.push(groupId);
      else groupsOf.set(memberId, [groupId]);
    }
  }
  for (const member of observed.members.values()) {
    const base = {
      memberId: member.id,
      email: member.email,
      name: member.name,
      state: member.state,
      managedByScim: member.managedByScim,
    };
    let rows = 0;
    if (member.admin) {
      rows++;
      yield {
        ...base,
        entitlementKind: 'role',
        entitlementId: 'admin',
        entitlementName: 'admin',
        ...NO_PERMISSION,
      };
    }
    const held: { id: string; name: string }[] = [];
    if (observed.everyone && member.state === 'active') held.push(observed.everyone);
    for (const groupId of groupsOf.get(member.id) ?? [])
      held.push({ id: groupId, name: observed.groups.get(groupId)?.name ?? '' });
    for (const group of held) {
      rows++;
      yield {
        ...base,
        entitlementKind: 'group',
        entitlementId: group.id,
        entitlementName: group.name,
        ...NO_PERMISSION,
      };
    }
    for (const permission of permissions.byAccessor.get(accessorKey('member', member.id)) ?? []) {
      rows++;
      yield { ...base, ...permissionColumns(permission, 'direct', '') };
    }
    for (const group of held) {
      for (const permission of permissions.byAccessor.get(accessorKey('group', group.id)) ?? []) {
        rows++;
        yield { ...base, ...permissionColumns(permission, group.id, group.name) };
      }
    }
    if (rows === 0)
      yield { ...base, entitlementKind: '', entitlementId: '', entitlementName: '', ...NO_PERMISSION };
  }
}

/** The member view's columns; the permission columns come last, so older readers keep working. */
export const ACCESS_COLUMNS: readonly (keyof AccessRow)[] = [
  'memberId',
  'email',
  'name',
  'state',
  'managedByScim',
  'entitlementKind',
  'entitlementId',
  'entitlementName',
  'via',
  'viaName',
  'resourceKind',
  'resourceId',
  'action',
];

export interface GroupAccessRow {
  groupId: string;
  groupName: string;
  everyone: boolean;
  /** False for a group Mode no longer lists (soft-deleted) that permission rows still name. */
  listed: boolean;
  /** Members holding it as the grants list them; `Everyone`: the active members. */
  members: number;
  entitlementKind: 'permission' | '';
  entitlementId: string;
  entitlementName: string;
  resourceKind: PermissionResourceKind | '';
  resourceId: string;
  action: string;
}

export const GROUP_ACCESS_COLUMNS: readonly (keyof GroupAccessRow)[] = [
  'groupId',
  'groupName',
  'everyone',
  'listed',
  'members',
  'entitlementKind',
  'entitlementId',
  'entitlementName',
  'resourceKind',
  'resourceId',
  'action',
];

function activeMembers(observed: ObservedWorkspace): number {
  let count = 0;
  for (const member of observed.members.values()) if (member.state === 'active') count++;
  return count;
}

/**
 * The per-group view: one row per group and permission (`Everyone` first, then the groups in the
 * workspace's order, then unlisted groups that permissions name); a group with none gets one row.
 */
export async function* accessByGroup(
  connector: WorkspaceConnector,
  onProgress?: ProgressListener,
): AsyncGenerator<GroupAccessRow> {
  const observed = await readObserved(connector, onProgress);
  const permissions = await readPermissionIndex(connector, onProgress);
  const groups: {
    group: Pick<GroupEntitlement, 'id' | 'name' | 'everyone'>;
    listed: boolean;
    members: number;
  }[] = [];
  if (observed.everyone)
    groups.push({ group: observed.everyone, listed: true, members: activeMembers(observed) });
  for (const group of observed.groups.values())
    groups.push({ group, listed: true, members: observed.grants.get(group.id)?.size ?? 0 });
  const known = new Set(groups.map((entry) => entry.group.id));
  for (const [key, list] of permissions.byAccessor) {
    const id = list[0]?.accessorId;
    if (!key.startsWith('group:') || id === undefined || known.has(id)) continue;
    known.add(id);
    groups.push({ group: { id, name: '', everyone: false }, listed: false, members: 0 });
  }
  for (const { group, listed, members } of groups) {
    const base = { groupId: group.id, groupName: group.name, everyone: group.everyone, listed, members };
    const reached = permissions.byAccessor.get(accessorKey('group', group.id)) ?? [];
    for (const permission of reached) {
      yield {
        ...base,
        entitlementKind: 'permission',
        entitlementId: permissionEntitlementId(permission),
        entitlementName: permissionEntitlementName(permission),
        resourceKind: permission.resourceKind,
        resourceId: permission.resourceId,
        action: permission.action,
      };
    }
    if (reached.length === 0)
      yield {
        ...base,
        entitlementKind: '',
        entitlementId: '',
        entitlementName: '',
        resourceKind: '',
        resourceId: '',
        action: '',
      };
  }
}

/** RFC 4180: quote fields holding a comma, quote or line break; double the quotes. */
export function csvLine(values: readonly (string | boolean | number)[]): string {
  return values
    .map((value) => {
      const text = String(value);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}
