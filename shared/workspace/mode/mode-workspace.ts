/**
 * The Mode connector: the connector port over Mode's documented REST API, and nothing more. What
 * Mode does not document (creating, deactivating or removing members, toggling admin, sign-in
 * settings, setting the managed flags) is declared missing with the reason, never invented.
 *
 * Ids are Mode's tokens: a member is its `member_token`, a group its `token`.
 */
import type { Capability } from '../capability';
import type { Entitlement, GroupEntitlement, Grant } from '../entitlement';
import type { ProvisionResult, WorkspaceMember } from '../member';
import type { Page } from '../page';
import type { WorkspaceConnector } from '../port';
import type { SignInSettings } from '../sign-in';
import { CapabilityMissingError, WorkspaceRejectedError } from '../workspace-error';
import { ModeClient } from './mode-client';
import type { HalObject, ModeClientOptions } from './mode-client';

export const MODE_MISSING: ReadonlyMap<Capability, string> = new Map<Capability, string>([
  [
    'provisionMember',
    "Mode's invites endpoints cannot be called with a workspace API token, and its REST API documents no other way to add a member",
  ],
  ['updateMember', "Mode's REST API documents no endpoint to change a member's email, name or admin flag"],
  ['deactivateMember', "Mode's REST API documents no endpoint to deactivate a member"],
  ['reactivateMember', "Mode's REST API documents no endpoint to reactivate a member"],
  ['deleteMember', "Mode's REST API documents no endpoint to remove a member"],
  ['readSignIn', "Mode's REST API documents no endpoint to read the workspace's sign-in settings"],
  ['markManaged', "Mode's REST API documents no endpoint to set managed_by_scim or a group's managed flag"],
]);

const MODE_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'readMembers',
  'readEntitlements',
  'readGrants',
  'createGroup',
  'renameGroup',
  'deleteGroup',
  'grant',
  'revoke',
]);

const BATCH_PAGE_SIZE = 1000;
/** How long one listing of memberships or groups is reused across the pages of one sync pass. */
const LISTING_TTL_MS = 60_000;

export interface ModeWorkspaceOptions extends ModeClientOptions {
  now?: () => number;
}

interface MembershipInfo {
  admin: boolean;
  active: boolean;
  managedByScim: boolean;
  name?: string;
}

interface Cached<T> {
  value: T;
  at: number;
}

function embedded(body: HalObject | undefined, name: string): HalObject[] {
  const list = body?._embedded?.[name];
  return Array.isArray(list) ? (list as HalObject[]) : [];
}

