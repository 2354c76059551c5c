/**
 * Applies one resource's current desired state to the workspace: what the stream-fed apply function
 * (stream-apply.ts) and `npm start`'s stream poller run for every change the request path commits.
 * The request path never calls the workspace; this is the only place that does it for a SCIM write.
 *
 * Every entry point reads the desired state it applies (strongly consistent) instead of trusting the
 * stream record, so a record that arrives late, twice or after a newer one applies the newest state,
 * and a resource already applied at its current version is skipped: applying twice changes nothing.
 *
 * The rules, in the order they are needed:
 * - A user is diffed against the version the workspace holds (`apply.appliedVersion`) when the
 *   stream's old image is that version; otherwise its whole desired state is asserted (idempotent).
 * - A membership is granted only if, when read, the member item exists and the user is active and
 *   linked. After the grant the same three are read again: if a deactivation, removal or deletion
 *   committed in between, the grant is revoked at once. So a grant racing a deactivation never
 *   outlives it, whichever of the two applies first.
 * - A member whose user is not linked yet is granted by the user's own apply, right after it
 *   records the link; a group not linked yet grants its members in its own apply, right after it
 *   records the link, and then looks again at the members that were waiting. Each side records its
 *   link before reading the other's, so at least one of them sees both linked.
 * - A deactivated user's memberships are not revoked one by one: deactivation removes the member
 *   from every group on the workspace, and a deactivation that fails is an access incident.
 * - A failure never throws: the resource is left pending with the reason (the retry pass and the
 *   full sync apply it again), and a removal that failed is an access incident, raised loudly.
 *   Only the table failing throws, so that the stream delivers the record again.
 */
import { randomUUID } from 'node:crypto';
import { workspaceChangeEvent } from '../provisioning/change-audit';
import { logger } from '../http/logger';
import type { Connection } from '../secrets/connection';
import type { LinkStore } from '../store/link-store';
import type { ApplyState, GroupRecord, UserRecord } from '../store/record';
import type { WorkspaceConnector } from '../workspace/port';
import { accessAlarm } from '../provisioning/access-alarm';
import type { AccessAlarm } from '../provisioning/access-alarm';
import { changeEffects, planEffects } from '../provisioning/access-incident';
import type { AccessEffects } from '../provisioning/access-incident';
import { applyChange } from '../provisioning/apply-change';
import { applyGrantBatch } from '../provisioning/apply-grants';
import type { ApplyBatchFn } from '../provisioning/apply-grants';
import { applyGroupPlan, applyMemberPlan } from '../provisioning/apply-plan';
import type { ApplyChangeFn, PlanResult } from '../provisioning/apply-plan';
import { isApplied, recordOutcome } from '../provisioning/apply-state';
import type { Change } from '../provisioning/change';
import { awaitingLink, desiredGroup } from '../provisioning/desired-group';
import { desiredMember } from '../provisioning/desired-member';
import { heldUserIds, tableRolloutGate } from '../provisioning/rollout-gate';
import type { RolloutGate } from '../provisioning/rollout-gate';
import { HOLD_TEXT } from '../provisioning/rollout-scope';
import type { HoldReason } from '../provisioning/rollout-scope';
import { groupMembers } from '../provisioning/group-members';
import { pendingGroupStep } from './pending-group';
import { recordAccess } from './record-access';

export interface ResourceApplyDeps {
  store: LinkStore;
  connectorFor: (connection: Connection) => WorkspaceConnector;
  now?: () => Date;
  /** How a recorded access incident is made loud (default: its error log line, no metric). */
  alarm?: AccessAlarm;
  /** The connection's rollout settings: what is held back, and takeovers to record (default: the table's). */
  rollout?: RolloutGate;
}

interface Workspace {
  apply: ApplyChangeFn;
  applyBatch: ApplyBatchFn;
}

export class ResourceApply {
  private readonly store: LinkStore;
  private readonly connectorFor: (connection: Connection) => WorkspaceConnector;
  private readonly now: () => Date;
  private readonly alarm: AccessAlarm;
  private readonly rollout: RolloutGate;

  constructor(deps: ResourceApplyDeps) {
    this.rollout = deps.rollout ?? tableRolloutGate();
    this.store = deps.store;
    this.connectorFor = deps.connectorFor;
    this.now = deps.now ?? (() => new Date());
    this.alarm = deps.alarm ?? accessAlarm();
  }

