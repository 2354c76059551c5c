/**
 * The workspace rules as the SCIM endpoints see them. The endpoint commits the desired state first
 * (one atomic write), then asks the rules to apply it to the workspace at once. Applying never
 * fails the IdP's request: a slow or failing workspace leaves the resource marked as not yet
 * applied, and the reconciler (the same apply logic, run by the full sync) finishes it later.
 */
import type { Connection } from '../secrets/connection';
import type { JsonObject } from '../scim/json';
import type { GroupRecord, UserRecord, WorkspaceClaim } from '../store/record';

export interface GroupChange {
  previous?: GroupRecord;
  added: string[];
  removed: string[];
  users?: ReadonlyMap<string, UserRecord>;
}

export interface Provisioning {
  /**
   * Refuses SCIM writes with 403 while the workspace allows sign-in methods other than SAML
   * (unless the connection switched the check off).
   */
  assertWritable(connection: Connection): Promise<void>;
  /** The workspace-wide value a user with this body holds (its primary email), if any. */
  userClaim(connection: Connection, body: JsonObject, userName: string): WorkspaceClaim | undefined;
  /** The workspace-wide value a group with this name holds. */
  groupClaim(connection: Connection, displayName: string): WorkspaceClaim;
  /** Refuses a group the workspace owns alone (the `Everyone` group), before anything is written. */
  assertGroupAllowed(connection: Connection, displayName: string, existing?: GroupRecord): void;
  /** Applies a committed user (created, replaced, patched) to the workspace within a time budget. */
  userChanged(connection: Connection, user: UserRecord, previous?: UserRecord): Promise<void>;
  /**
   * Applies a committed group, with the members added and removed by this change. `users` holds
   * those members' user records when the caller has already read them (saves reading them again).
   */
  groupChanged(connection: Connection, group: GroupRecord, change: GroupChange): Promise<void>;
  /** The link was deleted: remove the member from the workspace. */
  userDeleted(connection: Connection, user: UserRecord): Promise<void>;
  /** The link was deleted: delete the workspace group. */
  groupDeleted(connection: Connection, group: GroupRecord): Promise<void>;
}
