/**
 * The Mode connector: the connector port over Mode's REST API, through the calls its reference
 * documents (and, where the reference is silent, the shapes a public client sends), and nothing
 * more. Every call, its body and its source is in docs/mode.md. What Mode's API has no call for
 * (changing a member's name, email or admin flag, reactivating a removed member, sign-in
 * settings, the managed flags) is declared missing with the reason, never invented.
 *
 * Ids are Mode's tokens: a member is its `member_token` (its user's token), a group its `token`.
 * Removing a member is one call (DELETE of the membership), after which Mode lists the member as
 * `deactivated`; Roster first takes the member out of every group, so that "deactivation strips
 * groups" never depends on Mode doing it. Deleting is the same call: a Mode user belongs to Mode,
 * not to the workspace, so taking the membership away is the most any workspace admin can do.
 * Deleted groups are soft-deleted by Mode (`state: soft_deleted`) and stay listed: they are never
 * "found", and a group is re-created under a deleted one's name.
 */
import type { Capability } from '../capability';
import type { Entitlement, GroupEntitlement, Grant } from '../entitlement';
import type { MemberProfile, MemberState, NewMember, ProvisionResult, WorkspaceMember } from '../member';
import type { Page } from '../page';
import type { PermissionPage } from '../permission';
import type { WorkspaceConnector } from '../port';
import type { SignInSettings } from '../sign-in';
import { CapabilityMissingError, WorkspaceRejectedError } from '../workspace-error';
import { ModeClient, PersonalTokenMissingError } from './mode-client';
import type { HalObject, ModeClientOptions, ModeRequest } from './mode-client';
import { embedded, flag, hrefPath, nextHref, str } from './mode-hal';
import { ModeMemberDirectory } from './mode-member-directory';
import { ModePermissions } from './mode-permissions';

export const MODE_MISSING: ReadonlyMap<Capability, string> = new Map<Capability, string>([
  [
    'updateMember',
    "Mode's API has no call to change a member's admin flag or another user's name or email (the membership's admin flag is read-only in the reference; a Mode user owns their profile)",
  ],
  [
    'reactivateMember',
    "Mode's API has no call to reactivate a removed member (the membership offers it only as the web link web_self_unban)",
  ],
  ['readSignIn', "Mode's API has no call that reads the workspace's sign-in settings"],
  ['markManaged', "Mode's API has no call to set managed_by_scim or a group's managed flag"],
]);

const PERSONAL_TOKEN_MISSING =
  'Mode refuses workspace API tokens for invites: put a member API token of the dedicated admin member in the Mode secret (memberToken, memberSecret; docs/mode.md)';

const MODE_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'readMembers',
  'readEntitlements',
  'readGrants',
  'provisionMember',
  'deactivateMember',
  'deleteMember',
  'createGroup',
  'renameGroup',
  'deleteGroup',
  'grant',
  'revoke',
  'readPermissions',
]);

/** How long one listing of memberships or groups is reused across the pages of one sync pass. */
const LISTING_TTL_MS = 60_000;

export interface ModeWorkspaceOptions extends ModeClientOptions {
  now?: () => number;
}

interface MembershipInfo {
  username: string;
  /** The membership's own link (`_links.self`), the documented way to address it. */
  self?: string;
  admin: boolean;
  state: MemberState;
  managedByScim: boolean;
}

interface Cached<T> {
  value: T;
  at: number;
}

