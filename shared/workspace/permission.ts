/**
 * What a workspace's resources let a member or a group do, as the workspace records it: one row
 * per permission on a resource (a Mode collection or data source), with the workspace's own
 * action name kept as given (Mode: `view`, `edit` on collections; `view`, `query`, `manage` on
 * data sources). Read for the access export and the sync report, never written.
 */
import type { Page } from './page';

export type PermissionResourceKind = 'collection' | 'dataSource';

export interface ResourcePermission {
  /** The workspace's id of the permission row ('' when the workspace gives none). */
  id: string;
  resourceKind: PermissionResourceKind;
  resourceId: string;
  resourceName: string;
  /** The workspace's action, unchanged. */
  action: string;
  /** `member`: the accessor is a member's id; `group`: a group's id (possibly `Everyone`). */
  accessorKind: 'member' | 'group';
  /** Passed through even when no listed member or live group has it (soft-deleted, unknown). */
  accessorId: string;
}

/** A page of permissions; `skipped` counts rows left out (an accessor type Roster does not know). */
export interface PermissionPage extends Page<ResourcePermission> {
  skipped?: number;
}

/**
 * Optional on the connector port: a workspace without resource permissions (the built-in one)
 * leaves it out and does not declare `readPermissions`.
 */
export interface PermissionReader {
  readPermissions(page?: string): Promise<PermissionPage>;
}
