/**
 * How a user is stored: one item holding the record, placed in the connection's creation-ordered
 * listing (gsi1), with its guards and email index items beside it.
 */
import { auditStamp } from '../audit/audit-context';
import type { ChangeOp } from './atomic-change';
import type { Item } from './batch';
import { claimChange } from './claims';
import type { Db } from './client';
import { guardSwap } from './guards';
import { keys } from './keys';
import type { UserRecord } from './record';

export function userItem(user: UserRecord): Item {
  return {
    ...keys.user(user.connectionId, user.id),
    gsi1pk: keys.listing(user.connectionId, 'User'),
    gsi1sk: keys.listingSort(user.meta.created, user.id),
    kind: 'User',
    connectionId: user.connectionId,
    id: user.id,
    userName: user.userName,
    ...(user.externalId === undefined ? {} : { externalId: user.externalId }),
    active: user.active,
    emails: user.emails,
    body: user.body,
    meta: user.meta,
    apply: user.apply,
    ...(user.claim === undefined ? {} : { claim: user.claim }),
    ...(user.createdFrom === undefined ? {} : { createdFrom: user.createdFrom }),
    ...(user.groupRev === undefined ? {} : { groupRev: user.groupRev }),
    // Who wrote it (shared/audit/): the stream record of this write carries it to the audit trail.
    audit: auditStamp(),
  };
}

export function userFromItem(item: Item): UserRecord {
  const user = item as unknown as UserRecord;
  return {
    connectionId: user.connectionId,
    id: user.id,
    userName: user.userName,
    ...(user.externalId === undefined ? {} : { externalId: user.externalId }),
    active: user.active,
    emails: user.emails,
    body: user.body,
    meta: user.meta,
    apply: user.apply,
    ...(user.claim === undefined ? {} : { claim: user.claim }),
    ...(user.createdFrom === undefined ? {} : { createdFrom: user.createdFrom }),
    ...(user.groupRev === undefined ? {} : { groupRev: user.groupRev }),
  };
}

const normalEmails = (user: UserRecord | undefined) =>
  new Set((user?.emails ?? []).map((e) => e.toLowerCase()));

/** Guard and email index writes of a user going from `before` to `after` (either absent for create/delete). */
export function userIndexChange(
  db: Db,
  before: UserRecord | undefined,
  after: UserRecord | undefined,
): ChangeOp[] {
  const subject = (after ?? before) as UserRecord;
  const { connectionId, id } = subject;
  const ops = [
    ...guardSwap(db, connectionId, 'userName', id, before?.userName, after?.userName),
    ...guardSwap(db, connectionId, 'userExternalId', id, before?.externalId, after?.externalId),
    ...claimChange(db, { connectionId, resourceId: id }, before?.claim, after?.claim),
  ];
  const was = normalEmails(before);
  const now = normalEmails(after);
  const put = (email: string) => ({
    item: { Put: { TableName: db.table, Item: { ...keys.email(connectionId, email, id), userId: id } } },
  });
  const remove = (email: string) => ({
    item: { Delete: { TableName: db.table, Key: keys.email(connectionId, email, id) } },
  });
  for (const email of was)
    if (!now.has(email)) ops.push({ forward: [remove(email)], undo: [put(email)], delta: 0 });
  for (const email of now)
    if (!was.has(email)) ops.push({ forward: [put(email)], undo: [remove(email)], delta: 0 });
  return ops;
}
