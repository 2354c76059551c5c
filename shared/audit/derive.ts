/**
 * The audit entry of one stream record, derived from its old and new image alone (pure: no reads).
 *
 * - a user or group item whose version moved: created or updated desired state; a group's stamp
 *   also lists the members that write added and removed (`Roster Group Membership Changed` when
 *   nothing else changed);
 * - a user or group item whose version stayed but whose stamp moved: an apply outcome recorded
 *   (the stream apply, the retry pass, the sync, `roster unlink`): `Roster Change Applied` or
 *   `Roster Change Not Applied`;
 * - a deletion's tombstone (`GONE#`): the user or group deleted, with what it was;
 * - an access incident opened or resolved; the rollout settings written;
 * - an audit note (audit-note.ts): one entry per event it carries (`auditEntriesOf`).
 *
 * Values are taken only from an allow-list of attributes per item kind, so a token hash, a secret
 * or anything added to an item later is never recorded; strings are kept as data, never parsed.
 * Everything else (guards, counters, markers, member items, the audit items themselves, the
 * built-in workspace) is no entry.
 */
import { isDeepStrictEqual } from 'node:util';
import { ENTERPRISE_USER_SCHEMA } from '../scim/schemas/attribute';
import { GROUP, image, match, USER } from '../apply/stream-trigger';
import type { ChangeRecord } from '../apply/stream-trigger';
import type { AuditActor, GroupAuditStamp } from './audit-context';
import { AUDIT_ACTORS } from './audit-context';
import { AUDIT_ACTIONS, AUDIT_OBJECT_KINDS, AUDIT_TYPES } from './audit-entry';
import type { AuditAction, AuditChange, AuditEntry, AuditObjectKind, AuditType } from './audit-entry';
import { NOTE_TYPES } from './audit-note';

type Item = Record<string, unknown>;

/** What is recorded of each kind: dotted paths into the stored item. */
export const ALLOW_LIST = {
  User: [
    'userName',
    'externalId',
    'active',
    'emails',
    'body.name',
    'body.displayName',
    'body.nickName',
    'body.title',
    'body.userType',
    'body.preferredLanguage',
    'body.locale',
    'body.timezone',
    `body.${ENTERPRISE_USER_SCHEMA}`,
  ],
  Group: ['displayName', 'externalId'],
  apply: ['apply.status', 'apply.appliedVersion', 'apply.workspaceId', 'apply.lastError'],
  Access: ['kind', 'change', 'status', 'error', 'memberId', 'workspaceGroupId', 'userId', 'groupId'],
  Rollout: ['settings.takeover', 'settings.pilot', 'settings.released'],
} as const;

const CONNECTION = '([A-Za-z0-9_-]+)';
const GONE = new RegExp(`^C#${CONNECTION}#GONE#(User|Group)#([^#]+)$`);
const ACCESS = new RegExp(`^C#${CONNECTION}#ACCESS$`);
const ROLLOUT = new RegExp(`^C#${CONNECTION}#ROLLOUT$`);
const NOTE = new RegExp(`^C#${CONNECTION}#NOTE#([^#]+)$`);
const ITEM_SORT_KEY = '#';

/** Every entry of one stream record: a note's events, or the one entry of any other item. */
export function auditEntriesOf(record: ChangeRecord): AuditEntry[] {
  const pk = record.dynamodb?.Keys?.pk?.S;
  const note = pk === undefined ? null : NOTE.exec(pk);
  if (note?.[1] !== undefined && note[2] !== undefined) return noteEntries(record, note[1], note[2]);
  const one = auditEntryOf(record);
  return one ? [one] : [];
}

export function auditEntryOf(record: ChangeRecord): AuditEntry | undefined {
  const pk = record.dynamodb?.Keys?.pk?.S;
  const sk = record.dynamodb?.Keys?.sk?.S;
  if (pk === undefined || sk === undefined) return undefined;
  // Images are read only for the items that have entries (others may hold what this code never reads).
  const images = (): Images => ({
    record,
    before: image(record.dynamodb?.OldImage),
    after: image(record.dynamodb?.NewImage),
  });
  const access = ACCESS.exec(pk);
  if (access?.[1] !== undefined) return accessEntry(images(), access[1], sk);
  if (sk !== ITEM_SORT_KEY) return undefined;
  const user = match(USER, pk);
  if (user) return resourceEntry(images(), 'User', user.connectionId, user.id);
  const group = match(GROUP, pk);
  if (group) return resourceEntry(images(), 'Group', group.connectionId, group.id);
  const gone = GONE.exec(pk);
  const rollout = ROLLOUT.exec(pk);
  if (!gone && !rollout) return undefined;
  const base = images();
  const { before, after } = base;
  if (gone?.[1] !== undefined && gone[3] !== undefined && record.eventName === 'INSERT' && after) {
    const kind = gone[2] === 'User' ? 'User' : 'Group';
    const was = asItem(after.was);
    return entry(base, after, {
      connectionId: gone[1],
      type: kind === 'User' ? AUDIT_TYPES.userChanged : AUDIT_TYPES.groupChanged,
      action: 'deleted',
      object: objectOf(kind, gone[3], was),
      changes: changesOf(ALLOW_LIST[kind], was, undefined),
    });
  }
  if (rollout?.[1] !== undefined && after) {
    return entry(base, after, {
      connectionId: rollout[1],
      type: AUDIT_TYPES.rolloutChanged,
      action: before ? 'updated' : 'created',
      object: { kind: 'Rollout', id: rollout[1] },
      changes: changesOf(ALLOW_LIST.Rollout, before, after),
    });
  }
  return undefined;
}

