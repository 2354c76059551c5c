/**
 * The read phase of a sharded full sync: both sides read page by page, as readObserved and
 * readDesired read them, but each record is spilled to its shard (shard.ts, spill.ts) instead of
 * kept. What stays in memory while reading is a page, the writer's bounded buffers, the groups
 * (few, and every shard needs them), and two maps of id → shard: member ids while the grants and
 * users are routed, user ids while the memberships are. `loadShard` reads one shard back as the
 * compact models planning takes.
 *
 * Any failure on either side fails the read (SyncReadError) before anything is planned.
 */
import type { AccessIncident } from '../store/access-incidents';
import type { Db } from '../store/client';
import type { LinkStore } from '../store/link-store';
import type { GroupEntitlement } from '../workspace/entitlement';
import type { WorkspaceMember } from '../workspace/member';
import type { WorkspaceConnector } from '../workspace/port';
import type { DesiredGroupEntry, DesiredState, DesiredUser } from './desired';
import type { ObservedWorkspace } from './observed';
import { desiredGroupOf, desiredUserOf } from './read-desired';
import { assertReadable, eachPage, readGroups } from './read-observed';
import type { ShardWorld } from './sharded-plan';
import { GROUP_SHARD, shardOfEmail, userShardOf } from './shard';
import { readSpill, SpillWriter } from './spill';
import type { ProgressListener } from './sync-progress';
import { SyncReadError } from './sync-read-error';
import type { ReadCounts, SyncRun } from './sync-run';

const PAGE = 500;
const MEMBER_PAGE = 1000;

/** The groups of both sides, which every shard sees whole. */
export interface GlobalGroups {
  groups: Map<string, GroupEntitlement>;
  /** Lower-cased name → group id. */
  groupByName: Map<string, string>;
  everyone?: GroupEntitlement;
  /** The IdP's groups, without their members (each shard has its own). */
  desired: DesiredGroupEntry[];
}

export interface SpilledReads {
  groups: GlobalGroups;
  read: ReadCounts;
  /** Chunks spilled per `shard#stream`. */
  spilled: Record<string, number>;
}

/**
 * An open incident the run listed, spilled to the shard of the member it is about (group incidents:
 * GROUP_SHARD), so that whichever invocation plans that shard settles it. `active`: whether the
 * user it names is desired active, noted while reading (that user may sit in another shard).
 */
export interface ShardIncident {
  incident: AccessIncident;
  active?: boolean;
}

type GroupRecordOut = { o: GroupEntitlement } | { e: GroupEntitlement } | { d: DesiredGroupEntry };

export interface SpillReadDeps {
  db: Db;
  store: LinkStore;
  connector: WorkspaceConnector;
  connectionId: string;
  onProgress: ProgressListener;
}

export async function spillReads(
  deps: SpillReadDeps,
  run: SyncRun,
  shards: number,
  incidents: readonly AccessIncident[],
): Promise<SpilledReads> {
  const { connector, onProgress } = deps;
  assertReadable(connector);
  const writer = new SpillWriter(deps.db, run);
  const groups: GlobalGroups = { groups: new Map(), groupByName: new Map(), desired: [] };
  const read: ReadCounts = { members: 0, groups: 0, grants: 0, users: 0, idpGroups: 0 };

  const memberShard = new Map<string, number>();
  await eachPage(
    'members',
    (page) => connector.readMembers(page),
    async (members) => {
      for (const member of members) {
        const shard = shardOfEmail(member.email, shards);
        memberShard.set(member.id, shard);
        await writer.add(shard, 'MEMBERS', member);
      }
      read.members += members.length;
      onProgress({ phase: 'read', step: 'members', done: read.members });
    },
  );
  await readGroups(connector, groups, onProgress);
  await eachPage(
    'grants',
    (page) => connector.readGrants(page),
    async (grants) => {
      for (const grant of grants) {
        if (groups.everyone && grant.groupId === groups.everyone.id) continue;
        await writer.add(memberShard.get(grant.memberId) ?? GROUP_SHARD, 'GRANTS', [
          grant.groupId,
          grant.memberId,
        ]);
        read.grants++;
      }
      onProgress({ phase: 'read', step: 'grants', done: read.grants });
    },
  );
  read.groups = groups.groups.size;

  const byShard = new Map<number, AccessIncident[]>();
  for (const incident of incidents) {
    const shard =
      incident.kind === 'group' ? GROUP_SHARD : (memberShard.get(incident.memberId) ?? GROUP_SHARD);
    const list = byShard.get(shard) ?? [];
    list.push(incident);
    byShard.set(shard, list);
  }
  const incidentUsers = new Set(
    incidents.flatMap((incident) =>
      incident.kind === 'member' && incident.userId !== undefined ? [incident.userId] : [],
    ),
  );
  const userActive = new Map<string, boolean>();

  try {
    const userShard = new Map<string, number>();
    for (let start = 1; ; start += PAGE) {
      const page = await deps.store.listUsers(deps.connectionId, start, PAGE);
      for (const record of page.items) {
        const user = desiredUserOf(record);
        const shard = userShardOf(user.member, (memberId) => memberShard.get(memberId), shards);
        userShard.set(record.id, shard);
        if (incidentUsers.has(record.id)) userActive.set(record.id, user.member.active);
        await writer.add(shard, 'USERS', user);
      }
      read.users += page.items.length;
      onProgress({ phase: 'read', step: 'users', done: read.users, total: page.totalResults });
      if (page.items.length < PAGE || start + PAGE > page.totalResults) break;
    }
    memberShard.clear();
    for (let start = 1; ; start += PAGE) {
      const page = await deps.store.listGroups(deps.connectionId, start, PAGE);
      for (const group of page.items) {
        let cursor: string | undefined;
        do {
          const members = await deps.store.listMembers(deps.connectionId, group.id, {
            limit: MEMBER_PAGE,
            cursor,
          });
          for (const { userId } of members.members)
            await writer.add(userShard.get(userId) ?? GROUP_SHARD, 'MEMBERSHIPS', [group.id, userId]);
          cursor = members.cursor;
        } while (cursor !== undefined);
        groups.desired.push(desiredGroupOf(group, []));
      }
      read.idpGroups += page.items.length;
      onProgress({ phase: 'read', step: 'IdP groups', done: read.idpGroups, total: page.totalResults });
      if (page.items.length < PAGE || start + PAGE > page.totalResults) break;
    }
  } catch (cause) {
    throw new SyncReadError('link state', { cause });
  }

  for (const [shard, list] of byShard) {
    for (const incident of list) {
      const active =
        incident.kind === 'member' && incident.userId !== undefined
          ? userActive.get(incident.userId)
          : undefined;
      const record: ShardIncident = active === undefined ? { incident } : { incident, active };
      await writer.add(shard, 'INCIDENTS', record);
    }
  }
  for (const group of groups.groups.values()) await writer.add(GROUP_SHARD, 'GROUPS', { o: group });
  if (groups.everyone) await writer.add(GROUP_SHARD, 'GROUPS', { e: groups.everyone });
  for (const group of groups.desired) await writer.add(GROUP_SHARD, 'GROUPS', { d: group });
  await writer.flush();
  return { groups, read, spilled: writer.chunks };
}

