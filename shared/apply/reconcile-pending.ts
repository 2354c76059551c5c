/**
 * Finishes what the request path left not yet applied: walks the connection's pending resources
 * (users before groups, so that members are linked before they are granted) and applies each one's
 * whole desired state with the same plan-and-apply code as the request path.
 *
 * Users are planned with nothing observed: the port has no single-member read, and asserting the
 * whole desired member is idempotent. Groups, when the adapter can read them, are planned against
 * the workspace's groups and grants (read once per pass, only if a linked group is pending): a
 * removal the request path could not apply leaves no trace in the desired state, so only the
 * observed grants reveal what to revoke.
 *
 * A removal that fails here is recorded as an access incident, and one that applies resolves its
 * incident, as on the request path (track-access.ts).
 *
 * Users go through the stream-fed apply's own `ResourceApply.user`, so that a user linked here is
 * granted the groups it waited for, as it would be from the stream.
 *
 * The rollout settings are honoured as by the stream-fed apply and the sync (pending-group.ts):
 * what they hold back is marked held under the settings' version and not counted as pending; a
 * held resource is taken again as soon as the settings move (a widened scope, an approved
 * takeover), or after an hour. A group this pass links by name is recorded as a takeover.
 *
 * With `due`, only resources whose marker says they may be retried by then are taken (the retry
 * pass's backoff, pending.ts); with `stopAfterUnavailable`, the pass ends after that many
 * consecutive `unavailable` outcomes (the workspace is down: the next pass probes again).
 *
 * Idempotent: a resource applied is no longer pending, so a second pass finds nothing to do.
 */
import { logger } from '../http/logger';
import type { Connection } from '../secrets/connection';
import { ResourceApply } from './resource-apply';
import type { LinkStore, PendingRef } from '../store/link-store';
import type { ApplyState } from '../store/record';
import type { GroupEntitlement } from '../workspace/entitlement';
import { heldUserIds, tableRolloutGate } from '../provisioning/rollout-gate';
import type { RolloutGate } from '../provisioning/rollout-gate';
import { HOLD_TEXT } from '../provisioning/rollout-scope';
import type { HoldReason } from '../provisioning/rollout-scope';
import { pendingGroupStep } from './pending-group';
import type { ObservedGroup } from './pending-group';
import type { WorkspaceConnector } from '../workspace/port';
import { readAll } from '../workspace/port';
import { planEffects } from '../provisioning/access-incident';
import { applyChange } from '../provisioning/apply-change';
import type { ApplyChangeFn } from '../provisioning/apply-plan';
import { applyGroupPlan } from '../provisioning/apply-plan';
import { applyGrantBatch } from '../provisioning/apply-grants';
import type { ApplyBatchFn } from '../provisioning/apply-grants';
import { isApplied, recordOutcome } from '../provisioning/apply-state';
import { awaitingLink } from '../provisioning/desired-group';
import { groupMembers } from '../provisioning/group-members';
import { trackAccess } from '../provisioning/track-access';

export interface ReconcileDeps {
  store: LinkStore;
  connectorFor: (connection: Connection) => WorkspaceConnector;
  now?: () => Date;
  /** The connection's rollout settings (default: the table's, read afresh for each pass). */
  rollout?: RolloutGate;
}

export interface ReconcileOptions {
  /** Stop after this many resources (the rest stay pending for the next pass). */
  maxResources?: number;
  /** Take only resources whose backoff has passed by then. */
  due?: Date;
  /** End the pass after this many `unavailable` outcomes in a row. */
  stopAfterUnavailable?: number;
}

export interface ReconcileCounts {
  applied: number;
  failed: number;
  stillPending: number;
  /** Held back by the rollout settings (not waiting for the workspace: an operator's decision). */
  held: number;
  /** The earliest `since` among the markers listed (ISO time), when any was; held ones aside. */
  oldestSince?: string;
}

/** Markers per Query page (about 100 bytes each). */
const PENDING_PAGE = 1_000;

interface GroupSnapshot {
  groups: Map<string, GroupEntitlement>;
  grants: Map<string, Set<string>>;
}

