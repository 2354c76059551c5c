/**
 * Link-state items written the way DynamoLinkStore writes them (its own item builders and keys),
 * so that seeded users and groups are indistinguishable from ones created over SCIM: the resource
 * item in the listing index, its guards, its email index item, members as one item each, and the
 * counters spread over their shards. Users are seeded as linked and applied, as after a push.
 */
import { SHARDS } from '../../shared/store/counters';
import { groupItem } from '../../shared/store/group-items';
import { guardKey } from '../../shared/store/guards';
import { keys } from '../../shared/store/keys';
import type { ResourceKind } from '../../shared/store/link-store';
import { memberItem } from '../../shared/store/membership';
import type { GroupRecord, UserRecord } from '../../shared/store/record';
import { userItem } from '../../shared/store/user-items';
import { normalizeGroupBody } from '../../shared/scim/group-body';
import { normalizeUserBody } from '../../shared/scim/user-body';
import type { SeedItem } from './batch-writer';

export interface SeedUser {
  id: string;
  userName: string;
  email: string;
  givenName: string;
  familyName: string;
  admin: boolean;
  /** The linked workspace member; absent for a user never applied. */
  memberId?: string;
}

export interface SeedGroup {
  id: string;
  displayName: string;
  workspaceGroupId?: string;
  memberUserIds: readonly string[];
}

const CREATED = '2026-01-01T00:00:00.000Z';

export function scimUserBody(user: Omit<SeedUser, 'id' | 'memberId'>) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: user.userName,
    name: { givenName: user.givenName, familyName: user.familyName },
    emails: [{ value: user.email, primary: true, type: 'work' }],
    ...(user.admin ? { roles: [{ value: 'admin' }] } : {}),
    active: true,
  };
}

export function userRecord(connectionId: string, user: SeedUser, index: number): UserRecord {
  const normalized = normalizeUserBody(scimUserBody(user));
  // Distinct creation instants keep the listing in seeding order, as creates over SCIM would.
  const created = new Date(Date.parse(CREATED) + index).toISOString();
  return {
    connectionId,
    id: user.id,
    userName: normalized.userName,
    active: normalized.active,
    emails: normalized.emails,
    body: normalized.body,
    meta: { created, lastModified: created, version: 1 },
    apply:
      user.memberId === undefined
        ? { status: 'pending', attempts: 0 }
        : { status: 'applied', appliedVersion: 1, attempts: 0, workspaceId: user.memberId },
  };
}

export function* userItems(connectionId: string, user: SeedUser, index: number): Generator<SeedItem> {
  const record = userRecord(connectionId, user, index);
  if (record.apply.status !== 'applied') throw new Error('the seed writes applied users only (no markers)');
  yield userItem(record);
  yield { ...guardKey(connectionId, 'userName', record.userName), id: record.id };
  for (const email of record.emails)
    yield { ...keys.email(connectionId, email, record.id), userId: record.id };
}

export function groupRecord(connectionId: string, group: SeedGroup, index: number): GroupRecord {
  const normalized = normalizeGroupBody({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: group.displayName,
  });
  const created = new Date(Date.parse(CREATED) + index).toISOString();
  return {
    connectionId,
    id: group.id,
    displayName: normalized.displayName,
    body: normalized.body,
    memberCount: group.memberUserIds.length,
    meta: { created, lastModified: created, version: 1 },
    apply:
      group.workspaceGroupId === undefined
        ? { status: 'pending', attempts: 0 }
        : { status: 'applied', appliedVersion: 1, attempts: 0, workspaceId: group.workspaceGroupId },
  };
}

/** The group item, its guard and one item per member; `display` is left out (it is optional). */
export function* groupItems(connectionId: string, group: SeedGroup, index: number): Generator<SeedItem> {
  const record = groupRecord(connectionId, group, index);
  yield groupItem(record);
  yield { ...guardKey(connectionId, 'groupDisplayName', record.displayName), id: record.id };
  for (const userId of group.memberUserIds) yield memberItem(connectionId, { groupId: group.id, userId });
}

/** Counter shards holding `total`, spread as random-shard creates would spread it. */
export function counterItems(connectionId: string, kind: ResourceKind, total: number): SeedItem[] {
  return Array.from({ length: SHARDS }, (_, shard) => ({
    ...keys.counterShard(connectionId, kind, shard),
    n: Math.floor(total / SHARDS) + (shard < total % SHARDS ? 1 : 0),
  }));
}
