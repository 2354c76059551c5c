/**
 * A connection after a complete push to Mode: the Mode test server's state (members, custom
 * groups, the Everyone group holding every member, group memberships) and the link state (every
 * user and group linked and applied), with about 1% drift made on Mode's side:
 *
 * - 0.5% of group memberships removed, and as many extra ones added past each group's range;
 * - 1% of groups renamed;
 * - unmanaged members (0.2% of users) that no link claims, which the sync must leave alone.
 *
 * Names and the managed marks differ too (Mode's listings carry no names, and Mode records no
 * managed mark), but Mode cannot change either, so the sync plans nothing for them. Selection is
 * by index, so a run is repeatable and its expected plan is known (`expectedModePlan`).
 */
import type { Db } from '../../shared/store/client';
import type { ModeState } from '../../test/fixtures/mode/state';
import { writeStream } from '../seed/batch-writer';
import type { SeedItem } from '../seed/batch-writer';
import { counterItems, groupItems, userItems } from '../seed/link-state-seed';
import type { SeedUser } from '../seed/link-state-seed';
import type { SyncWorldSize } from './sync-world';

const isAdmin = (i: number) => i % 50 === 0;
const grantRemoved = (g: number, j: number) => (g + j) % 200 === 7;
const groupRenamed = (g: number) => g % 100 === 5;

const memberToken = (i: number) => `mb-${i}`;
const groupToken = (g: number) => `gr-${g}`;

function layout(size: SyncWorldSize) {
  // At tiny scales a group could otherwise wrap round the users and hold someone twice.
  const perGroup = Math.max(1, Math.min(Math.floor(size.grants / size.groups), Math.floor(size.users / 2)));
  const stride = Math.max(1, Math.floor(size.users / size.groups));
  const extraPerGroup = Math.ceil(perGroup / 200);
  const member = (g: number, j: number) => (g * stride + j) % size.users;
  return { perGroup, extraPerGroup, member };
}

/** The changes the sync should plan for this world, by kind. */
export function expectedModePlan(size: SyncWorldSize): Record<string, number> {
  const { perGroup, extraPerGroup } = layout(size);
  let grant = 0;
  let renameGroup = 0;
  for (let g = 0; g < size.groups; g++) {
    if (groupRenamed(g)) renameGroup++;
    for (let j = 0; j < perGroup; j++) if (grantRemoved(g, j)) grant++;
  }
  return { renameGroup, grant, revoke: size.groups * extraPerGroup };
}

/** Fills the Mode test server's state; answers the number of group memberships it holds. */
export function seedModeState(state: ModeState, size: SyncWorldSize): number {
  const { perGroup, extraPerGroup, member } = layout(size);
  const everyone = state.addGroup('Everyone', { groupType: 'everyone' });
  for (let i = 0; i < size.users; i++) {
    state.addMember({
      token: memberToken(i),
      username: `sync${i}`,
      email: `sync${i}@bench.example`,
      name: `Sync User ${i}`,
      admin: isAdmin(i),
    });
    everyone.memberships.set(`gm-e-${i}`, memberToken(i));
  }
  for (let k = 0; k < Math.ceil(size.users / 500); k++) {
    const unmanaged = state.addMember({ email: `unmanaged${k}@bench.example`, username: `unmanaged${k}` });
    everyone.memberships.set(`gm-eu-${k}`, unmanaged.token);
  }
  let memberships = 0;
  for (let g = 0; g < size.groups; g++) {
    const name = `Sync Group ${g}`;
    const held = new Map<string, string>();
    for (let j = 0; j < perGroup; j++)
      if (!grantRemoved(g, j)) held.set(`gm-${g}-${j}`, memberToken(member(g, j)));
    // Members just past the group's own range are not in it on the IdP side.
    for (let x = 0; x < extraPerGroup; x++) held.set(`gm-${g}-x${x}`, memberToken(member(g, perGroup + x)));
    memberships += held.size;
    state.groups.set(groupToken(g), {
      token: groupToken(g),
      name: groupRenamed(g) ? `${name} (edited on Mode)` : name,
      groupType: 'custom',
      state: 'active',
      managed: false,
      memberships: held,
    });
  }
  return memberships;
}

function user(i: number): SeedUser {
  return {
    id: `u-${i}`,
    userName: `sync${i}@bench.example`,
    email: `sync${i}@bench.example`,
    givenName: 'Sync',
    familyName: `User ${i}`,
    admin: isAdmin(i),
    memberId: memberToken(i),
  };
}

/** Writes the link state: every user and group linked to its Mode member or group, applied. */
export async function seedModeLinks(db: Db, connectionId: string, size: SyncWorldSize): Promise<number> {
  const { perGroup, member } = layout(size);
  function* items(): Generator<SeedItem> {
    for (let i = 0; i < size.users; i++) yield* userItems(connectionId, user(i), i);
    yield* counterItems(connectionId, 'User', size.users);
    for (let g = 0; g < size.groups; g++) {
      const members = Array.from({ length: perGroup }, (_, j) => `u-${member(g, j)}`);
      yield* groupItems(
        connectionId,
        {
          id: `g-${g}`,
          displayName: `Sync Group ${g}`,
          workspaceGroupId: groupToken(g),
          memberUserIds: members,
        },
        g,
      );
    }
    yield* counterItems(connectionId, 'Group', size.groups);
  }
  return writeStream(db, items(), 32);
}
