/**
 * /Users and /Users/{id} (RFC 7644 §3): the protocol steps of each method, in order. Decisions of
 * the workspace (what a deactivation means for the workspace, who may write at all) belong to
 * `ctx.provisioning`; storage to `ctx.store`.
 */
import { isDeepStrictEqual } from 'node:util';
import { ScimError } from '../scim/error';
import { etagOf } from '../scim/etag';
import type { ScimResponse } from '../scim/http';
import type { JsonObject } from '../scim/json';
import { parseListRequest } from '../scim/list-request';
import type { ListRequest } from '../scim/list-request';
import { listResponse } from '../scim/list-response';
import { applyPatch } from '../scim/patch';
import { parsePatchRequest } from '../scim/patch-op';
import { project, requestsAttribute } from '../scim/projection';
import { toUserResource } from './resource';
import { normalizeUserBody } from '../scim/user-body';
import type { NormalizedUser } from '../scim/user-body';
import type { UserRecord } from '../store/record';
import type { EndpointContext } from './context';
import { LIMITS } from './context';
import { methodNotAllowed } from './method-not-allowed';
import { checkIfMatch, notModified } from './preconditions';
import { queryCollection } from './query';
import type { Collection } from './query';
import { isResourceId } from '../scim/resource-id';
import { isReplayOf, isUniquenessConflict, requestFingerprint } from './create-replay';
import { runAudited } from '../audit/audit-context';
import { retryOnConflict } from './retry-on-conflict';
import { searchRequestQuery, SEARCH_ID } from '../scim/search-request';

/** Everything the request writes is stamped with the IdP and the request id (shared/audit/). */
export function usersEndpoint(ctx: EndpointContext): Promise<ScimResponse> {
  return runAudited({ actor: 'idp', ref: ctx.request.requestId }, () => usersRequest(ctx));
}

async function usersRequest(ctx: EndpointContext): Promise<ScimResponse> {
  const { method, id } = ctx.request;
  if (id === undefined) {
    if (method === 'GET') return listUsers(ctx);
    if (method === 'POST') return createUser(ctx);
    throw methodNotAllowed(method, '/Users', ['GET', 'POST']);
  }
  if (id === SEARCH_ID) {
    if (method === 'POST') return listUsers(ctx, searchRequestQuery(ctx.request.body));
    throw methodNotAllowed(method, '/Users/.search', ['POST']);
  }
  switch (method) {
    case 'GET':
      return getUser(ctx, id);
    case 'PUT':
      return replaceUser(ctx, id);
    case 'PATCH':
      return patchUser(ctx, id);
    case 'DELETE':
      return deleteUser(ctx, id);
    default:
      throw methodNotAllowed(method, '/Users/{id}', ['GET', 'PUT', 'PATCH', 'DELETE']);
  }
}

function listParams(ctx: EndpointContext): ListRequest {
  return parseListRequest(ctx.request.query, LIMITS.maxResults);
}

async function render(ctx: EndpointContext, user: UserRecord, list: ListRequest): Promise<JsonObject> {
  const groups = requestsAttribute('User', list, 'groups')
    ? (await ctx.store.groupsOfUser(ctx.connection.id, user.id)).map((m) => ({ value: m.groupId }))
    : undefined;
  return project('User', toUserResource(user, ctx.request.baseUrl, groups), list);
}

async function single(ctx: EndpointContext, user: UserRecord, status: number): Promise<ScimResponse> {
  const headers: Record<string, string> = { ETag: etagOf(user.meta.version) };
  if (status === 201) headers.Location = `${ctx.request.baseUrl}/Users/${user.id}`;
  return { status, headers, body: await render(ctx, user, listParams(ctx)) };
}

async function mustGet(ctx: EndpointContext, id: string): Promise<UserRecord> {
  if (!isResourceId(id)) throw ScimError.notFound(`User not found.`);
  const user = await ctx.store.getUser(ctx.connection.id, id);
  if (!user) throw ScimError.notFound(`User ${id} not found.`);
  return user;
}

async function getUser(ctx: EndpointContext, id: string): Promise<ScimResponse> {
  const user = await mustGet(ctx, id);
  if (notModified(ctx.request, user.meta.version)) {
    return { status: 304, headers: { ETag: etagOf(user.meta.version) } };
  }
  return single(ctx, user, 200);
}

/** GET /Users, or POST /Users/.search with the same parameters in its body. */
async function listUsers(
  ctx: EndpointContext,
  query: Record<string, string | undefined> = ctx.request.query,
): Promise<ScimResponse> {
  const list = parseListRequest(query, LIMITS.maxResults);
  const { store, connection, request } = ctx;
  const collection: Collection<UserRecord> = {
    resourceType: 'User',
    async lookup({ attribute, value }) {
      switch (attribute) {
        case 'id':
          if (!isResourceId(value)) return [];
          return present(await store.getUser(connection.id, value));
        case 'userName':
          return present(await store.findUserByUserName(connection.id, value));
        case 'externalId':
          return present(await store.findUserByExternalId(connection.id, value));
        case 'emails':
          return store.findUsersByEmail(connection.id, value);
        default:
          return [];
      }
    },
    page: (startIndex, count) => store.listUsers(connection.id, startIndex, count),
    count: () => store.countUsers(connection.id),
    view: (user) => toUserResource(user, request.baseUrl),
  };
  const { records, totalResults } = await queryCollection(collection, list);
  const resources = await Promise.all(records.map((user) => render(ctx, user, list)));
  return { status: 200, body: listResponse(resources, totalResults, list.startIndex) };
}

