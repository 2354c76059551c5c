/**
 * Mode's collection and data source permissions, paged for the connector port: the walk goes
 * through the collections listing (`GET /api/{ws}/spaces?filter=all`, in the swagger), each
 * collection's permissions (`GET /api/{ws}/spaces/{space}/permissions`), then the data sources
 * listing (`GET /api/{ws}/data_sources`, in the swagger) and each data source's permissions
 * (`GET /api/{ws}/data_sources/{source}/permissions`). The permissions routes are not in Mode's
 * swagger: they are the ones the public Terraform client hmrks/terraform-provider-modeanalytics
 * writes and reads (resource_collection_permission.go, resource_data_source_permission.go); see
 * docs/mode.md. Every call is signed with the workspace API token.
 *
 * One call answers one permissions page, so memory holds one listing page and one permissions
 * page at a time. The page token is opaque to callers: it is a versioned, base64url-encoded
 * cursor (the listing page, the position in it, the resource and its permissions page), and it is
 * validated before anything is fetched: only listing and permissions paths of this workspace,
 * for the same resource, are ever followed; anything else is refused as `invalid_page`.
 *
 * Rows are passed through as Mode lists them, whatever the accessor (a soft-deleted group, a
 * removed member). A row with an accessor type other than `Account` or `UserGroup`, or without
 * an accessor or action, is left out and counted in `skipped`; its content is not logged.
 * Soft-deleted data sources (`soft_deleted: true`, the Terraform client's field) are skipped.
 */
import type { PermissionPage, PermissionResourceKind, ResourcePermission } from '../permission';
import { WorkspaceRejectedError } from '../workspace-error';
import type { HalObject, ModeClient } from './mode-client';
import { embedded, flag, hrefPath, nextHref, str } from './mode-hal';

/** How long one listing page (of collections or data sources) is reused between pages of a walk. */
const LISTING_TTL_MS = 60_000;
/** At most this many steps (a listing page and a permissions page each) before a page is answered. */
const MAX_STEPS_PER_PAGE = 20;
const TOKEN_PREFIX = 'mp1.';

const LISTING: Record<PermissionResourceKind, { path: string; key: string; permissionsKey: string }> = {
  // The listing key of collection permissions is not evidenced (the client reads one permission
  // at a time): `permissions` is an assumption, and the only embedded list is taken otherwise.
  collection: { path: 'spaces', key: 'spaces', permissionsKey: 'permissions' },
  // `data_source_entitlements`: resource_data_source_permission.go reads this listing.
  dataSource: { path: 'data_sources', key: 'data_sources', permissionsKey: 'data_source_entitlements' },
};

export interface PermissionsCursor {
  v: 1;
  /** Which listing the walk is in. */
  k: PermissionResourceKind;
  /** The listing page's path (and query). */
  l: string;
  /** The position of the resource in that page. */
  i: number;
  /** The token of the resource at that position, when known. */
  r?: string;
  /** The resource's permissions page to read next (its first page when absent). */
  p?: string;
}

interface Resource {
  token: string;
  name: string;
}

interface ListingPage {
  path: string;
  resources: Resource[];
  next?: string;
  at: number;
}

const CURSOR_KEYS: ReadonlySet<string> = new Set(['v', 'k', 'l', 'i', 'r', 'p']);

function invalidPage(): WorkspaceRejectedError {
  return new WorkspaceRejectedError('invalid page token', 400, 'invalid_page');
}