interface Images {
  record: ChangeRecord;
  before: Item | undefined;
  after: Item | undefined;
}

function resourceEntry(
  images: Images,
  kind: 'User' | 'Group',
  connectionId: string,
  id: string,
): AuditEntry | undefined {
  const { record, before, after } = images;
  // A deletion is recorded from its tombstone, which says who deleted it.
  if (!after || (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY')) return undefined;
  const object = objectOf(kind, id, after);
  const versionMoved = before === undefined || versionOf(before) !== versionOf(after);
  if (versionMoved) {
    const changes = changesOf(ALLOW_LIST[kind], before, after);
    const members = kind === 'Group' && stampMoved(before, after) ? membersOf(after.audit) : undefined;
    const unrecorded = kind === 'User' ? unrecordedOf(before, after) : [];
    const onlyMembers = members !== undefined && changes.length === 0 && before !== undefined;
    return entry(images, after, {
      connectionId,
      type:
        kind === 'User'
          ? AUDIT_TYPES.userChanged
          : onlyMembers
            ? AUDIT_TYPES.membershipChanged
            : AUDIT_TYPES.groupChanged,
      action: before ? 'updated' : 'created',
      object,
      changes,
      ...(members ? { members } : {}),
      ...(unrecorded.length > 0 ? { unrecorded } : {}),
    });
  }
  // The version stayed: only an apply outcome moves the stamp (groupRev, chunk markers do not).
  if (!stampMoved(before, after)) return undefined;
  const status = String(asItem(after.apply)?.status ?? 'pending');
  const action: AuditAction = status === 'applied' ? 'applied' : status === 'failed' ? 'failed' : 'pending';
  return entry(images, after, {
    connectionId,
    type: action === 'applied' ? AUDIT_TYPES.applied : AUDIT_TYPES.notApplied,
    action,
    object,
    changes: changesOf(ALLOW_LIST.apply, before, after),
  });
}

function accessEntry(images: Images, connectionId: string, sk: string): AuditEntry | undefined {
  const { record, before, after } = images;
  const object = { kind: 'Access' as const, id: sk };
  if (record.eventName === 'INSERT' && after) {
    return entry(images, after, {
      connectionId,
      type: AUDIT_TYPES.accessNotRemoved,
      action: 'opened',
      object,
      changes: changesOf(ALLOW_LIST.Access, undefined, after),
    });
  }
  // Written again (another failed attempt) is no news; resolved is, by whoever removed the access:
  // the resolver stamps the item just before it deletes it (access-incidents.ts).
  if (record.eventName === 'REMOVE' && before) {
    return entry(images, before, {
      connectionId,
      type: AUDIT_TYPES.accessRemoved,
      action: 'resolved',
      object,
      changes: changesOf(ALLOW_LIST.Access, before, undefined),
    });
  }
  return undefined;
}

/**
 * A note's events as entries. A note is written by Roster's own code, but it is read as data all
 * the same: an event whose type, action or object is not one a note may carry is left out, and of
 * its changes only the attribute name and the values are kept.
 */
function noteEntries(record: ChangeRecord, connectionId: string, noteId: string): AuditEntry[] {
  // A note put again (MODIFY) yields the same entries, with the same ids; an expired one none.
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return [];
  const after = image(record.dynamodb?.NewImage);
  if (!after || !Array.isArray(after.events)) return [];
  const images: Images = { record, before: undefined, after };
  const entries: AuditEntry[] = [];
  after.events.forEach((value: unknown, index: number) => {
    const event = asItem(value);
    const object = asItem(event?.object);
    const type = event?.type as AuditType;
    const action = event?.action as AuditAction;
    const kind = object?.kind as AuditObjectKind;
    if (
      !event ||
      !object ||
      !(NOTE_TYPES as readonly string[]).includes(type) ||
      !AUDIT_ACTIONS.includes(action) ||
      !AUDIT_OBJECT_KINDS.includes(kind) ||
      typeof object.id !== 'string'
    )
      return;
    const changes = (Array.isArray(event.changes) ? event.changes : [])
      .map(asItem)
      .filter((change): change is Item => typeof change?.attribute === 'string')
      .map((change) => ({
        attribute: change.attribute as string,
        ...(change.before !== undefined ? { before: change.before } : {}),
        ...(change.after !== undefined ? { after: change.after } : {}),
      }));
    const related = (Array.isArray(event.related) ? event.related : [])
      .map(asItem)
      .filter(
        (item): item is Item =>
          (item?.kind === 'User' || item?.kind === 'Group') && typeof item.id === 'string',
      )
      .map((item) => ({ kind: item.kind as 'User' | 'Group', id: item.id as string }));
    entries.push({
      ...entry(images, after, {
        connectionId,
        type,
        action,
        object: {
          kind,
          id: object.id,
          ...(typeof object.label === 'string' ? { label: object.label } : {}),
        },
        changes,
        ...(related.length > 0 ? { related } : {}),
      }),
      id: `note:${noteId}:${index}`,
    });
  });
  return entries;
}

type EntryBody = Omit<AuditEntry, 'id' | 'at' | 'actor' | 'ref'> & { type: AuditType };

/** The entry with its id, time and writer: the stamp's, or the record's own time and `system`. */
function entry(images: Images, stamped: Item | undefined, body: EntryBody): AuditEntry {
  const stamp = asItem(stamped?.audit);
  const actor = AUDIT_ACTORS.includes(stamp?.actor as AuditActor) ? (stamp?.actor as AuditActor) : 'system';
  const ref = typeof stamp?.ref === 'string' ? stamp.ref : undefined;
  return {
    id: eventIdOf(images.record),
    at: typeof stamp?.at === 'string' ? stamp.at : recordTime(images.record),
    actor,
    ...(ref !== undefined ? { ref } : {}),
    ...body,
  };
}

export function eventIdOf(record: ChangeRecord): string {
  return record.eventID ?? record.dynamodb?.SequenceNumber ?? 'unknown';
}

function recordTime(record: ChangeRecord): string {
  const at = record.dynamodb?.ApproximateCreationDateTime;
  if (at instanceof Date) return at.toISOString();
  // Lambda delivers epoch seconds; a record without a time is recorded as of now.
  return new Date(typeof at === 'number' ? at * 1000 : Date.now()).toISOString();
}

function objectOf(kind: AuditObjectKind, id: string, item: Item | undefined): AuditEntry['object'] {
  const label = kind === 'User' ? item?.userName : kind === 'Group' ? item?.displayName : undefined;
  return { kind, id, ...(typeof label === 'string' ? { label } : {}) };
}

/** Before and after of each allow-listed attribute that differs. */
export function changesOf(
  paths: readonly string[],
  before: Item | undefined,
  after: Item | undefined,
): AuditChange[] {
  const changes: AuditChange[] = [];
  for (const path of paths) {
    const was = at(before, path);
    const now = at(after, path);
    if (isDeepStrictEqual(was, now)) continue;
    changes.push({
      attribute: path,
      ...(was !== undefined ? { before: was } : {}),
      ...(now !== undefined ? { after: now } : {}),
    });
  }
  return changes;
}

/** Body attributes the item also holds at its top level, where they are recorded (or meaningless). */
const RECORDED_AT_TOP = new Set(['userName', 'externalId', 'active', 'emails', 'schemas']);

/** Names of the user's body attributes that changed but are not recorded (values never are). */
function unrecordedOf(before: Item | undefined, after: Item): string[] {
  const allowed = new Set<string>(ALLOW_LIST.User);
  const was = asItem(before?.body) ?? {};
  const now = asItem(after.body) ?? {};
  return [...new Set([...Object.keys(was), ...Object.keys(now)])]
    .filter(
      (name) =>
        !allowed.has(`body.${name}`) &&
        !RECORDED_AT_TOP.has(name) &&
        !isDeepStrictEqual(was[name], now[name]),
    )
    .sort();
}

function at(item: Item | undefined, path: string): unknown {
  // The enterprise extension's name has dots of its own: it is one step.
  const steps = path.startsWith(`body.${ENTERPRISE_USER_SCHEMA}`)
    ? ['body', ENTERPRISE_USER_SCHEMA]
    : path.split('.');
  let value: unknown = item;
  for (const step of steps) value = asItem(value)?.[step];
  return value;
}

function versionOf(item: Item): unknown {
  return asItem(item.meta)?.version;
}

function stampMoved(before: Item | undefined, after: Item): boolean {
  return after.audit !== undefined && !isDeepStrictEqual(before?.audit, after.audit);
}

function membersOf(stamp: unknown): AuditEntry['members'] | undefined {
  const { added, removed, addedCount, removedCount } = (asItem(stamp) ?? {}) as Partial<GroupAuditStamp>;
  if (!added?.length && !removed?.length) return undefined;
  return {
    added: ids(added),
    removed: ids(removed),
    addedCount: typeof addedCount === 'number' ? addedCount : ids(added).length,
    removedCount: typeof removedCount === 'number' ? removedCount : ids(removed).length,
  };
}

function ids(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function asItem(value: unknown): Item | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Item) : undefined;
}