function present<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}

async function createUser(ctx: EndpointContext): Promise<ScimResponse> {
  const normalized = normalizeUserBody(ctx.request.body ?? null);
  await ctx.provisioning.assertWritable(ctx.connection);
  const now = ctx.now().toISOString();
  const fingerprint = requestFingerprint(ctx.connection.id, normalized.body);
  const user: UserRecord = {
    connectionId: ctx.connection.id,
    id: ctx.newId(),
    ...fields(normalized),
    meta: { created: now, lastModified: now, version: 1 },
    apply: { status: 'pending', attempts: 0 },
    ...claimOf(ctx, normalized),
    createdFrom: fingerprint,
  };
  try {
    await ctx.store.createUser(user);
  } catch (error) {
    if (!isUniquenessConflict(error)) throw error;
    // The retry of a create that did commit (create-replay.ts): answered as the first would be.
    const existing = await ctx.store.findUserByUserName(ctx.connection.id, normalized.userName);
    if (!existing || !isReplayOf(existing, fingerprint, ctx.now())) throw error;
    return single(ctx, existing, 201);
  }
  return single(ctx, user, 201);
}

/**
 * The primary email the user holds across its workspace (claims.ts): a taken one is a 409. A user
 * with no usable primary email can never be linked or provisioned (every workspace links by
 * email), so it is refused up front instead of answered 201 and left failing.
 */
function claimOf(ctx: EndpointContext, n: NormalizedUser): Pick<UserRecord, 'claim'> {
  const claim = ctx.provisioning.userClaim(ctx.connection, n.body, n.userName);
  if (!claim && n.active) {
    throw ScimError.badRequest(
      'invalidValue',
      'The user has no usable primary email (in emails, or an email-shaped userName): the workspace links and provisions accounts by email.',
    );
  }
  return claim ? { claim } : {};
}

function fields(
  n: NormalizedUser,
): Pick<UserRecord, 'userName' | 'externalId' | 'active' | 'emails' | 'body'> {
  return { userName: n.userName, externalId: n.externalId, active: n.active, emails: n.emails, body: n.body };
}

/**
 * Writes the new desired state, unless it equals the stored one: IdPs re-send whole users on every
 * sync (Okta's PUT after each profile push), and an unchanged write would only churn versions.
 * A deactivation drops the user's group memberships in the same atomic write (the workspace rule
 * "deactivation strips groups; reactivation does not restore them").
 */
async function write(
  ctx: EndpointContext,
  before: UserRecord,
  normalized: NormalizedUser,
): Promise<{ user: UserRecord; changed: boolean }> {
  const next = fields(normalized);
  if (
    next.userName === before.userName &&
    next.externalId === before.externalId &&
    next.active === before.active &&
    isDeepStrictEqual(next.body, before.body)
  ) {
    return { user: before, changed: false };
  }
  const { claim: _previous, ...rest } = before;
  const after: UserRecord = {
    ...rest,
    ...next,
    ...claimOf(ctx, normalized),
    meta: { ...before.meta, lastModified: ctx.now().toISOString(), version: before.meta.version + 1 },
    // A new version: its attempts start again (the retry pass's backoff is per version).
    apply: { ...before.apply, status: 'pending', attempts: 0 },
  };
  await ctx.store.replaceUser(before, after, { dropMemberships: before.active && !after.active });
  return { user: after, changed: true };
}

async function replaceUser(ctx: EndpointContext, id: string): Promise<ScimResponse> {
  // Validated before anything is read; normalised again against the stored `active` below.
  normalizeUserBody(ctx.request.body ?? null);
  await ctx.provisioning.assertWritable(ctx.connection);
  const result = await retryOnConflict(ctx.request, async () => {
    const before = await mustGet(ctx, id);
    checkIfMatch(ctx.request, before.meta.version);
    const normalized = normalizeUserBody(ctx.request.body ?? null, { active: before.active });
    return write(ctx, before, normalized);
  });
  return single(ctx, result.user, 200);
}

async function patchUser(ctx: EndpointContext, id: string): Promise<ScimResponse> {
  const ops = parsePatchRequest(ctx.request.body ?? null);
  if (ops.length > LIMITS.maxOperations) {
    throw ScimError.badRequest('tooMany', `A PATCH may carry at most ${LIMITS.maxOperations} operations.`);
  }
  await ctx.provisioning.assertWritable(ctx.connection);
  const result = await retryOnConflict(ctx.request, async () => {
    const before = await mustGet(ctx, id);
    checkIfMatch(ctx.request, before.meta.version);
    // The id is given to the PATCH engine so that clients sending it back unchanged (Okta) pass.
    const patched = applyPatch('User', { ...before.body, id: before.id }, ops);
    return write(ctx, before, normalizeUserBody(patched, { active: before.active }));
  });
  return single(ctx, result.user, 200);
}

async function deleteUser(ctx: EndpointContext, id: string): Promise<ScimResponse> {
  await ctx.provisioning.assertWritable(ctx.connection);
  // A concurrent write (or DELETE) moves the version: re-read and retry, so that N parallel
  // DELETEs give one 204 and 404s, and a DELETE racing a PATCH answers as the order dictates.
  await retryOnConflict(ctx.request, async () => {
    const user = await mustGet(ctx, id);
    checkIfMatch(ctx.request, user.meta.version);
    await ctx.store.deleteUser(user);
  });
  return { status: 204 };
}
