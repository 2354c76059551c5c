/**
 * A connection after a complete push (every user and group linked and applied) beside its built-in
 * workspace, with about 1% drift made on the workspace side, written straight into the table:
 *
 * - 0.5% of members renamed, 0.2% admins demoted, 0.1% lost their IdP mark;
 * - 0.5% of grants removed and as many extra grants added in managed groups;
 * - 1% of groups renamed;
 * - unmanaged accounts (0.2% of users) that no link claims, which the sync must leave alone.
 *
 * Every user holds `grants / users` groups; each group holds `grants / groups` consecutive users.
 * Selection is by index, so a run is repeatable and its expected plan is known (see `expected`).
 */
import { writeStream } from '../seed/batch-writer';
import type { SeedItem } from '../seed/batch-writer';
import type { Db } from '../../shared/store/client';
import { counterItems, groupItems, userItems } from '../seed/link-state-seed';
import type { SeedUser } from '../seed/link-state-seed';
import { grantItems, memberItems, workspaceGroupItems } from '../seed/workspace-seed';

export interface SyncWorldSize {
  users: number;
  groups: number;
  grants: number;
}

const isAdmin = (i: number) => i % 50 === 0;
const renamed = (i: number) => i % 200 === 1;
const demoted = (i: number) => i % 500 === 0;
const lostMark = (i: number) => i % 1000 === 3;
const grantRemoved = (g: number, j: number) => (g + j) % 200 === 7;
const groupRenamed = (g: number) => g % 100 === 5;

function user(i: number): SeedUser {
  return {
    id: `u-${i}`,
    userName: `sync${i}@bench.example`,
    email: `sync${i}@bench.example`,
    givenName: 'Sync',
    familyName: `User ${i}`,
    admin: isAdmin(i),
    memberId: `m-${i}`,
  };
}

function layout(size: SyncWorldSize) {
  // At tiny scales a group could otherwise wrap round the users and hold someone twice.
  const perGroup = Math.max(1, Math.min(Math.floor(size.grants / size.groups), Math.floor(size.users / 2)));
  const stride = Math.max(1, Math.floor(size.users / size.groups));
  const extraPerGroup = Math.ceil(perGroup / 200);
  const member = (g: number, j: number) => (g * stride + j) % size.users;
  return { perGroup, extraPerGroup, member };
}

/** The changes the sync should plan for this world, by kind. */
export function expected(size: SyncWorldSize): Record<string, number> {
  const { perGroup, extraPerGroup } = layout(size);
  let updateMember = 0;
  let markMemberManaged = 0;
  for (let i = 0; i < size.users; i++) {
    if (renamed(i) || (isAdmin(i) && demoted(i))) updateMember++;
    if (lostMark(i)) markMemberManaged++;
  }
  let grant = 0;
  let renameGroup = 0;
  for (let g = 0; g < size.groups; g++) {
    if (groupRenamed(g)) renameGroup++;
    for (let j = 0; j < perGroup; j++) if (grantRemoved(g, j)) grant++;
  }
  return { updateMember, markMemberManaged, renameGroup, grant, revoke: size.groups * extraPerGroup };
}

export async function seedSyncWorld(
  db: Db,
  ids: { connectionId: string; workspaceId: string },
  size: SyncWorldSize,
): Promise<number> {
  const { connectionId, workspaceId } = ids;
  const { perGroup, extraPerGroup, member } = layout(size);
  const unmanaged = Math.ceil(size.users / 500);
  function* items(): Generator<SeedItem> {
    for (let i = 0; i < size.users; i++) {
      const u = user(i);
      yield* userItems(connectionId, u, i);
      yield* memberItems(workspaceId, {
        id: u.memberId as string,
        email: u.email,
        name: renamed(i) ? `Renamed On Workspace ${i}` : `${u.givenName} ${u.familyName}`,
        admin: u.admin && !demoted(i),
        state: 'active',
        managedByScim: !lostMark(i),
        ...(lostMark(i) ? {} : { owner: connectionId }),
      });
    }
    for (let k = 0; k < unmanaged; k++) {
      yield* memberItems(workspaceId, {
        id: `m-unmanaged-${k}`,
        email: `unmanaged${k}@bench.example`,
        name: `Unmanaged ${k}`,
        admin: false,
        state: 'active',
        managedByScim: false,
      });
    }
    yield* counterItems(connectionId, 'User', size.users);
    for (let g = 0; g < size.groups; g++) {
      const members = Array.from({ length: perGroup }, (_, j) => `u-${member(g, j)}`);
      const name = `Sync Group ${g}`;
      yield* groupItems(
        connectionId,
        { id: `g-${g}`, displayName: name, workspaceGroupId: `wg-${g}`, memberUserIds: members },
        g,
      );
      yield* workspaceGroupItems(workspaceId, {
        id: `wg-${g}`,
        name: groupRenamed(g) ? `${name} (edited on the workspace)` : name,
        managed: true,
        owner: connectionId,
      });
      for (let j = 0; j < perGroup; j++) {
        if (!grantRemoved(g, j)) yield* grantItems(workspaceId, `wg-${g}`, `m-${member(g, j)}`);
      }
      // Members just past the group's own range are not in it on the IdP side.
      for (let x = 0; x < extraPerGroup; x++)
        yield* grantItems(workspaceId, `wg-${g}`, `m-${member(g, perGroup + x)}`);
    }
    yield* counterItems(connectionId, 'Group', size.groups);
  }
  return writeStream(db, items(), 32);
}
