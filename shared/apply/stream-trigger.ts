/**
 * What a change on the table's stream asks the apply function to do. The stream is the outbox:
 * every SCIM write commits its desired state in one transaction, and the items it wrote come back
 * here as records. A record is only a trigger: the apply reads the current desired state before it
 * acts (resource-apply.ts), so records that arrive late, twice or out of order across items can
 * never apply an older desired state over a newer one.
 *
 * - a user or group item whose version moved (created, replaced, patched): apply that resource;
 *   the old image, when it was applied, is what the workspace holds, so only the difference is sent;
 * - a user or group item removed: delete its workspace object (the old image has the link);
 * - a member item inserted or removed: reconcile that one membership.
 *
 * Everything else (guards, counters, markers, the apply state's own updates, which do not move the
 * version, and the built-in workspace's items) is no trigger.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { groupFromItem } from '../store/group-items';
import type { GroupRecord, UserRecord } from '../store/record';
import { userFromItem } from '../store/user-items';

/** A DynamoDB stream record as Lambda and the Streams API deliver it (the fields used here). */
export interface ChangeRecord {
  eventName?: string;
  /** Unique per record (the audit trail's entry id). */
  eventID?: string;
  dynamodb?: {
    /** Epoch seconds (Lambda) or a Date (the Streams client). */
    ApproximateCreationDateTime?: number | Date;
    Keys?: Record<string, AttributeValue>;
    NewImage?: Record<string, AttributeValue>;
    OldImage?: Record<string, AttributeValue>;
    SequenceNumber?: string;
  };
}

export type Trigger =
  | { kind: 'user'; connectionId: string; userId: string; before?: UserRecord }
  | { kind: 'group'; connectionId: string; groupId: string; before?: GroupRecord }
  | { kind: 'member'; connectionId: string; groupId: string; userId: string }
  | { kind: 'userDeleted'; connectionId: string; user: UserRecord }
  | { kind: 'groupDeleted'; connectionId: string; group: GroupRecord };

/** Connection ids are `[A-Za-z0-9_-]` (connection-registry.ts) and resource ids UUIDs: no `#` in either. */
export const USER = /^C#([A-Za-z0-9_-]+)#USER#([^#]+)$/;
export const GROUP = /^C#([A-Za-z0-9_-]+)#GROUP#([^#]+)$/;
const MEMBERS = /^C#([A-Za-z0-9_-]+)#GROUP#([^#]+)#MEMBERS$/;
const ITEM_SORT_KEY = '#';

export function triggerOf(record: ChangeRecord): Trigger | undefined {
  const keys = record.dynamodb?.Keys;
  const pk = keys?.pk?.S;
  const sk = keys?.sk?.S;
  if (pk === undefined || sk === undefined) return undefined;
  const event = record.eventName;
  const members = match(MEMBERS, pk);
  if (members) {
    if (event !== 'INSERT' && event !== 'REMOVE') return undefined;
    return { kind: 'member', connectionId: members.connectionId, groupId: members.id, userId: sk };
  }
  if (sk !== ITEM_SORT_KEY) return undefined;
  const user = match(USER, pk);
  if (user) {
    const { connectionId, id: userId } = user;
    if (event === 'REMOVE') {
      const old = image(record.dynamodb?.OldImage);
      return old ? { kind: 'userDeleted', connectionId, user: userFromItem(old) } : undefined;
    }
    if (!versionMoved(record)) return undefined;
    const old = image(record.dynamodb?.OldImage);
    return { kind: 'user', connectionId, userId, ...(old ? { before: userFromItem(old) } : {}) };
  }
  const group = match(GROUP, pk);
  if (group) {
    const { connectionId, id: groupId } = group;
    if (event === 'REMOVE') {
      const old = image(record.dynamodb?.OldImage);
      return old ? { kind: 'groupDeleted', connectionId, group: groupFromItem(old) } : undefined;
    }
    if (!versionMoved(record)) return undefined;
    const old = image(record.dynamodb?.OldImage);
    return { kind: 'group', connectionId, groupId, ...(old ? { before: groupFromItem(old) } : {}) };
  }
  return undefined;
}

export function match(pattern: RegExp, pk: string): { connectionId: string; id: string } | undefined {
  const found = pattern.exec(pk);
  const connectionId = found?.[1];
  const id = found?.[2];
  return connectionId === undefined || id === undefined ? undefined : { connectionId, id };
}

/** An INSERT, or a MODIFY that moved `meta.version` (the apply state's own updates do not). */
function versionMoved(record: ChangeRecord): boolean {
  if (record.eventName === 'INSERT') return true;
  if (record.eventName !== 'MODIFY') return false;
  const version = (img?: Record<string, AttributeValue>) => img?.meta?.M?.version?.N;
  return version(record.dynamodb?.NewImage) !== version(record.dynamodb?.OldImage);
}

export function image(
  value: Record<string, AttributeValue> | undefined,
): Record<string, unknown> | undefined {
  return value === undefined ? undefined : unmarshall(value);
}
