/**
 * /Groups and /Groups/{id} (RFC 7644 §3). Members are items of their own: a PATCH reads and writes
 * only the members it names, and a GET reads members only when it returns them.
 */
import { isDeepStrictEqual } from 'node:util';
import { ScimError } from '../scim/error';
import { etagOf } from '../scim/etag';
import { normalizeGroupBody } from '../scim/group-body';
import type { ScimResponse } from '../scim/http';
import type { JsonObject } from '../scim/json';
import { parseListRequest } from '../scim/list-request';
import type { ListRequest } from '../scim/list-request';
import { listResponse } from '../scim/list-response';
import { splitGroupPatch } from '../scim/group-patch';
import { applyPatch } from '../scim/patch';
import type { MemberOp } from '../scim/group-patch';
import { parsePatchRequest } from '../scim/patch-op';
import { project, requestsAttribute } from '../scim/projection';
import { toGroupResource } from './resource';
import type { GroupRecord } from '../store/record';
import type { EndpointContext } from './context';
import { LIMITS } from './context';
import { allMembers, needsAllMembers, readNamedMemberChanges, resolveMemberChanges } from './member-changes';
import type { MemberChanges } from './member-changes';
import { assertMembersFit, assertRenderedFits } from './member-budget';
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
export function groupsEndpoint(ctx: EndpointContext): Promise<ScimResponse> {
  return runAudited({ actor: 'idp', ref: ctx.request.requestId }, () => groupsRequest(ctx));
}

async function groupsRequest(ctx: EndpointContext): Promise<ScimResponse> {
  const { method, id } = ctx.request;
  if (id === undefined) {
    if (method === 'GET') return listGroups(ctx);
    if (method === 'POST') return createGroup(ctx);
    throw methodNotAllowed(method, '/Groups', ['GET', 'POST']);
  }
  if (id === SEARCH_ID) {
    if (method === 'POST') return listGroups(ctx, searchRequestQuery(ctx.request.body));
    throw methodNotAllowed(method, '/Groups/.search', ['POST']);
  }
  switch (method) {
    case 'GET':
      return getGroup(ctx, id);
    case 'PUT':
      return writeGroup(ctx, id, 'PUT');
    case 'PATCH':
      return writeGroup(ctx, id, 'PATCH');
    case 'DELETE':
      return deleteGroup(ctx, id);
    default:
      throw methodNotAllowed(method, '/Groups/{id}', ['GET', 'PUT', 'PATCH', 'DELETE']);
  }
}

function listParams(ctx: EndpointContext): ListRequest {
  return parseListRequest(ctx.request.query, LIMITS.maxResults);
}

async function render(ctx: EndpointContext, group: GroupRecord, list: ListRequest): Promise<JsonObject> {
  const members = requestsAttribute('Group', list, 'members') ? await allMembers(ctx, group.id) : undefined;
  return project('Group', toGroupResource(group, ctx.request.baseUrl, members), list);
}

async function single(ctx: EndpointContext, group: GroupRecord, status: number): Promise<ScimResponse> {
  const headers: Record<string, string> = { ETag: etagOf(group.meta.version) };
  if (status === 201) headers.Location = `${ctx.request.baseUrl}/Groups/${group.id}`;
  return { status, headers, body: await render(ctx, group, listParams(ctx)) };
}

async function mustGet(ctx: EndpointContext, id: string): Promise<GroupRecord> {
  if (!isResourceId(id)) throw ScimError.notFound(`Group not found.`);
  const group = await ctx.store.getGroup(ctx.connection.id, id);
  if (!group) throw ScimError.notFound(`Group ${id} not found.`);
  return group;
}

async function getGroup(ctx: EndpointContext, id: string): Promise<ScimResponse> {
  const group = await mustGet(ctx, id);
  if (notModified(ctx.request, group.meta.version)) {
    return { status: 304, headers: { ETag: etagOf(group.meta.version) } };
  }
  const list = listParams(ctx);
  if (requestsAttribute('Group', list, 'members')) assertMembersFit([group]);
  const response = await single(ctx, group, 200);
  if (response.body !== undefined) assertRenderedFits(response.body);
  return response;
}