/** The groups of a run whose reads were spilled in an earlier invocation. */
export async function loadGroups(
  db: Db,
  run: SyncRun,
  spilled: Record<string, number>,
): Promise<GlobalGroups> {
  const groups: GlobalGroups = { groups: new Map(), groupByName: new Map(), desired: [] };
  const chunks = spilled[`${GROUP_SHARD}#GROUPS`] ?? 0;
  for await (const records of readSpill<GroupRecordOut>(db, run, GROUP_SHARD, 'GROUPS', chunks)) {
    for (const record of records) {
      if ('o' in record) {
        groups.groups.set(record.o.id, record.o);
        groups.groupByName.set(record.o.name.toLowerCase(), record.o.id);
      } else if ('e' in record) groups.everyone = record.e;
      else groups.desired.push(record.d);
    }
  }
  return groups;
}

/** One shard's members, grants, users and memberships, as the compact models planning takes. */
export async function loadShard(
  db: Db,
  run: SyncRun,
  spilled: Record<string, number>,
  shard: number,
  groups: GlobalGroups,
): Promise<ShardWorld> {
  const chunks = (stream: string) => spilled[`${shard}#${stream}`] ?? 0;
  const observed: ObservedWorkspace = {
    members: new Map(),
    memberByEmail: new Map(),
    groups: groups.groups,
    groupByName: groups.groupByName,
    ...(groups.everyone ? { everyone: groups.everyone } : {}),
    grants: new Map(),
  };
  const owners = new Map<string, string>();
  const owner = (id: string) => owners.get(id) ?? (owners.set(id, id), id);
  for await (const members of readSpill<WorkspaceMember>(db, run, shard, 'MEMBERS', chunks('MEMBERS'))) {
    for (const read of members) {
      const member = read.owner === undefined ? read : { ...read, owner: owner(read.owner) };
      observed.members.set(member.id, member);
      observed.memberByEmail.set(member.email.toLowerCase(), member.id);
    }
  }
  for await (const grants of readSpill<[string, string]>(db, run, shard, 'GRANTS', chunks('GRANTS'))) {
    for (const [groupId, memberId] of grants) {
      const id = groups.groups.get(groupId)?.id ?? groupId;
      let holders = observed.grants.get(id);
      if (!holders) observed.grants.set(id, (holders = new Set()));
      holders.add(observed.members.get(memberId)?.id ?? memberId);
    }
  }
  const desired: DesiredState = { users: new Map(), groups: new Map() };
  for await (const users of readSpill<DesiredUser>(db, run, shard, 'USERS', chunks('USERS'))) {
    for (const user of users) desired.users.set(user.member.userId, user);
  }
  for (const group of groups.desired) desired.groups.set(group.groupId, { ...group, memberUserIds: [] });
  for await (const memberships of readSpill<[string, string]>(
    db,
    run,
    shard,
    'MEMBERSHIPS',
    chunks('MEMBERSHIPS'),
  )) {
    for (const [groupId, userId] of memberships)
      desired.groups.get(groupId)?.memberUserIds.push(desired.users.get(userId)?.member.userId ?? userId);
  }
  return { observed, desired };
}