function decodeSegment(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Whether the path is a page of this workspace's listing of that kind. */
function isListingPath(kind: PermissionResourceKind, path: string, workspace: string): boolean {
  const match = /^\/api\/([^/?#]+)\/([a-z_]+)(\?[^#]*)?$/.exec(path);
  return match !== null && match[2] === LISTING[kind].path && decodeSegment(match[1] ?? '') === workspace;
}

/** Whether the path is a page of the permissions of that one resource of this workspace. */
function isPermissionsPath(
  kind: PermissionResourceKind,
  resource: string,
  path: string,
  workspace: string,
): boolean {
  const match = /^\/api\/([^/?#]+)\/([a-z_]+)\/([^/?#]+)\/permissions(\?[^#]*)?$/.exec(path);
  return (
    match !== null &&
    match[2] === LISTING[kind].path &&
    decodeSegment(match[1] ?? '') === workspace &&
    decodeSegment(match[3] ?? '') === resource
  );
}

function firstListing(kind: PermissionResourceKind, workspace: string): string {
  const base = `/api/${encodeURIComponent(workspace)}/${LISTING[kind].path}`;
  // `filter=all`: every collection, other members' personal ones included (swagger, listCollections).
  return kind === 'collection' ? `${base}?filter=all` : base;
}

function permissionsPath(kind: PermissionResourceKind, resource: string, workspace: string): string {
  return `/api/${encodeURIComponent(workspace)}/${LISTING[kind].path}/${encodeURIComponent(resource)}/permissions`;
}

export function encodePermissionsToken(cursor: PermissionsCursor): string {
  return TOKEN_PREFIX + Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** The cursor a page token carries, or `invalid_page` for anything this walk did not hand out. */
export function decodePermissionsToken(token: string, workspace: string): PermissionsCursor {
  if (!token.startsWith(TOKEN_PREFIX)) throw invalidPage();
  const body = token.slice(TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) throw invalidPage();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalidPage();
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidPage();
  const record = value as Record<string, unknown>;
  if (Object.keys(record).some((key) => !CURSOR_KEYS.has(key))) throw invalidPage();
  const { v, k, l, i, r, p } = record;
  if (v !== 1 || (k !== 'collection' && k !== 'dataSource')) throw invalidPage();
  if (typeof l !== 'string' || !isListingPath(k, l, workspace)) throw invalidPage();
  if (typeof i !== 'number' || !Number.isSafeInteger(i) || i < 0) throw invalidPage();
  if (r !== undefined && (typeof r !== 'string' || r === '')) throw invalidPage();
  if (p !== undefined) {
    if (typeof p !== 'string' || typeof r !== 'string' || !isPermissionsPath(k, r, p, workspace))
      throw invalidPage();
  }
  return {
    v,
    k,
    l,
    i,
    ...(typeof r === 'string' ? { r } : {}),
    ...(typeof p === 'string' ? { p } : {}),
  };
}

/** The rows of a permissions listing: its documented key, else its only embedded list. */
function permissionRows(body: HalObject | undefined, key: string): HalObject[] {
  const named = body?._embedded?.[key];
  if (Array.isArray(named)) return named as HalObject[];
  const lists = Object.values(body?._embedded ?? {}).filter((value) => Array.isArray(value));
  return lists.length === 1 ? (lists[0] as HalObject[]) : [];
}

function accessorKind(type: string): ResourcePermission['accessorKind'] | undefined {
  if (type === 'Account') return 'member';
  if (type === 'UserGroup') return 'group';
  return undefined;
}

export class ModePermissions {
  /** The last listing page read: one page, never the whole listing. */
  private listing?: ListingPage;

  constructor(
    private readonly client: ModeClient,
    private readonly now: () => number,
  ) {}

  async read(page?: string): Promise<PermissionPage> {
    const workspace = await this.client.workspace();
    let cursor: PermissionsCursor | undefined =
      page === undefined
        ? { v: 1, k: 'collection', l: firstListing('collection', workspace), i: 0 }
        : decodePermissionsToken(page, workspace);
    const items: ResourcePermission[] = [];
    let skipped = 0;
    for (let step = 0; cursor && items.length === 0 && step < MAX_STEPS_PER_PAGE; step++) {
      const current: PermissionsCursor = cursor;
      // A walk starts from a fresh listing; later pages reuse the page the last one read.
      const listing = await this.listingPage(current.k, current.l, page === undefined && step === 0);
      let position = current.r === undefined ? -1 : listing.resources.findIndex((r) => r.token === current.r);
      let permissionsPage = current.p;
      if (position < 0) {
        // Not named, or gone since the last page: carry on from the position it had.
        position = current.i;
        permissionsPage = undefined;
      }
      const resource = listing.resources[position];
      if (!resource) {
        cursor = this.afterListing(current.k, listing.next, workspace);
        continue;
      }
      const body = await this.client.send({
        method: 'GET',
        path: () => permissionsPage ?? permissionsPath(current.k, resource.token, workspace),
        // Deleted since the listing: it grants nothing any more.
        allowNotFound: true,
      });
      for (const row of permissionRows(body, LISTING[current.k].permissionsKey)) {
        const kind = accessorKind(str(row.accessor_type));
        const accessorId = str(row.accessor_token);
        const action = str(row.action);
        if (kind === undefined || accessorId === '' || action === '') {
          skipped++;
          continue;
        }
        items.push({
          id: str(row.token),
          resourceKind: current.k,
          resourceId: resource.token,
          resourceName: resource.name,
          action,
          accessorKind: kind,
          accessorId,
        });
      }
      const next = nextHref(body);
      if (next !== undefined) {
        const path = hrefPath(next);
        if (!isPermissionsPath(current.k, resource.token, path, workspace)) {
          throw new WorkspaceRejectedError(
            'Mode answered a next link outside the permissions listing',
            502,
            'bad_response',
          );
        }
        cursor = { v: 1, k: current.k, l: listing.path, i: position, r: resource.token, p: path };
        continue;
      }
      const following = listing.resources[position + 1];
      cursor = following
        ? { v: 1, k: current.k, l: listing.path, i: position + 1, r: following.token }
        : this.afterListing(current.k, listing.next, workspace);
    }
    return {
      items,
      ...(skipped > 0 ? { skipped } : {}),
      ...(cursor ? { next: encodePermissionsToken(cursor) } : {}),
    };
  }

  /** The next listing page, else the data sources after the collections, else the end. */
  private afterListing(
    kind: PermissionResourceKind,
    next: string | undefined,
    workspace: string,
  ): PermissionsCursor | undefined {
    if (next !== undefined) return { v: 1, k: kind, l: next, i: 0 };
    if (kind === 'collection')
      return { v: 1, k: 'dataSource', l: firstListing('dataSource', workspace), i: 0 };
    return undefined;
  }

  private async listingPage(
    kind: PermissionResourceKind,
    path: string,
    fresh: boolean,
  ): Promise<ListingPage> {
    const cached = this.listing;
    if (!fresh && cached && cached.path === path && this.now() - cached.at < LISTING_TTL_MS) return cached;
    const body = await this.client.send({ method: 'GET', path: () => path });
    const resources = embedded(body, LISTING[kind].key)
      .filter((row) => !(kind === 'dataSource' && flag(row.soft_deleted)))
      .map((row) => ({ token: str(row.token), name: str(row.name) || str(row.display_name) }))
      .filter((resource) => resource.token !== '');
    const href = nextHref(body);
    let next: string | undefined;
    if (href !== undefined) {
      next = hrefPath(href);
      const workspace = await this.client.workspace();
      if (!isListingPath(kind, next, workspace)) {
        throw new WorkspaceRejectedError(
          `Mode answered a next link outside the ${LISTING[kind].path} listing`,
          502,
          'bad_response',
        );
      }
    }
    const page: ListingPage = { path, resources, at: this.now(), ...(next !== undefined ? { next } : {}) };
    this.listing = page;
    return page;
  }
}