/** GET /Groups, or POST /Groups/.search with the same parameters in its body. */
async function listGroups(
  ctx: EndpointContext,
  query: Record<string, string | undefined> = ctx.request.query,
): Promise<ScimResponse> {
  const list = parseListRequest(query, LIMITS.maxResults);
  const { store, connection, request } = ctx;
  const collection: Collection<GroupRecord> = {
    resourceType: 'Group',
    async lookup({ attribute, value }) {
      switch (attribute) {
        case 'id':
          if (!isResourceId(value)) return [];
          return present(await store.getGroup(connection.id, value));
        case 'displayName':
          return present(await store.findGroupByDisplayName(connection.id, value));
        case 'externalId':
          return present(await store.findGroupByExternalId(connection.id, value));
        default:
          return [];
      }
    },
    page: (startIndex, count) => store.listGroups(connection.id, startIndex, count),
    count: () => store.countGroups(connection.id),
    view: (group) => toGroupResource(group, request.baseUrl),
  };
  const { records, totalResults } = await queryCollection(collection, list);
  if (requestsAttribute('Group', list, 'members')) assertMembersFit(records);
  const resources = await Promise.all(records.map((group) => render(ctx, group, list)));
  assertRenderedFits(resources);
  return { status: 200, body: listResponse(resources, totalResults, list.startIndex) };
}

function present<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}

async function createGroup(ctx: EndpointContext): Promise<ScimResponse> {
  const normalized = normalizeGroupBody(ctx.request.body ?? null);
  ctx.provisioning.assertGroupAllowed(ctx.connection, normalized.displayName);
  await ctx.provisioning.assertWritable(ctx.connection);
  const now = ctx.now().toISOString();
  const id = ctx.newId();
  const changes = await resolveMemberChanges(ctx, id, false, [{ kind: 'add', members: normalized.members }]);
  const fingerprint = requestFingerprint(ctx.connection.id, {
    body: normalized.body,
    members: normalized.members.map((m) => m.value),
  });
  const group: GroupRecord = {
    connectionId: ctx.connection.id,
    id,
    displayName: normalized.displayName,
    externalId: normalized.externalId,
    body: normalized.body,
    memberCount: changes.delta.add.length,
    meta: { created: now, lastModified: now, version: 1 },
    apply: { status: 'pending', attempts: 0 },
    claim: ctx.provisioning.groupClaim(ctx.connection, normalized.displayName),
    createdFrom: fingerprint,
  };
  try {
    await ctx.store.createGroup(group, changes.delta.add);
  } catch (error) {
    if (!isUniquenessConflict(error)) throw error;
    // The retry of a create that did commit (create-replay.ts): answered as the first would be.
    const existing = await ctx.store.findGroupByDisplayName(ctx.connection.id, normalized.displayName);
    if (!existing || !isReplayOf(existing, fingerprint, ctx.now())) throw error;
    return single(ctx, existing, 201);
  }
  return single(ctx, group, 201);
}