  /**
   * Applies the user's current version. `before` holds the stream's old images of the user (the
   * versions this batch moved it from); the one the workspace holds, if any, is the diff's base.
   * Answers the apply state, `'held'` when the rollout settings hold the user back, or nothing when
   * there was nothing to apply (gone, or applied already).
   */
  async user(
    connection: Connection,
    userId: string,
    before: readonly UserRecord[] = [],
  ): Promise<ApplyState | 'held' | undefined> {
    const user = await this.store.getUser(connection.id, userId);
    if (!user || isApplied(user)) return undefined;
    const hold = heldUnlessRevoking(user, await this.rollout.userHeld(connection.id, user));
    if (hold === 'outsidePilot') await this.demoteHeld(connection, user, before);
    if (await this.held(connection, 'User', user, hold)) return 'held';
    const workspace = this.workspace(connection);
    const base = before.find(
      (old) => user.apply.appliedVersion !== undefined && old.meta.version === user.apply.appliedVersion,
    );
    const wasLinked = user.apply.workspaceId !== undefined;
    const startedAt = this.now();
    const result = await applyMemberPlan(
      workspace.apply,
      desiredMember(user),
      'unknown',
      base && isApplied(base) ? desiredMember(base) : undefined,
    );
    const state = await recordOutcome(this.store, connection.id, 'User', user, result, [], this.now());
    await this.track(connection, planEffects(result), startedAt);
    const linkedNow = !wasLinked && state.workspaceId !== undefined;
    const reactivated = result.applied.some((change) => change.kind === 'reactivateMember');
    if (user.active && (linkedNow || reactivated)) {
      // Groups pushed while the user waited for its account (or while it was deactivated on the
      // workspace) are granted now; each membership is read again before it is granted.
      for (const membership of await this.store.groupsOfUser(connection.id, user.id)) {
        await this.members(connection, membership.groupId, [user.id]);
      }
    }
    return state;
  }

  /**
   * Applies the group's current version: creates or links it (and grants its members) when it is
   * not linked yet, renames it when its name moved. Memberships of a linked group are applied one
   * member at a time (`members`), from the member items' own stream records.
   */
  async group(connection: Connection, groupId: string, before: readonly GroupRecord[] = []): Promise<void> {
    const group = await this.store.getGroup(connection.id, groupId);
    if (!group || isApplied(group)) return;
    if (await this.held(connection, 'Group', group, await this.rollout.groupHeld(connection.id, group)))
      return;
    const workspace = this.workspace(connection);
    const startedAt = this.now();
    if (group.apply.workspaceId === undefined) {
      // Creation: the members are the request's own (O(k)); those not linked yet are granted by
      // their user's apply, and looked at again below once the group's link is recorded.
      const members = await groupMembers(this.store, connection.id, group.id);
      const heldUsers = await heldUserIds(this.rollout, connection.id, members);
      // Members outside the pilot scope are not granted it (pending-group.ts): the group stays held.
      const step = pendingGroupStep({
        group,
        members,
        hold: undefined,
        heldUsers,
        takeover: false,
        observed: 'unknown',
      });
      if (step.kind === 'hold') return;
      const result = await applyGroupPlan(
        workspace.apply,
        step.desired,
        'unknown',
        undefined,
        workspace.applyBatch,
      );
      const state = await recordOutcome(this.store, connection.id, 'Group', group, result, [], this.now());
      if (result.linkedByName && state.workspaceId !== undefined)
        await this.rollout.linkedByName(connection.id, group.id, state.workspaceId, this.now());
      if (step.thenHold !== undefined && state.status === 'applied')
        await this.held(connection, 'Group', group, step.thenHold);
      await this.track(connection, planEffects(result), startedAt);
      const waiting = awaitingLink(members.filter((user) => !heldUsers.has(user.id)));
      if (state.workspaceId !== undefined && waiting.length > 0)
        await this.members(connection, group.id, waiting);
      return;
    }
    const base = before.find(
      (old) => group.apply.appliedVersion !== undefined && old.meta.version === group.apply.appliedVersion,
    );
    const result = await applyGroupPlan(workspace.apply, desiredGroup(group, []), 'unknown', {
      added: [],
      removed: [],
      // Without the applied version's name the name is asserted (a rename to itself is harmless).
      previousName: base?.displayName ?? '',
    });
    if (group.apply.lastError !== undefined) {
      // An earlier apply of this group failed (a membership, say) and was held for the retry pass,
      // which reconciles the whole group against the workspace. A version that moved since (a
      // deactivation dropping a member bumps it) must not mark it applied over that failure.
      if (result.status !== 'applied') {
        await this.store.holdPending(
          connection.id,
          'Group',
          group.id,
          result.error ?? result.status,
          this.now(),
        );
      }
    } else {
      await recordOutcome(this.store, connection.id, 'Group', group, result, [], this.now());
    }
    await this.track(connection, planEffects(result), startedAt);
  }

