/**
 * How a group is stored: one item holding the record and its memberCount (never its members, which
 * are items of their own, see membership.ts), in the connection's creation-ordered listing (gsi1),
 * with its guards beside it.
 */
import { groupAuditStamp } from '../audit/audit-context';
import type { ChangeOp } from './atomic-change';
import type { Item } from './batch';
import { claimChange } from './claims';
import type { Db } from './client';
import { guardSwap } from './guards';
import { keys } from './keys';
import type { GroupRecord } from './record';

/**
 * `members` are the member ids this write adds and removes, stamped on the item with the writer
 * (shared/audit/) so that the group's stream record says who changed which memberships.
 */
export function groupItem(
  group: GroupRecord,
  memberCount = group.memberCount,
  members: { added?: readonly string[]; removed?: readonly string[] } = {},
): Item {
  return {
    ...keys.group(group.connectionId, group.id),
    gsi1pk: keys.listing(group.connectionId, 'Group'),
    gsi1sk: keys.listingSort(group.meta.created, group.id),
    kind: 'Group',
    connectionId: group.connectionId,
    id: group.id,
    displayName: group.displayName,
    ...(group.externalId === undefined ? {} : { externalId: group.externalId }),
    body: group.body,
    memberCount,
    meta: group.meta,
    apply: group.apply,
    ...(group.claim === undefined ? {} : { claim: group.claim }),
    ...(group.createdFrom === undefined ? {} : { createdFrom: group.createdFrom }),
    audit: groupAuditStamp(members.added, members.removed),
  };
}

export function groupFromItem(item: Item): GroupRecord {
  const group = item as unknown as GroupRecord;
  return {
    connectionId: group.connectionId,
    id: group.id,
    displayName: group.displayName,
    ...(group.externalId === undefined ? {} : { externalId: group.externalId }),
    body: group.body,
    memberCount: group.memberCount,
    meta: group.meta,
    apply: group.apply,
    ...(group.claim === undefined ? {} : { claim: group.claim }),
    ...(group.createdFrom === undefined ? {} : { createdFrom: group.createdFrom }),
  };
}

export function groupIndexChange(
  db: Db,
  before: GroupRecord | undefined,
  after: GroupRecord | undefined,
): ChangeOp[] {
  const { connectionId, id } = (after ?? before) as GroupRecord;
  return [
    ...guardSwap(db, connectionId, 'groupDisplayName', id, before?.displayName, after?.displayName),
    ...guardSwap(db, connectionId, 'groupExternalId', id, before?.externalId, after?.externalId),
    ...claimChange(db, { connectionId, resourceId: id }, before?.claim, after?.claim),
  ];
}