/** PUT replaces attributes and the whole member list; PATCH applies its operations in order. */
async function writeGroup(ctx: EndpointContext, id: string, method: 'PUT' | 'PATCH'): Promise<ScimResponse> {
  const body = ctx.request.body ?? null;
  let attributes: (group: GroupRecord) => JsonObject;
  let memberOps: MemberOp[];
  let touchesAttributes = true;
  if (method === 'PUT') {
    const normalized = normalizeGroupBody(body);
    attributes = () => normalized.body;
    memberOps = [{ kind: 'replace', members: normalized.members }];
  } else {
    const ops = parsePatchRequest(body);
    if (ops.length > LIMITS.maxOperations) {
      throw ScimError.badRequest('tooMany', `A PATCH may carry at most ${LIMITS.maxOperations} operations.`);
    }
    const split = splitGroupPatch(ops);
    attributes = (group) =>
      split.attributeOps.length === 0
        ? group.body
        : normalizeGroupBody(applyPatch('Group', { ...group.body, id: group.id }, split.attributeOps)).body;
    memberOps = split.memberOps;
    touchesAttributes = split.attributeOps.length > 0;
  }
  await ctx.provisioning.assertWritable(ctx.connection);
  // Operations that name their members (what IdPs send) cost one read for the group, the users and
  // their memberships; a PATCH of members only, with no If-Match, commits without a version
  // condition (updateGroupMembers), so concurrent member PATCHes of one group do not retry.
  const named = !needsAllMembers(memberOps);
  const membersOnly =
    named && method === 'PATCH' && !touchesAttributes && ctx.request.headers['if-match'] === undefined;

  const outcome = await retryOnConflict(ctx.request, async () => {
    let before: GroupRecord;
    let resolve: () => Promise<MemberChanges> | MemberChanges;
    if (named) {
      if (!isResourceId(id)) throw ScimError.notFound(`Group not found.`);
      const read = await readNamedMemberChanges(ctx, id, memberOps);
      if (!read.group) throw ScimError.notFound(`Group ${id} not found.`);
      before = read.group;
      resolve = read.changes;
    } else {
      before = await mustGet(ctx, id);
      resolve = () => resolveMemberChanges(ctx, id, true, memberOps);
    }
    checkIfMatch(ctx.request, before.meta.version);
    const nextBody = attributes(before);
    const displayName = typeof nextBody.displayName === 'string' ? nextBody.displayName : before.displayName;
    const externalId = typeof nextBody.externalId === 'string' ? nextBody.externalId : undefined;
    ctx.provisioning.assertGroupAllowed(ctx.connection, displayName, before);
    const changes = await resolve();
    const unchanged =
      changes.added.length === 0 && changes.removed.length === 0 && isDeepStrictEqual(nextBody, before.body);
    if (unchanged) return { before, group: before, changes, changed: false };
    const group: GroupRecord = {
      ...before,
      displayName,
      externalId,
      body: nextBody,
      memberCount: before.memberCount + changes.delta.add.length - changes.delta.remove.length,
      claim: ctx.provisioning.groupClaim(ctx.connection, displayName),
      meta: { ...before.meta, lastModified: ctx.now().toISOString(), version: before.meta.version + 1 },
      // A new version: its attempts start again (the retry pass's backoff is per version).
      apply: { ...before.apply, status: 'pending', attempts: 0 },
    };
    // Members only: the stored version may have moved past `before` through another member PATCH
    // meanwhile, so the ETag answered (before + 1) can be older than the stored one. That is safe:
    // versions only grow, so an If-Match with it fails (412) rather than match another state.
    if (membersOnly) await ctx.store.updateGroupMembers(before, group, changes.delta);
    else await ctx.store.updateGroup(before, group, changes.delta);
    return { before, group, changes, changed: true };
  });
  // Okta and Entra expect 204 to a group PATCH; a client that asks for attributes gets the group.
  const wantsBody =
    method === 'PUT' ||
    ctx.request.query.attributes !== undefined ||
    ctx.request.query.excludedAttributes !== undefined;
  if (!wantsBody) return { status: 204, headers: { ETag: etagOf(outcome.group.meta.version) } };
  return single(ctx, outcome.group, 200);
}

async function deleteGroup(ctx: EndpointContext, id: string): Promise<ScimResponse> {
  await ctx.provisioning.assertWritable(ctx.connection);
  // As for users: a version conflict is retried on a fresh read, never a 500.
  await retryOnConflict(ctx.request, async () => {
    const group = await mustGet(ctx, id);
    checkIfMatch(ctx.request, group.meta.version);
    await ctx.store.deleteGroup(group);
  });
  return { status: 204 };
}
