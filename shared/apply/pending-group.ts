/**
 * What the retry pass applies of a pending group under the connection's rollout settings, by the
 * same rules as the full sync's plan (shared/sync/plan.ts) and the stream-fed apply
 * (resource-apply.ts). The settings hold back what gives access, never what removes it:
 *
 * - A group handed back to the workspace (`released`) is not touched at all.
 * - A group outside the pilot scope is not created or linked; once linked, it gains no one but
 *   loses the members the IdP does not list (read from the workspace: without that read nothing
 *   is known to revoke, and it is held).
 * - A user outside the pilot scope is granted no group; one that already holds a group the IdP
 *   lists it in keeps it.
 * - A group taken over by name whose takeover awaits approval keeps the members the IdP does not
 *   list: it is granted its IdP members, and nobody is revoked.
 *
 * Pure: the pass reads the group, its members, the settings and the workspace, then applies this.
 */
import type { GroupRecord, UserRecord } from '../store/record';
import type { GroupEntitlement } from '../workspace/entitlement';
import type { DesiredGroup } from '../provisioning/change';
import { desiredGroup } from '../provisioning/desired-group';
import type { GroupDelta } from '../provisioning/plan-group';
import type { HoldReason } from '../provisioning/rollout-scope';

export type ObservedGroup =
  { group: GroupEntitlement; memberIds: ReadonlySet<string> } | undefined | 'unknown';

export type PendingGroupStep =
  | { kind: 'hold'; reason: HoldReason }
  | {
      kind: 'apply';
      desired: DesiredGroup;
      observed: ObservedGroup;
      delta?: GroupDelta;
      /** Applied only in part: once the rest applied, the group stays held for this reason. */
      thenHold?: HoldReason;
    };

export interface PendingGroupInput {
  group: GroupRecord;
  members: readonly UserRecord[];
  /** The group's own hold under the settings, if any. */
  hold: HoldReason | undefined;
  /** Ids of the members the settings hold back (outside the pilot scope, released). */
  heldUsers: ReadonlySet<string>;
  /** Whether the group's takeover by name awaits approval (revokes wait). */
  takeover: boolean;
  observed: ObservedGroup;
}

export function pendingGroupStep(input: PendingGroupInput): PendingGroupStep {
  const { group, members, hold, heldUsers, takeover, observed } = input;
  if (hold === 'released') return { kind: 'hold', reason: hold };
  const read = typeof observed === 'object' ? observed : undefined;
  if (hold !== undefined && (group.apply.workspaceId === undefined || !read || read.group.everyone))
    return { kind: 'hold', reason: hold };

  const desired = desiredGroup(
    group,
    members.filter((user) => !heldUsers.has(user.id)),
  );
  const memberIds = new Set(desired.memberIds);
  let grantHeld = false;
  for (const user of members) {
    const memberId = user.apply.workspaceId;
    if (!heldUsers.has(user.id) || !user.active || memberId === undefined) continue;
    // Held members keep what they hold and are granted nothing.
    if (read?.memberIds.has(memberId)) memberIds.add(memberId);
    else grantHeld = true;
  }

  if (hold !== undefined && read) {
    if (takeover) return { kind: 'hold', reason: hold };
    const removed = [...read.memberIds].filter((memberId) => !memberIds.has(memberId));
    return {
      kind: 'apply',
      desired: { ...desired, memberIds },
      observed: 'unknown',
      // Revokes only: the name is the one it has (no rename), nobody added.
      delta: { added: [], removed, previousName: group.displayName },
      thenHold: hold,
    };
  }
  if (takeover && read) for (const memberId of read.memberIds) memberIds.add(memberId);
  return {
    kind: 'apply',
    desired: { ...desired, memberIds },
    observed,
    ...(grantHeld ? { thenHold: 'outsidePilot' as const } : {}),
  };
}