  /**
   * Reconciles these users' memberships of a linked group: O(k) reads and one batch of grants and
   * one of revokes, whatever the group's size.
   */
  async members(connection: Connection, groupId: string, userIds: readonly string[]): Promise<void> {
    const ids = [...new Set(userIds)];
    const group = await this.store.getGroup(connection.id, groupId);
    // Not linked yet: the group's own apply grants its members once it is.
    if (!group || group.apply.workspaceId === undefined || ids.length === 0) return;
    const hold = await this.rollout.groupHeld(connection.id, group);
    if (hold === 'released') return;
    const wanted = await this.wanted(connection.id, groupId, ids, 'skip');
    const grants: string[] = [];
    const revokes: string[] = [];
    for (const [memberId, want] of wanted.byMember) (want ? grants : revokes).push(memberId);
    if (hold !== undefined && grants.length > 0) {
      // Outside the pilot scope a group gains no one, but it loses whom the IdP removed from it.
      grants.length = 0;
      await this.held(connection, 'Group', group, hold);
    }
    const heldUsers = await heldUserIds(
      this.rollout,
      connection.id,
      grants.flatMap((memberId) => wanted.records.get(memberId) ?? []),
    );
    if (heldUsers.size > 0) {
      // A user outside the pilot scope is granted no group; the group is held until it is widened.
      const held = (memberId: string) => heldUsers.has(wanted.userOf.get(memberId) ?? '');
      grants.splice(0, grants.length, ...grants.filter((memberId) => !held(memberId)));
      await this.held(connection, 'Group', group, 'outsidePilot');
    }
    if (grants.length === 0 && revokes.length === 0) return;
    const workspace = this.workspace(connection);
    const startedAt = this.now();
    let result = await this.grantAndRevoke(workspace, group, grants, revokes);
    if (result.status === 'applied' && grants.length > 0) {
      // The grant may have landed after a deactivation or removal that committed meanwhile.
      const now = await this.wanted(
        connection.id,
        groupId,
        grants.map((memberId) => wanted.userOf.get(memberId) ?? ''),
        'revoke',
      );
      const late = grants.filter((memberId) => now.byMember.get(memberId) !== true);
      if (late.length > 0) {
        const undo = await this.grantAndRevoke(workspace, group, [], late);
        result = { ...undo, applied: [...result.applied, ...undo.applied] };
      }
    }
    const userOf = (memberId: string) => wanted.userOf.get(memberId);
    await this.track(connection, planEffects(result, { userOf }), startedAt);
    if (result.status !== 'applied') {
      await this.store.holdPending(
        connection.id,
        'Group',
        group.id,
        result.error ?? result.status,
        this.now(),
      );
    }
    // The grants and revokes change no item whose own record says so: noted for the audit trail,
    // after the incident and the pending mark, which must not wait on the note.
    // A batch delivered again notes again what it applies again (at least once, as its events).
    await this.store.noteAudit(
      connection.id,
      `apply:${randomUUID()}`,
      [
        ...result.applied.map((change) => workspaceChangeEvent(change, { status: 'applied' }, userOf)),
        ...(result.failed
          ? [
              workspaceChangeEvent(
                result.failed,
                { status: result.status, ...(result.error !== undefined ? { error: result.error } : {}) },
                userOf,
              ),
            ]
          : []),
      ],
      this.now(),
    );
  }

  /** The user is gone with its link: remove the member from the workspace. */
  async userDeleted(connection: Connection, user: UserRecord): Promise<void> {
    const memberId = user.apply.workspaceId;
    if (memberId === undefined) return;
    await this.deletion(connection, {
      kind: 'deleteMember',
      userId: user.id,
      memberId,
      reason: 'deleted by the IdP',
    });
  }

  /** The group is gone with its link: delete the workspace group. */
  async groupDeleted(connection: Connection, group: GroupRecord): Promise<void> {
    const workspaceGroupId = group.apply.workspaceId;
    if (workspaceGroupId === undefined) return;
    await this.deletion(connection, {
      kind: 'deleteGroup',
      groupId: group.id,
      workspaceGroupId,
      reason: 'deleted by the IdP',
    });
  }

