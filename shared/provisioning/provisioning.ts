/**
 * The workspace rules as the SCIM endpoints see them, before they commit. The endpoint commits the
 * desired state (one atomic write, which the table's stream carries to the apply function) and
 * answers; it never calls the workspace to apply it (shared/apply/ does, from the stream). What the
 * rules decide here is whether the write may happen at all, and what it claims workspace-wide.
 */
import type { Connection } from '../secrets/connection';
import type { JsonObject } from '../scim/json';
import type { GroupRecord, WorkspaceClaim } from '../store/record';

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
}
