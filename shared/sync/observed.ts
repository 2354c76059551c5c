/**
 * What the workspace holds, as the full read found it. Compact on purpose: the sync must hold a
 * workspace of 100,000 members and 500,000 grants, so members keep only the connector's small
 * record, grants are Sets of member ids per group (each id the same string as the member's own),
 * and the lookups by email and name are Maps to ids.
 */
import type { GroupEntitlement } from '../workspace/entitlement';
import type { WorkspaceMember } from '../workspace/member';

export interface ObservedWorkspace {
  members: Map<string, WorkspaceMember>;
  /** Lower-cased email → member id. */
  memberByEmail: Map<string, string>;
  /** Every group but `Everyone`. */
  groups: Map<string, GroupEntitlement>;
  /** Lower-cased name → group id. */
  groupByName: Map<string, string>;
  everyone?: GroupEntitlement;
  /** Group id → member ids holding it (`Everyone` is implicit and never listed). */
  grants: Map<string, Set<string>>;
}

export function emptyObserved(): ObservedWorkspace {
  return {
    members: new Map(),
    memberByEmail: new Map(),
    groups: new Map(),
    groupByName: new Map(),
    grants: new Map(),
  };
}

export function grantCount(observed: ObservedWorkspace): number {
  let count = 0;
  for (const holders of observed.grants.values()) count += holders.size;
  return count;
}
