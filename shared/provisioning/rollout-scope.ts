/**
 * Whether an IdP resource is applied to the workspace under the connection's rollout settings
 * (rollout-settings.ts), and if not, why: it was handed back to the workspace (`released`), or it
 * lies outside the pilot scope (`outsidePilot`). Pure: the full sync and the stream-fed apply ask
 * the same question of the same settings.
 */
import { canonicalIdentifier } from '../scim/identifier';
import type { RolloutSettings } from './rollout-settings';

export type HoldReason = 'released' | 'outsidePilot' | 'takeover';

export const HOLD_TEXT: Readonly<Record<HoldReason, string>> = {
  released: 'held: released to the workspace (roster unlink)',
  outsidePilot: 'held: outside pilot scope',
  takeover: 'held: group takeover awaits approval',
};

/** The names a resource can be listed by in a pilot scope. */
export interface ScopedResource {
  id: string;
  /** userName for a user, displayName for a group. */
  name: string;
  externalId?: string;
}

export function userHold(settings: RolloutSettings, user: ScopedResource): HoldReason | undefined {
  if (settings.released.users.includes(user.id)) return 'released';
  if (settings.pilot && !listed(settings.pilot.users, user)) return 'outsidePilot';
  return undefined;
}

export function groupHold(settings: RolloutSettings, group: ScopedResource): HoldReason | undefined {
  if (settings.released.groups.includes(group.id)) return 'released';
  if (settings.pilot && !listed(settings.pilot.groups, group)) return 'outsidePilot';
  return undefined;
}

function listed(entries: readonly string[], resource: ScopedResource): boolean {
  const names = new Set(
    [resource.id, resource.name, resource.externalId]
      .filter((value): value is string => value !== undefined && value !== '')
      .map(canonicalIdentifier),
  );
  return entries.some((entry) => names.has(canonicalIdentifier(entry)));
}
