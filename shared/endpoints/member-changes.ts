/**
 * Turns the member operations of a Group PATCH or PUT into the real changes to store, reading only
 * what the operations touch: k named members cost O(k) reads whatever the group's size. Only a
 * `replace` of all members, a `remove` of all members, or a remove by a filter other than
 * `value eq` needs the full current list (their meaning depends on it).
 *
 * Written by hand because no SCIM library separates member operations from the rest of a PATCH;
 * they all materialise the members array, which costs O(group size) per request.
 */
import { ScimError } from '../scim/error';
import { matchesFilter } from '../scim/filter-match';
import type { MemberOp } from '../scim/group-patch';
import type { MemberDelta } from '../store/link-store';
import type { GroupRecord, MemberRecord, UserRecord } from '../store/record';
import { isResourceId } from '../scim/resource-id';
import type { EndpointContext } from './context';

export interface MemberChanges {
  delta: MemberDelta;
  added: string[];
  removed: string[];
  /** The users added or removed, as read for this change (a removed user may be gone). */
  users: ReadonlyMap<string, UserRecord>;
}

const PAGE = 1000;

export async function allMembers(ctx: EndpointContext, groupId: string): Promise<MemberRecord[]> {
  const members: MemberRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.store.listMembers(ctx.connection.id, groupId, { limit: PAGE, cursor });
    members.push(...page.members);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return members;
}

export async function resolveMemberChanges(
  ctx: EndpointContext,
  groupId: string,
  /** False while the group is being created: it has no members yet. */
  exists: boolean,
  ops: MemberOp[],
): Promise<MemberChanges> {
  // What the operations want, per user id: a member (with its display) or not a member.
  const wanted = new Map<string, { display?: string } | null>();
  // Set once an operation's meaning depends on every current member (replace, remove all).
  let current: Map<string, MemberRecord> | undefined;
  const loadCurrent = async (): Promise<Map<string, MemberRecord>> => {
    if (!current) {
      const members = exists ? await allMembers(ctx, groupId) : [];
      current = new Map(members.map((m) => [m.userId, m]));
    }
    return current;
  };

  for (const op of ops) {
    switch (op.kind) {
      case 'add':
        for (const m of op.members) wanted.set(m.value, { display: m.display });
        break;
      case 'remove':
        for (const id of op.ids) wanted.set(id, null);
        break;
      case 'removeAll':
      case 'replace': {
        for (const id of (await loadCurrent()).keys()) wanted.set(id, null);
        for (const id of wanted.keys()) wanted.set(id, null);
        if (op.kind === 'replace') for (const m of op.members) wanted.set(m.value, { display: m.display });
        break;
      }
      case 'removeWhere': {
        const currentMembers = await loadCurrent();
        const candidates = new Set([...currentMembers.keys(), ...wanted.keys()]);
        for (const id of candidates) {
          const state = wanted.has(id) ? wanted.get(id) : currentMembers.get(id);
          if (state === null || state === undefined) continue;
          const view = { value: id, display: state.display ?? null, type: 'User' };
          if (
            matchesFilter(
              'Group',
              { members: [view] },
              { kind: 'valuePath', path: { name: 'members' }, filter: op.filter },
            )
          ) {
            wanted.set(id, null);
          }
        }
        break;
      }
    }
  }

  const ids = [...wanted.keys()];
  if (!current) {
    // k named members: whether they are members and the users themselves, read side by side.
    const [among, read] = await Promise.all([
      exists
        ? ctx.store.membersAmong(ctx.connection.id, groupId, ids.filter(isResourceId))
        : Promise.resolve(new Set<string>()),
      usersById(ctx, ids),
    ]);
    return changesOf(groupId, wanted, among, read);
  }
  // Replace or remove-all: the ids span the whole group, so read users for the difference only.
  const members = current;
  const isMember = new Set(ids.filter((id) => members.has(id)));
  const touched = ids.filter((id) => (wanted.get(id) === null) === isMember.has(id));
  return changesOf(groupId, wanted, isMember, await usersById(ctx, touched));
}

/** Whether the operations' meaning depends on every current member (replace, remove all, remove by a filter). */
export function needsAllMembers(ops: MemberOp[]): boolean {
  return ops.some((op) => op.kind !== 'add' && op.kind !== 'remove');
}

/**
 * For operations that name their members (adds and removes by id, as IdPs send them): the group,
 * the named users and which of them are members in one read (`readGroupChange`), and the changes,
 * resolved once the caller has checked the group (a missing group is a 404 before any member's
 * 400).
 */
export async function readNamedMemberChanges(
  ctx: EndpointContext,
  groupId: string,
  ops: MemberOp[],
): Promise<{ group: GroupRecord | undefined; changes: () => MemberChanges }> {
  const wanted = new Map<string, { display?: string } | null>();
  for (const op of ops) {
    if (op.kind === 'add') for (const m of op.members) wanted.set(m.value, { display: m.display });
    else if (op.kind === 'remove') for (const id of op.ids) wanted.set(id, null);
    else throw new Error(`readNamedMemberChanges takes adds and removes only, got ${op.kind}`);
  }
  const read = await ctx.store.readGroupChange(
    ctx.connection.id,
    groupId,
    [...wanted.keys()].filter(isResourceId),
  );
  const users = new Map(read.users.map((u) => [u.id, u]));
  return { group: read.group, changes: () => changesOf(groupId, wanted, read.members, users) };
}

function changesOf(
  groupId: string,
  wanted: Map<string, { display?: string } | null>,
  isMember: ReadonlySet<string>,
  users: ReadonlyMap<string, UserRecord>,
): MemberChanges {
  const ids = [...wanted.keys()];
  const addIds = ids.filter((id) => wanted.get(id) !== null && !isMember.has(id));
  const removed = ids.filter((id) => wanted.get(id) === null && isMember.has(id));
  const add = provisionedMembers(groupId, addIds, wanted, users);
  return { delta: { add, remove: removed }, added: addIds, removed, users };
}

/** A member value that is no resource id is an unknown user (answered as such), never a key. */
async function usersById(ctx: EndpointContext, ids: string[]): Promise<Map<string, UserRecord>> {
  const valid = ids.filter(isResourceId);
  if (valid.length === 0) return new Map();
  return new Map((await ctx.store.getUsers(ctx.connection.id, valid)).map((u) => [u.id, u]));
}

/** Only users the IdP has provisioned, and that are active, can become members. */
function provisionedMembers(
  groupId: string,
  ids: string[],
  wanted: Map<string, { display?: string } | null>,
  users: ReadonlyMap<string, UserRecord>,
): MemberRecord[] {
  const missing = ids.filter((id) => !users.has(id));
  if (missing.length > 0) {
    throw ScimError.badRequest(
      'invalidValue',
      `Members must be users provisioned by this connection; unknown user id(s): ${missing.slice(0, 10).join(', ')}.`,
    );
  }
  const inactive = ids.filter((id) => users.get(id)?.active === false);
  if (inactive.length > 0) {
    throw ScimError.badRequest(
      'invalidValue',
      `Deactivated users cannot be group members; reactivate them first: ${inactive.slice(0, 10).join(', ')}.`,
    );
  }
  return ids.map((userId) => ({
    groupId,
    userId,
    display: wanted.get(userId)?.display ?? users.get(userId)?.userName,
  }));
}
