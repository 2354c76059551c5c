/**
 * The stream-fed apply's view of the rollout settings: whether a user or group is held back
 * (released, or outside the pilot scope), and the recording of a group the apply linked by name.
 * For a linked resource the settings are read once per connection every few seconds, not per
 * change: a scope edit reaches a warm apply within `ttlMs`. For an unlinked one (the apply would
 * link it by email or name) they are read fresh, so that an object just handed back to the
 * workspace with `roster unlink` is never linked again by a cached answer.
 */
import type { Db } from '../store/client';
import { db as defaultDb } from '../store/client';
import type { GroupRecord, UserRecord } from '../store/record';
import type { HoldReason } from './rollout-scope';
import { groupHold, userHold } from './rollout-scope';
import type { RolloutSettings } from './rollout-settings';
import { takeoverHeld } from './rollout-settings';
import { readRollout, recordTakeovers } from './rollout-store';

/**
 * How long a warm apply trusts the settings it read for a linked resource: 5 s, or
 * `ROSTER_ROLLOUT_CACHE_MS` (a whole number of milliseconds; the tests use a short one).
 */
export const ROLLOUT_CACHE_MS = cacheMs(process.env.ROSTER_ROLLOUT_CACHE_MS);

function cacheMs(value: string | undefined): number {
  if (value === undefined || value === '') return 5_000;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0)
    throw new Error(`ROSTER_ROLLOUT_CACHE_MS must be a whole number of ms, not ${value}`);
  return ms;
}

export interface RolloutGate {
  userHeld(connectionId: string, user: UserRecord): Promise<HoldReason | undefined>;
  groupHeld(connectionId: string, group: GroupRecord): Promise<HoldReason | undefined>;
  linkedByName(connectionId: string, groupId: string, workspaceGroupId: string, now: Date): Promise<void>;
  /** Whether revokes on this linked group wait for an operator's approval of its takeover. */
  takeoverHeld(connectionId: string, groupId: string, workspaceGroupId: string): Promise<boolean>;
  /** The settings' version (as last read): a hold names it, so that a later edit releases it. */
  version(connectionId: string): Promise<number>;
}

export function tableRolloutGate(
  database: () => Db = defaultDb,
  ttlMs = ROLLOUT_CACHE_MS,
  clock: () => number = Date.now,
): RolloutGate {
  const cache = new Map<string, { settings: RolloutSettings; until: number }>();
  const settings = async (connectionId: string, fresh: boolean) => {
    const hit = cache.get(connectionId);
    if (!fresh && hit && hit.until > clock()) return hit.settings;
    const read = await readRollout(database(), connectionId);
    cache.set(connectionId, { settings: read, until: clock() + ttlMs });
    return read;
  };
  return {
    async userHeld(connectionId, user) {
      return userHold(await settings(connectionId, user.apply.workspaceId === undefined), {
        id: user.id,
        name: user.userName,
        ...(user.externalId !== undefined ? { externalId: user.externalId } : {}),
      });
    },
    async groupHeld(connectionId, group) {
      return groupHold(await settings(connectionId, group.apply.workspaceId === undefined), {
        id: group.id,
        name: group.displayName,
        ...(group.externalId !== undefined ? { externalId: group.externalId } : {}),
      });
    },
    async linkedByName(connectionId, groupId, workspaceGroupId, now) {
      cache.delete(connectionId);
      await recordTakeovers(database(), connectionId, [{ groupId, workspaceGroupId }], now);
    },
    async takeoverHeld(connectionId, groupId, workspaceGroupId) {
      // Fresh: an approval must reach the next revoke, and a takeover recorded just now must hold it.
      return takeoverHeld(await settings(connectionId, true), groupId, workspaceGroupId);
    },
    async version(connectionId) {
      return (await settings(connectionId, false)).version;
    },
  };
}

/** The ids of the users among `users` that the settings hold back (outside the pilot, released). */
export async function heldUserIds(
  gate: RolloutGate,
  connectionId: string,
  users: readonly UserRecord[],
): Promise<Set<string>> {
  const held = new Set<string>();
  for (const user of users) if ((await gate.userHeld(connectionId, user)) !== undefined) held.add(user.id);
  return held;
}