/** A membership's state: an invitation is its own state, never taken for a deactivated member. */
export function membershipState(row: Record<string, unknown>): MemberState {
  const state = str(row.state);
  if (state === 'deactivated' || (row.banned_at !== undefined && row.banned_at !== null))
    return 'deactivated';
  if (flag(row.invited) || state === 'invited') return 'invited';
  return 'active';
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

/** Whether a link names one membership of this API (never followed anywhere else). */
function membershipLink(href: string): boolean {
  return /^\/api\/[^/]+\/memberships\/[^/?]+$/.test(hrefPath(href));
}

/** A page token of the members listing: only ever a memberships page of this API. */
function membershipsPagePath(token: string): string {
  const path = hrefPath(token);
  if (!/^\/api\/[^/]+\/memberships(\?|$)/.test(path))
    throw new WorkspaceRejectedError('invalid page token', 400, 'invalid_page');
  return path;
}

const segment = encodeURIComponent;

export class ModeWorkspace implements WorkspaceConnector {
  readonly capabilities = MODE_CAPABILITIES;
  private readonly client: ModeClient;
  private readonly now: () => number;
  private memberships?: Cached<Map<string, MembershipInfo>>;
  private groups?: Cached<GroupEntitlement[]>;
  private readonly directory: ModeMemberDirectory;
  private readonly permissions: ModePermissions;

  constructor(options: ModeWorkspaceOptions) {
    this.client = new ModeClient(options);
    this.now = options.now ?? Date.now;
    this.directory = new ModeMemberDirectory(this.client, this.now);
    this.permissions = new ModePermissions(this.client, this.now);
  }

  /** The HTTP client, for the connection check (mode-connection-check.ts). */
  get api(): ModeClient {
    return this.client;
  }

  // Members: the memberships listing (documented, HAL-paged) carries the token, username, admin,
  // invited, state and managed_by_scim of each member, and no email; emails come from the member
  // directory (the Discovery listing where the plan has it, else each member's user resource).
  // Names are on the user resource only, so listings leave them empty: Roster cannot change them
  // on Mode anyway (updateMember is missing) and never plans on them.

  /** One page of the memberships listing; the page token is Mode's own next link. */
  async readMembers(page?: string): Promise<Page<WorkspaceMember>> {
    const path = page === undefined ? undefined : membershipsPagePath(page);
    const body = await this.client.send({
      method: 'GET',
      path: (ws) => path ?? `/api/${ws}/memberships`,
    });
    const rows = embedded(body, 'memberships');
    const entries = rows.map((row) => ({ token: str(row.member_token), username: str(row.member_username) }));
    const emails = await this.directory.emails(entries);
    const items = rows.map((row): WorkspaceMember => {
      const id = str(row.member_token);
      return {
        id,
        email: emails.get(id) ?? '',
        name: '',
        admin: flag(row.admin),
        state: membershipState(row),
        managedByScim: flag(row.managed_by_scim),
      };
    });
    const next = nextHref(body);
    return { items, next: next === undefined ? undefined : hrefPath(next) };
  }

  /** A member's full name, from the user resource (the one place Mode documents it). */
  async readMemberName(memberId: string): Promise<string | undefined> {
    const username = (await this.membershipInfo(false)).get(memberId)?.username;
    if (username === undefined) return undefined;
    const user = await this.client.send({
      method: 'GET',
      path: () => `/api/${segment(username)}`,
      allowNotFound: true,
    });
    return typeof user?.name === 'string' ? user.name : undefined;
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
    const memberships = await this.groupMemberships(group.id, true);
    const items = memberships.map((membership) => ({ groupId: group.id, memberId: membership.memberId }));
    return { items, next: index + 1 < groups.length ? group.id : undefined };
  }

  /**
   * The permissions of every collection (`spaces?filter=all`, personal ones included), then of
   * every data source: one permissions page per call (mode-permissions.ts has the page token).
   */
  async readPermissions(page?: string): Promise<PermissionPage> {
    return this.permissions.read(page);
  }

  async readSignIn(): Promise<SignInSettings> {
    return missing('readSignIn');
  }

  /**
   * An invitation (POST invites, signed with the admin member's own token). An email that already has a
   * membership answers `exists` with it, so no second invitation is sent; a removed member is not
   * invited back (Mode has no documented reactivation), it is linked and stays deactivated.
   */
  async provisionMember(member: NewMember): Promise<ProvisionResult> {
    const existing = await this.memberByEmail(member.email);
    if (existing) return { kind: 'exists', memberId: existing };
    const invite = await this.send('provisionMember', {
      method: 'POST',
      path: (ws) => `/api/${ws}/invites`,
      credential: 'personal',
      // The spec's CreateInviteRequestBody: `invitee` is an object, `message` is required.
      body: { invite: { invitee: { email: member.email }, message: '' } },
    });
    this.memberships = undefined;
    // The invite links its invitee, the new user; the user's token is the member's id.
    const href = str(invite?._links?.invitee?.href);
    const invitee = href
      ? await this.client.send({ method: 'GET', path: () => hrefPath(href), allowNotFound: true })
      : undefined;
    const memberId = str(invitee?.token) || (await this.memberByEmail(member.email));
    if (!memberId) {
      throw new WorkspaceRejectedError(
        `Mode accepted the invitation but lists no membership for it${href ? '' : ' (and named no invitee)'}`,
        502,
        'bad_response',
      );
    }
    this.directory.remember(memberId, member.email);
    return { kind: 'created', memberId };
  }

  /** Refuses unless nothing would change: Mode has no call to change a member's profile. */
  async updateMember(memberId: string, profile: MemberProfile): Promise<void> {
    const info = (await this.membershipInfo(true)).get(memberId);
    const adminChanges = profile.admin !== undefined && info !== undefined && profile.admin !== info.admin;
    const emailChanges =
      profile.email !== undefined &&
      (await this.emailOf(memberId))?.toLowerCase() !== profile.email.toLowerCase();
    const nameChanges =
      profile.name !== undefined &&
      profile.name !== '' &&
      (await this.readMemberName(memberId)) !== profile.name;
    if (info === undefined || adminChanges || emailChanges || nameChanges) missing('updateMember');
  }

  /** Takes the member out of every group, then removes the membership (an invitation is withdrawn). */
  async deactivateMember(memberId: string): Promise<void> {
    await this.removeMembership(memberId);
  }

  /** A no-op for an active or invited member; a removed one cannot be brought back through the API. */
  async reactivateMember(memberId: string): Promise<void> {
    const info = (await this.membershipInfo(true)).get(memberId);
    if (info && info.state !== 'deactivated') return;
    missing('reactivateMember');
  }

  /** The same call as deactivation: the Mode user is not the workspace's to delete. */
  async deleteMember(memberId: string): Promise<void> {
    await this.removeMembership(memberId);
  }

  async markMemberManaged(): Promise<void> {
    missing('markManaged');
  }

  async markGroupManaged(): Promise<void> {
    missing('markManaged');
  }

  // Groups

  async createGroup(name: string): Promise<{ kind: 'created' | 'exists'; groupId: string }> {
    // Mode is not documented to keep group names unique, so look before creating to stay
    // idempotent. Soft-deleted groups are not in the list: their names are free again.
    const existing = (await this.listGroups(true)).find(
      (group) => group.name.toLowerCase() === name.toLowerCase(),
    );
    if (existing?.everyone) throw everyoneIsReadOnly();
    if (existing) return { kind: 'exists', groupId: existing.id };
    const body = await this.client.send({
      method: 'POST',
      path: (ws) => `/api/${ws}/groups`,
      body: { user_group: { name } },
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
      path: (ws) => `/api/${ws}/groups/${segment(groupId)}`,
      body: { user_group: { name } },
    });
    this.groups = undefined;
  }

  /**
   * DELETE soft-deletes; the group is read back to confirm. A public client reports that Mode
   * leaves a group alone when a deleted group has the same name, so then the group is renamed to a
   * unique name first and deleted again. A group still live after that is a refusal, never a
   * silent success.
   */
  async deleteGroup(groupId: string): Promise<void> {
    await this.refuseEveryone(groupId);
    const path = (ws: string) => `/api/${ws}/groups/${segment(groupId)}`;
    const live = async () => {
      const group = await this.client.send({ method: 'GET', path, allowNotFound: true });
      return group !== undefined && str(group.state) !== 'soft_deleted';
    };
    if (!(await live())) return;
    await this.client.send({ method: 'DELETE', path, allowNotFound: true });
    this.groups = undefined;
    if (!(await live())) return;
    await this.client.send({
      method: 'PATCH',
      path,
      body: { user_group: { name: `deleted ${groupId} ${new Date(this.now()).toISOString()}` } },
    });
    await this.client.send({ method: 'DELETE', path, allowNotFound: true });
    if (await live()) {
      throw new WorkspaceRejectedError('Mode kept the group after it was deleted', 409, 'delete_not_applied');
    }
  }

  // Grants

  async grant(groupId: string, memberId: string): Promise<void> {
    await this.grantMembers(groupId, [memberId]);
  }

  async revoke(groupId: string, memberId: string): Promise<void> {
    await this.revokeMembers(groupId, [memberId]);
  }

  /** Lists the group's memberships once, then adds only the missing members, one POST each. */
  async grantMembers(groupId: string, memberIds: readonly string[]): Promise<void> {
    await this.refuseEveryone(groupId);
    const present = new Set((await this.groupMemberships(groupId)).map((membership) => membership.memberId));
    for (const memberId of new Set(memberIds)) {
      if (present.has(memberId)) continue;
      await this.client.send({
        method: 'POST',
        path: (ws) => `/api/${ws}/groups/${segment(groupId)}/memberships`,
        body: { membership: { member_token: memberId } },
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
        path: (ws) => `/api/${ws}/groups/${segment(groupId)}/memberships/${segment(membership.token)}`,
        allowNotFound: true,
      });
    }
  }

  // Helpers

  /** A call whose missing personal token means the capability is missing, not a failure. */
  private async send(capability: Capability, request: ModeRequest): Promise<HalObject | undefined> {
    try {
      return await this.client.send(request);
    } catch (error) {
      if (error instanceof PersonalTokenMissingError)
        throw new CapabilityMissingError(capability, PERSONAL_TOKEN_MISSING);
      throw error;
    }
  }

  private async removeMembership(memberId: string): Promise<void> {
    const info = (await this.membershipInfo(true)).get(memberId);
    for (const group of await this.listGroups(true)) {
      if (!group.everyone) await this.revokeMembers(group.id, [memberId]);
    }
    if (!info || info.state === 'deactivated') return;
    await this.client.send({
      method: 'DELETE',
      path: (ws) =>
        info.self && membershipLink(info.self)
          ? hrefPath(info.self)
          : `/api/${ws}/memberships/${segment(info.username)}`,
      allowNotFound: true,
    });
    this.memberships = undefined;
  }

  private async memberByEmail(email: string): Promise<string | undefined> {
    const wanted = email.toLowerCase();
    for (let page: string | undefined, first = true; first || page !== undefined; first = false) {
      const listed = await this.readMembers(page);
      const found = listed.items.find((member) => member.email.toLowerCase() === wanted);
      if (found) return found.id;
      page = listed.next;
    }
    return undefined;
  }

  private async emailOf(memberId: string): Promise<string | undefined> {
    const info = (await this.membershipInfo(false)).get(memberId);
    return info ? this.directory.email({ token: memberId, username: info.username }) : undefined;
  }

  private async refuseEveryone(groupId: string): Promise<void> {
    const groups = await this.listGroups(false);
    if (groups.some((group) => group.everyone && group.id === groupId)) throw everyoneIsReadOnly();
  }

  /** The live groups: soft-deleted ones are listed by Mode but are not groups any more. */
  private async listGroups(fresh: boolean): Promise<GroupEntitlement[]> {
    if (!fresh && this.groups && this.now() - this.groups.at < LISTING_TTL_MS) return this.groups.value;
    const rows = await this.readAllHal((ws) => `/api/${ws}/groups`, 'groups');
    const value = rows
      .filter((row) => str(row.state) !== 'soft_deleted')
      .map((row): GroupEntitlement => ({
        kind: 'group',
        id: str(row.token),
        name: str(row.name),
        managed: flag(row.managed),
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
      const self = row._links?.self?.href;
      value.set(str(row.member_token), {
        username: str(row.member_username),
        ...(typeof self === 'string' && self !== '' ? { self } : {}),
        admin: flag(row.admin),
        state: membershipState(row),
        managedByScim: flag(row.managed_by_scim),
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
      (ws) => `/api/${ws}/groups/${segment(groupId)}/memberships`,
      'group_memberships',
      allowNotFound,
    );
    return rows.map((row) => ({ token: str(row.token), memberId: str(row.member_token) }));
  }

  /** A HAL collection, following `_links.next` when Mode pages it. */
  async readAllHal(
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
      path = href ? () => hrefPath(href) : undefined;
    }
    return rows;
  }
}
