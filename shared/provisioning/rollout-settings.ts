/**
 * A connection's rollout settings: the decisions an operator makes while turning provisioning on,
 * which the full sync and the stream-fed apply both honour.
 *
 * - `takeover`: what happens to the existing members of a workspace group that a pushed group
 *   links by name. `hold` (the default) keeps the members the IdP does not list until an operator
 *   approves that group's takeover; `mirror` makes the group hold exactly the IdP's members.
 * - `takeovers`: the groups linked by name, with the workspace group they took and, once an
 *   operator approved it, when.
 * - `pilot`: when set, only these users and groups are applied; everything else is stored and
 *   held back until the scope is widened.
 * - `released`: IdP resources handed back to the workspace (unlinked by the operator): their link is gone
 *   and no IdP write touches the workspace for them again.
 *
 * Operator-scale lists (a pilot of a few people, a handful of released objects): they are kept in
 * one item, read once per sync and at most once per few seconds by the apply.
 */
export type TakeoverPolicy = 'hold' | 'mirror';

export const TAKEOVER_POLICIES: readonly TakeoverPolicy[] = ['hold', 'mirror'];

export interface Takeover {
  workspaceGroupId: string;
  /** ISO-8601 instant the group was linked by name. */
  linkedAt: string;
  /** ISO-8601 instant an operator approved revoking the members the IdP does not list. */
  approvedAt?: string;
}

/** Users by id, userName or externalId; groups by id, displayName or externalId (case-insensitive). */
export interface PilotScope {
  users: string[];
  groups: string[];
}

export interface RolloutSettings {
  takeover: TakeoverPolicy;
  /** IdP group id → its takeover. */
  takeovers: Record<string, Takeover>;
  pilot?: PilotScope;
  released: { users: string[]; groups: string[] };
  /** Incremented by every write; 0 when nothing was ever written. */
  version: number;
}

export function defaultRollout(): RolloutSettings {
  return { takeover: 'hold', takeovers: {}, released: { users: [], groups: [] }, version: 0 };
}

/** Whether revokes on this linked group wait for an operator: linked by name, not approved, policy hold. */
export function takeoverHeld(settings: RolloutSettings, groupId: string, workspaceGroupId: string): boolean {
  if (settings.takeover !== 'hold') return false;
  const takeover = settings.takeovers[groupId];
  return takeover !== undefined && takeover.workspaceGroupId === workspaceGroupId && !takeover.approvedAt;
}
