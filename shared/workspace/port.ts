/**
 * The connector port: the small set of capabilities the provisioning rules and the full sync use to
 * observe and change a workspace. Every list is paged with an opaque token. Every change is
 * idempotent where the workspace allows it (granting twice, revoking or deleting what is absent,
 * changes nothing). An adapter implements every method but declares in `capabilities` which ones
 * work; the others throw CapabilityMissingError with the reason.
 */
import type { Capability } from './capability';
import type { Entitlement, Grant } from './entitlement';
import type { MemberProfile, NewMember, ProvisionResult, WorkspaceMember } from './member';
import type { Page } from './page';
import type { PermissionReader } from './permission';
import type { SignInSettings } from './sign-in';
import { CapabilityMissingError } from './workspace-error';

export interface MemberReader {
  readMembers(page?: string): Promise<Page<WorkspaceMember>>;
}

export interface EntitlementReader {
  /** Groups (including `Everyone`, flagged) and the role `admin`. */
  readEntitlements(page?: string): Promise<Page<Entitlement>>;
}

export interface GrantReader {
  /** Every group membership of the workspace; `Everyone` is implicit and not listed. */
  readGrants(page?: string): Promise<Page<Grant>>;
}

export interface MemberProvisioner {
  /** Never creates a second account for an email: answers `exists` with the account's id instead. */
  provisionMember(member: NewMember): Promise<ProvisionResult>;
}

export interface MemberUpdater {
  updateMember(memberId: string, profile: MemberProfile): Promise<void>;
}

export interface MemberDeactivator {
  /** Also removes the member from every group. */
  deactivateMember(memberId: string): Promise<void>;
}

export interface MemberReactivator {
  /** Restores the account, not its groups. */
  reactivateMember(memberId: string): Promise<void>;
}

export interface MemberRemover {
  deleteMember(memberId: string): Promise<void>;
}

export interface GroupWriter {
  /** Answers `exists` with the group's id when a group of that name (case-insensitively) exists. */
  createGroup(name: string): Promise<{ kind: 'created' | 'exists'; groupId: string }>;
  renameGroup(groupId: string, name: string): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
}

export interface GrantWriter {
  grant(groupId: string, memberId: string): Promise<void>;
  revoke(groupId: string, memberId: string): Promise<void>;
  /**
   * Optional: `grant` for several members of one group in fewer workspace calls, with the same
   * checks and idempotency. Not atomic: when it throws, some members may be granted and the error
   * need not name which member failed, so callers that report per member retry one by one.
   */
  grantMembers?(groupId: string, memberIds: readonly string[]): Promise<void>;
  /** Optional: `revoke` for several members of one group, on the same terms as `grantMembers`. */
  revokeMembers?(groupId: string, memberIds: readonly string[]): Promise<void>;
}

export interface SignInReader {
  readSignIn(): Promise<SignInSettings>;
}

export interface ManagedMarker {
  /** Marks a linked object as owned by the IdP (or, with `false`, releases it). */
  markMemberManaged(memberId: string, managed: boolean): Promise<void>;
  markGroupManaged(groupId: string, managed: boolean): Promise<void>;
}

export interface SyncPreparation {
  /**
   * Optional: storage upkeep before a full sync reads the workspace (the built-in workspace moves
   * grants still in its old layout to their groups' partitions: builtin/grants-migration.ts).
   * Stops by `deadline` (ms since the epoch) and goes on at the next call; the reads are correct
   * whether it ran, stopped or failed. Answers what it did, for the run's log.
   */
  prepareForSync?(deadline: number): Promise<Readonly<Record<string, number | boolean>>>;
}

export interface WorkspaceConnector
  extends
    MemberReader,
    EntitlementReader,
    GrantReader,
    MemberProvisioner,
    MemberUpdater,
    MemberDeactivator,
    MemberReactivator,
    MemberRemover,
    GroupWriter,
    GrantWriter,
    SignInReader,
    ManagedMarker,
    SyncPreparation,
    Partial<PermissionReader> {
  readonly capabilities: ReadonlySet<Capability>;
}

/** Every page of a paged listing, in order. For tests and small workspaces; the sync streams pages. */
export async function readAll<T>(read: (page?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined;
  do {
    const page = await read(next);
    items.push(...page.items);
    next = page.next;
  } while (next !== undefined);
  return items;
}

export function hasCapability(connector: WorkspaceConnector, capability: Capability): boolean {
  return connector.capabilities.has(capability);
}

/** Whether the connector reads resource permissions: it has the method and declares `readPermissions`. */
export function hasPermissionReader(
  connector: WorkspaceConnector,
): connector is WorkspaceConnector & PermissionReader {
  return typeof connector.readPermissions === 'function' && connector.capabilities.has('readPermissions');
}

/** Throws CapabilityMissingError unless the connector declares the capability. */
export function requireCapability(
  connector: WorkspaceConnector,
  capability: Capability,
  reason = 'this workspace adapter does not support it',
): void {
  if (!connector.capabilities.has(capability)) throw new CapabilityMissingError(capability, reason);
}