export async function reconcilePending(
  deps: ReconcileDeps,
  connection: Connection,
  options: ReconcileOptions = {},
): Promise<ReconcileCounts> {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const connector = deps.connectorFor(connection);
  const apply: ApplyChangeFn = (change) => applyChange(connector, change);
  const applyBatch: ApplyBatchFn = (changes) => applyGrantBatch(connector, changes, apply);
  const counts: ReconcileCounts = { applied: 0, failed: 0, stillPending: 0, held: 0 };
  const rollout = deps.rollout ?? tableRolloutGate();

  const due = options.due?.toISOString();
  let version: number | undefined;
  const isDue = async (ref: PendingRef) => {
    if (due === undefined || ref.retryAt === undefined || ref.retryAt <= due) return true;
    if (ref.heldAtVersion === undefined) return false;
    version ??= await rollout.version(connection.id);
    return ref.heldAtVersion !== version;
  };
  const refs = await dueRefs(
    store,
    connection.id,
    options.maxResources ?? Number.POSITIVE_INFINITY,
    isDue,
    counts,
  );
  let unavailableInARow = 0;
  const outage = () =>
    options.stopAfterUnavailable !== undefined && unavailableInARow >= options.stopAfterUnavailable;
  const count = (state: ApplyState) => {
    if (state.status === 'applied') counts.applied++;
    else if (state.status === 'failed') counts.failed++;
    else counts.stillPending++;
    unavailableInARow = state.status === 'pending' && state.attempts > 0 ? unavailableInARow + 1 : 0;
  };
  const resources = new ResourceApply({ store, connectorFor: () => connector, now, rollout });
  const hold = async (kind: 'User' | 'Group', id: string, reason: HoldReason) => {
    await store.holdPending(
      connection.id,
      kind,
      id,
      HOLD_TEXT[reason],
      now(),
      await rollout.version(connection.id),
    );
    counts.held++;
  };

  const users = refs.filter((r) => r.kind === 'User');
  for (const [index, ref] of users.entries()) {
    if (outage()) {
      counts.stillPending += users.length - index;
      break;
    }
    const state = await resources.user(connection, ref.id);
    if (state === 'held') counts.held++;
    else if (state) count(state);
  }

  let snapshot: GroupSnapshot | undefined | null;
  const groups = refs.filter((r) => r.kind === 'Group');
  for (const [index, ref] of groups.entries()) {
    if (outage()) {
      counts.stillPending += groups.length - index;
      break;
    }
    const group = await store.getGroup(connection.id, ref.id);
    if (!group || isApplied(group)) continue;
    const groupHold = await rollout.groupHeld(connection.id, group);
    if (groupHold === 'released') {
      await hold('Group', group.id, groupHold);
      continue;
    }
    const members = await groupMembers(store, connection.id, group.id);
    const workspaceGroupId = group.apply.workspaceId;
    let observed: ObservedGroup = 'unknown';
    if (workspaceGroupId !== undefined) {
      if (snapshot === undefined) snapshot = await readGroups(connector, connection.id);
      if (snapshot) {
        const found = snapshot.groups.get(workspaceGroupId);
        observed = found && { group: found, memberIds: snapshot.grants.get(found.id) ?? new Set() };
      }
    }
    const heldUsers = await heldUserIds(rollout, connection.id, members);
    const step = pendingGroupStep({
      group,
      members,
      hold: groupHold,
      heldUsers,
      takeover:
        workspaceGroupId !== undefined &&
        (await rollout.takeoverHeld(connection.id, group.id, workspaceGroupId)),
      observed,
    });
    if (step.kind === 'hold') {
      await hold('Group', group.id, step.reason);
      continue;
    }
    const startedAt = now();
    const result = await applyGroupPlan(apply, step.desired, step.observed, step.delta, applyBatch);
    const state = await recordOutcome(
      store,
      connection.id,
      'Group',
      group,
      result,
      awaitingLink(members.filter((user) => !heldUsers.has(user.id))),
      now(),
    );
    if (result.linkedByName && state.workspaceId !== undefined)
      await rollout.linkedByName(connection.id, group.id, state.workspaceId, now());
    if (step.thenHold !== undefined && state.status === 'applied')
      await hold('Group', group.id, step.thenHold);
    else count(state);
    await trackAccess(store, connection.id, planEffects(result), startedAt, now());
  }
  return counts;
}

/**
 * Up to `max` markers that are due, read a page at a time. Markers not due (backing off, or held
 * by the rollout settings) are counted and passed over without counting against `max`: a pilot
 * that holds thousands of resources must not hide the few changes that wait for the workspace.
 */
async function dueRefs(
  store: LinkStore,
  connectionId: string,
  max: number,
  isDue: (ref: PendingRef) => Promise<boolean>,
  counts: ReconcileCounts,
): Promise<PendingRef[]> {
  const refs: PendingRef[] = [];
  // A resource may be listed more than once (a marker per unapplied write); apply it once.
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await store.listPending(connectionId, { cursor, limit: PENDING_PAGE });
    for (const ref of page.items) {
      const key = `${ref.kind}#${ref.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (ref.since !== undefined && (counts.oldestSince === undefined || ref.since < counts.oldestSince))
        counts.oldestSince = ref.since;
      const due = await isDue(ref);
      if (due && refs.length < max) refs.push(ref);
      else if (!due && ref.heldAtVersion !== undefined) counts.held++;
      else counts.stillPending++;
    }
    cursor = page.cursor;
  } while (cursor !== undefined && refs.length < max);
  return refs;
}

/** The workspace's groups and grants, or null when the adapter cannot read them or the read fails. */
async function readGroups(
  connector: WorkspaceConnector,
  connectionId: string,
): Promise<GroupSnapshot | null> {
  if (!connector.capabilities.has('readEntitlements') || !connector.capabilities.has('readGrants'))
    return null;
  try {
    const groups = new Map<string, GroupEntitlement>();
    for (const entitlement of await readAll((page) => connector.readEntitlements(page))) {
      if (entitlement.kind === 'group') groups.set(entitlement.id, entitlement);
    }
    const grants = new Map<string, Set<string>>();
    for (const grant of await readAll((page) => connector.readGrants(page))) {
      const members = grants.get(grant.groupId) ?? new Set<string>();
      members.add(grant.memberId);
      grants.set(grant.groupId, members);
    }
    return { groups, grants };
  } catch (error) {
    // Without the read, groups are still applied with nothing observed (grants, no revokes).
    logger.warn('reconcile: could not read the workspace groups; applying without observing them', {
      connectionId,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return null;
  }
}
