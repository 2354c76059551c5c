/**
 * The read phase on the link-state side: every user, every group and every group's members, page
 * by page. A failure fails the read (SyncReadError) like a workspace read does.
 *
 * Held compactly, since the sync holds the whole link state: a user keeps only what planning and
 * recording need (its apply state without the last error and attempt time), and a group's member
 * ids are the users' own id strings rather than a copy per membership (500,000 memberships of
 * 100,000 users would otherwise hold 500,000 strings: about 27 MiB).
 */
import { desiredMember } from '../provisioning/desired-member';
import type { LinkStore } from '../store/link-store';
import type { ApplyState, GroupRecord, UserRecord } from '../store/record';
import type { DesiredGroupEntry, DesiredState, DesiredUser } from './desired';
import type { ProgressListener } from './sync-progress';
import { SyncReadError } from './sync-read-error';

const PAGE = 500;
const MEMBER_PAGE = 1000;

export async function readDesired(
  store: LinkStore,
  connectionId: string,
  onProgress: ProgressListener = () => {},
): Promise<DesiredState> {
  try {
    return await read(store, connectionId, onProgress);
  } catch (cause) {
    throw new SyncReadError('link state', { cause });
  }
}

async function read(
  store: LinkStore,
  connectionId: string,
  onProgress: ProgressListener,
): Promise<DesiredState> {
  const desired: DesiredState = { users: new Map(), groups: new Map() };
  for (let start = 1; ; start += PAGE) {
    const page = await store.listUsers(connectionId, start, PAGE);
    for (const user of page.items) {
      desired.users.set(user.id, desiredUserOf(user));
    }
    onProgress({ phase: 'read', step: 'users', done: desired.users.size, total: page.totalResults });
    if (page.items.length < PAGE || start + PAGE > page.totalResults) break;
  }
  for (let start = 1; ; start += PAGE) {
    const page = await store.listGroups(connectionId, start, PAGE);
    for (const group of page.items) {
      const memberUserIds: string[] = [];
      let cursor: string | undefined;
      do {
        const members = await store.listMembers(connectionId, group.id, { limit: MEMBER_PAGE, cursor });
        for (const member of members.members)
          memberUserIds.push(desired.users.get(member.userId)?.member.userId ?? member.userId);
        cursor = members.cursor;
      } while (cursor !== undefined);
      desired.groups.set(group.id, desiredGroupOf(group, memberUserIds));
    }
    onProgress({ phase: 'read', step: 'IdP groups', done: desired.groups.size, total: page.totalResults });
    if (page.items.length < PAGE || start + PAGE > page.totalResults) break;
  }
  return desired;
}

/** A user as planning holds it. */
export function desiredUserOf(user: UserRecord): DesiredUser {
  return {
    member: desiredMember(user),
    userName: user.userName,
    ...(user.externalId !== undefined ? { externalId: user.externalId } : {}),
    version: user.meta.version,
    apply: compactApply(user.apply),
  };
}

/** A group as planning holds it, with its members as user ids. */
export function desiredGroupOf(group: GroupRecord, memberUserIds: string[]): DesiredGroupEntry {
  return {
    groupId: group.id,
    name: group.displayName,
    ...(group.apply.workspaceId !== undefined ? { workspaceGroupId: group.apply.workspaceId } : {}),
    memberUserIds,
    ...(group.externalId !== undefined ? { externalId: group.externalId } : {}),
    version: group.meta.version,
    apply: compactApply(group.apply),
  };
}

/** What planning and recording read of an apply state (link-recorder.ts, run-sync.ts `ref`). */
function compactApply(apply: ApplyState): ApplyState {
  return {
    status: apply.status,
    attempts: apply.attempts,
    ...(apply.appliedVersion !== undefined ? { appliedVersion: apply.appliedVersion } : {}),
    ...(apply.workspaceId !== undefined ? { workspaceId: apply.workspaceId } : {}),
  };
}