function nextHref(body: HalObject | undefined): string | undefined {
  const href = body?._links?.next?.href ?? body?._links?.next_page?.href;
  return typeof href === 'string' && href !== '' ? href : undefined;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

function missing(capability: Capability): never {
  throw new CapabilityMissingError(capability, MODE_MISSING.get(capability) ?? 'not supported by Mode');
}

function everyoneIsReadOnly(): WorkspaceRejectedError {
  return new WorkspaceRejectedError(
    'the Everyone group belongs to the workspace: it cannot be renamed, deleted, granted or revoked',
    400,
    'everyone_read_only',
  );
}

function pageNumber(token: string | undefined): number {
  if (token === undefined) return 1;
  const page = Number(token);
  if (!Number.isInteger(page) || page < 1)
    throw new WorkspaceRejectedError('invalid page token', 400, 'invalid_page');
  return page;
}

export class ModeWorkspace implements WorkspaceConnector {
  readonly capabilities = MODE_CAPABILITIES;
  private readonly client: ModeClient;
  private readonly now: () => number;
  private memberships?: Cached<Map<string, MembershipInfo>>;
  private groups?: Cached<GroupEntitlement[]>;

  constructor(options: ModeWorkspaceOptions) {
    this.client = new ModeClient(options);
    this.now = options.now ?? Date.now;
  }

  // Members: the batch listing carries emails and pages; the memberships listing carries the
  // admin and managed_by_scim flags, so both are read and joined on member_token.

  async readMembers(page?: string): Promise<Page<WorkspaceMember>> {
    const number = pageNumber(page);
    const body = await this.client.send({
      method: 'GET',
      path: (ws) => `/batch/${ws}/members?page=${number}&per_page=${BATCH_PAGE_SIZE}`,
    });
    const info = await this.membershipInfo(page === undefined);
    const rows = Array.isArray(body?.members) ? (body.members as HalObject[]) : [];
    const items = rows.map((row): WorkspaceMember => {
      const id = str(row.member_token);
      const known = info.get(id);
      const active = (known?.active ?? str(row.state) !== 'deactivated') && !row.banned_at;
      return {
        id,
        email: str(row.member_email),
        name: known?.name ?? '',
        admin: known?.admin ?? false,
        state: active ? 'active' : 'deactivated',
        managedByScim: known?.managedByScim ?? false,
      };
    });
    const pagination = (body?.pagination ?? {}) as Record<string, unknown>;
    const totalPages = Number(pagination.total_pages ?? 0);
    return { items, next: number < totalPages ? String(number + 1) : undefined };
  }

  async readEntitlements(page?: string): Promise<Page<Entitlement>> {
    if (page !== undefined) throw new WorkspaceRejectedError('invalid page token', 400, 'invalid_page');
    const groups = await this.listGroups(true);
    return { items: [{ kind: 'role', id: 'admin', name: 'admin' }, ...groups] };
  }

  /**
   * One page per group, in token order; the page token is the last group read, so a group
   * created or deleted between pages does not shift the rest.
   */
  async readGrants(page?: string): Promise<Page<Grant>> {
    const groups = (await this.listGroups(page === undefined))
      .filter((group) => !group.everyone)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const index = page === undefined ? 0 : groups.findIndex((group) => group.id > page);
    const group = index < 0 ? undefined : groups[index];
    if (!group) return { items: [] };
    const memberships = await this.groupMemberships(group.id);
    const items = memberships.map((membership) => ({ groupId: group.id, memberId: membership.memberId }));
    return { items, next: index + 1 < groups.length ? group.id : undefined };
  }

  async readSignIn(): Promise<SignInSettings> {
    return missing('readSignIn');
  }

  async provisionMember(): Promise<ProvisionResult> {
    return missing('provisionMember');
  }

  async updateMember(): Promise<void> {
    missing('updateMember');
  }

  async deactivateMember(): Promise<void> {
    missing('deactivateMember');
  }

  async reactivateMember(): Promise<void> {
    missing('reactivateMember');
  }

  async deleteMember(): Promise<void> {
    missing('deleteMember');
  }

  async markMemberManaged(): Promise<void> {
    missing('markManaged');
  }

  async markGroupManaged(): Promise<void> {
    missing('markManaged');
  }

  // Groups

  async createGroup(name: string): Promise<{ kind: 'created' | 'exists'; groupId: string }> {
    // Mode is not documented to keep group names unique, so look before creating to stay idempotent.
    const existing = (await this.listGroups(true)).find(
      (group) => group.name.toLowerCase() === name.toLowerCase(),
    );
    if (existing?.everyone) throw everyoneIsReadOnly();
    if (existing) return { kind: 'exists', groupId: existing.id };
    const body = await this.client.send({
      method: 'POST',
      path: (ws) => `/api/${ws}/groups`,
      body: { group: { name } },
    });
    this.groups = undefined;
    const groupId = str(body?.token);
    if (!groupId)
      throw new WorkspaceRejectedError('Mode created a group but answered no token', 502, 'bad_response');
    return { kind: 'created', groupId };
  }

  async renameGroup(groupId: string, name: string): Promise<void> {
    await this.refuseEveryone(groupId);
    await this.client.send({
      method: 'PATCH',
      path: (ws) => `/api/${ws}/groups/${encodeURIComponent(groupId)}`,
      body: { group: { name } },
    });
    this.groups = undefined;
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.refuseEveryone(groupId);
    await this.client.send({
      method: 'DELETE',
      path: (ws) => `/api/${ws}/groups/${encodeURIComponent(groupId)}`,
      allowNotFound: true,
    });
    this.groups = undefined;
  }

  // Grants

  async grant(groupId: string, memberId: string): Promise<void> {
    await this.refuseEveryone(groupId);
    const memberships = await this.groupMemberships(groupId);
    if (memberships.some((membership) => membership.memberId === memberId)) return;
    await this.client.send({
      method: 'POST',
      path: (ws) => `/api/${ws}/groups/${encodeURIComponent(groupId)}/memberships`,
      body: { group_membership: { member_token: memberId } },
    });
  }

  async revoke(groupId: string, memberId: string): Promise<void> {
    await this.refuseEveryone(groupId);
    const memberships = await this.groupMemberships(groupId, true);
    const membership = memberships.find((entry) => entry.memberId === memberId);
    if (!membership) return;
    await this.client.send({
      method: 'DELETE',
      path: (ws) =>
        `/api/${ws}/groups/${encodeURIComponent(groupId)}/memberships/${encodeURIComponent(membership.token)}`,
      allowNotFound: true,
    });
  }

  /** Lists the group's memberships once, then adds only the missing members, one POST each. */
  async grantMembers(groupId: string, memberIds: readonly string[]): Promise<void> {
    await this.refuseEveryone(groupId);
    const present = new Set((await this.groupMemberships(groupId)).map((membership) => membership.memberId));
    for (const memberId of new Set(memberIds)) {
      if (present.has(memberId)) continue;
      await this.client.send({
        method: 'POST',
        path: (ws) => `/api/${ws}/groups/${encodeURIComponent(groupId)}/memberships`,
        body: { group_membership: { member_token: memberId } },
      });
    }
  }

  /** Lists the group's memberships once, then deletes only those present, one DELETE each. */
  async revokeMembers(groupId: string, memberIds: readonly string[]): Promise<void> {
    await this.refuseEveryone(groupId);
    const wanted = new Set(memberIds);
    const memberships = await this.groupMemberships(groupId, true);
    for (const membership of memberships.filter((entry) => wanted.has(entry.memberId))) {
      await this.client.send({
        method: 'DELETE',
        path: (ws) =>
          `/api/${ws}/groups/${encodeURIComponent(groupId)}/memberships/${encodeURIComponent(membership.token)}`,
        allowNotFound: true,
      });
    }
  }

  // Helpers

  private async refuseEveryone(groupId: string): Promise<void> {
    const groups = await this.listGroups(false);
    if (groups.some((group) => group.everyone && group.id === groupId)) throw everyoneIsReadOnly();
  }

  private async listGroups(fresh: boolean): Promise<GroupEntitlement[]> {
    if (!fresh && this.groups && this.now() - this.groups.at < LISTING_TTL_MS) return this.groups.value;
    const rows = await this.readAllHal((ws) => `/api/${ws}/groups`, 'groups');
    const value = rows.map((row): GroupEntitlement => ({
      kind: 'group',
      id: str(row.token),
      name: str(row.name),
      managed: flag(row.managed),
      // Mode marks its built-in all-members group by type rather than by name.
      everyone: str(row.group_type) === 'everyone',
    }));
    this.groups = { value, at: this.now() };
    return value;
  }

  private async membershipInfo(fresh: boolean): Promise<Map<string, MembershipInfo>> {
    if (!fresh && this.memberships && this.now() - this.memberships.at < LISTING_TTL_MS) {
      return this.memberships.value;
    }
    const rows = await this.readAllHal((ws) => `/api/${ws}/memberships`, 'memberships');
    const value = new Map<string, MembershipInfo>();
    for (const row of rows) {
      const user = row._embedded?.user as Record<string, unknown> | undefined;
      value.set(str(row.member_token), {
        admin: flag(row.admin),
        active: str(row.state) === 'active',
        managedByScim: flag(row.managed_by_scim),
        name: typeof user?.name === 'string' ? user.name : undefined,
      });
    }
    this.memberships = { value, at: this.now() };
    return value;
  }

  private async groupMemberships(
    groupId: string,
    allowNotFound = false,
  ): Promise<{ token: string; memberId: string }[]> {
    const rows = await this.readAllHal(
      (ws) => `/api/${ws}/groups/${encodeURIComponent(groupId)}/memberships`,
      'group_memberships',
      allowNotFound,
    );
    return rows.map((row) => ({ token: str(row.token), memberId: str(row.member_token) }));
  }

  /** A HAL collection, following `_links.next` when Mode pages it. */
  private async readAllHal(
    first: (workspace: string) => string,
    name: string,
    allowNotFound = false,
  ): Promise<HalObject[]> {
    const rows: HalObject[] = [];
    let path: ((workspace: string) => string) | undefined = first;
    for (let guard = 0; path && guard < 10_000; guard++) {
      const body = await this.client.send({ method: 'GET', path, allowNotFound });
      if (!body) break;
      rows.push(...embedded(body, name));
      const href = nextHref(body);
      path = href
        ? () => new URL(href, 'http://mode.invalid').pathname + new URL(href, 'http://mode.invalid').search
        : undefined;
    }
    return rows;
  }
}