  /**
   * For each linked, active user among `userIds`: whether it should hold the group now (its member
   * item exists). Unlinked users are their own apply's. Deactivated ones lose every group with the
   * deactivation, so they are left out (`skip`), except when checking a grant just made, which a
   * deactivation may have overtaken (`revoke`). A user deleted since is left out (its deletion
   * removes the member).
   */
  private async wanted(
    connectionId: string,
    groupId: string,
    userIds: readonly string[],
    inactive: 'skip' | 'revoke',
  ): Promise<{
    byMember: Map<string, boolean>;
    userOf: Map<string, string>;
    records: Map<string, UserRecord>;
  }> {
    const ids = userIds.filter((id) => id !== '');
    const [users, members] = await Promise.all([
      this.store.getUsers(connectionId, ids),
      this.store.membersAmong(connectionId, groupId, ids),
    ]);
    const byMember = new Map<string, boolean>();
    const userOf = new Map<string, string>();
    const records = new Map<string, UserRecord>();
    for (const user of users) {
      const memberId = user.apply.workspaceId;
      if (memberId === undefined) continue;
      userOf.set(memberId, user.id);
      records.set(memberId, user);
      if (!user.active) {
        if (inactive === 'revoke') byMember.set(memberId, false);
        continue;
      }
      byMember.set(memberId, members.has(user.id));
    }
    return { byMember, userOf, records };
  }

  private async grantAndRevoke(
    workspace: Workspace,
    group: GroupRecord,
    grants: string[],
    revokes: string[],
  ): Promise<PlanResult> {
    return applyGroupPlan(
      workspace.apply,
      desiredGroup(group, []),
      'unknown',
      { added: grants, removed: revokes },
      workspace.applyBatch,
    );
  }

  /**
   * A resource the rollout settings hold back is not applied: it stays pending with the reason
   * (shown by `roster status`), marked held under the settings' version, so that the retry pass
   * takes it again once the settings move and the sync applies it once the scope includes it.
   */
  private async held(
    connection: Connection,
    kind: 'User' | 'Group',
    resource: UserRecord | GroupRecord,
    reason: keyof typeof HOLD_TEXT | undefined,
  ): Promise<boolean> {
    if (reason === undefined) return false;
    await this.store.holdPending(
      connection.id,
      kind,
      resource.id,
      HOLD_TEXT[reason],
      this.now(),
      await this.rollout.version(connection.id),
    );
    return true;
  }

  /**
   * Outside the pilot scope the admin role's removal still applies (the pilot holds back what
   * gives access, never what removes it): when a version this batch moved the user from made it
   * an admin and the current one does not, its linked account is demoted, and the rest waits.
   * Without such a version (the retry pass) the full sync demotes it from what the workspace holds.
   */
  private async demoteHeld(connection: Connection, user: UserRecord, before: readonly UserRecord[]) {
    const memberId = user.apply.workspaceId;
    if (memberId === undefined || !user.active || desiredMember(user).admin) return;
    if (!before.some((old) => desiredMember(old).admin)) return;
    const change: Change = {
      kind: 'updateMember',
      userId: user.id,
      memberId,
      admin: false,
      demotes: true,
      reason: 'admin role removed by the IdP',
    };
    const startedAt = this.now();
    const outcome = await this.workspace(connection).apply(change);
    if (outcome.status !== 'applied') {
      // Loud, and left to the full sync, which demotes it from what the workspace holds.
      logger.error('admin role not removed from an account outside the pilot scope', {
        connectionId: connection.id,
        userId: user.id,
        memberId,
        outcome: outcome.status,
        error: outcome.error,
      });
    }
    await this.track(connection, changeEffects([{ change, outcome }]), startedAt);
  }

  private async deletion(connection: Connection, change: Change): Promise<void> {
    const startedAt = this.now();
    const outcome = await this.workspace(connection).apply(change);
    await this.track(connection, changeEffects([{ change, outcome }]), startedAt);
  }

  private workspace(connection: Connection): Workspace {
    const connector = this.connectorFor(connection);
    const apply: ApplyChangeFn = (change) => applyChange(connector, change);
    const applyBatch: ApplyBatchFn = (changes) => applyGrantBatch(connector, changes, apply);
    return { apply, applyBatch };
  }

  private track(connection: Connection, effects: AccessEffects, startedAt: Date): Promise<void> {
    return recordAccess(
      { store: this.store, alarm: this.alarm, now: this.now },
      connection.id,
      effects,
      startedAt,
    );
  }
}

/**
 * The pilot scope holds back what gives access, never what removes it: a user outside the scope
 * whose account is linked and whom the IdP deactivated is applied (the deactivation strips its
 * groups on the workspace). A released user stays the workspace's.
 */
function heldUnlessRevoking(user: UserRecord, hold: HoldReason | undefined): HoldReason | undefined {
  if (hold === 'outsidePilot' && !user.active && user.apply.workspaceId !== undefined) return undefined;
  return hold;
}
