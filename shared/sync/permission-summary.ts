/**
 * The full sync's count of resource permissions (`roster sync --permissions`): how many
 * permissions the workspace lists on its collections and data sources, and which groups hold
 * them, for the run's report. It is read after the workspace read, only when asked: on Mode it
 * costs a call per collection and data source (and per further page), which a scheduled run under
 * Mode's rate limit should not spend. A failed read is reported and never fails the run, since
 * the plan does not depend on permissions.
 */
import type { WorkspaceConnector } from '../workspace/port';
import { hasPermissionReader } from '../workspace/port';
import { readPermissionIndex } from './access-snapshot';
import type { ObservedWorkspace } from './observed';
import type { ProgressListener } from './sync-progress';

/** How many groups the run record names (the count covers them all). */
export const NAMED_GROUPS = 20;

export interface PermissionSummary {
  /** Permission rows read. */
  read: number;
  /** Rows the connector left out (accessor types it does not know). */
  skipped: number;
  /** Rows granted to a member's account rather than a group. */
  direct: number;
  /** Groups holding at least one permission (`Everyone` and unlisted groups included). */
  groupCount: number;
  /** The groups holding the most, at most NAMED_GROUPS; `name` is '' for an unlisted group. */
  groups: { id: string; name: string; permissions: number }[];
  /** Set when nothing was read: why (the workspace lacks the capability, or the read failed). */
  unread?: string;
}

export async function summarisePermissions(
  connector: WorkspaceConnector,
  observed: ObservedWorkspace,
  onProgress?: ProgressListener,
): Promise<PermissionSummary> {
  const empty: PermissionSummary = { read: 0, skipped: 0, direct: 0, groupCount: 0, groups: [] };
  if (!hasPermissionReader(connector))
    return { ...empty, unread: 'the workspace adapter does not read permissions' };
  let index;
  try {
    index = await readPermissionIndex(connector, onProgress);
  } catch (error) {
    return { ...empty, unread: error instanceof Error ? error.message : String(error) };
  }
  let direct = 0;
  const groups: PermissionSummary['groups'] = [];
  for (const list of index.byAccessor.values()) {
    const first = list[0];
    if (!first) continue;
    if (first.accessorKind === 'member') {
      direct += list.length;
      continue;
    }
    const id = first.accessorId;
    const name =
      observed.everyone?.id === id ? observed.everyone.name : (observed.groups.get(id)?.name ?? '');
    groups.push({ id, name, permissions: list.length });
  }
  groups.sort((a, b) => b.permissions - a.permissions || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    read: index.count,
    skipped: index.skipped,
    direct,
    groupCount: groups.length,
    groups: groups.slice(0, NAMED_GROUPS),
  };
}
