/**
 * The workspace rules on the request path. The endpoint has already committed the desired state
 * (apply status `pending`); this plans what changed, applies it through the connector within a
 * time budget, and records the outcome. A slow or failing workspace never fails the IdP's
 * request: the resource stays pending (or failed, with the reason) and `reconcilePending` or the
 * full sync finishes it with the same plan-and-apply code. A removal of access that could not be
 * applied is also recorded as an access incident and raised (access-alarm.ts); one that applied
 * resolves its incident.
 */
import { logger } from '../http/logger';
import type { Connection } from '../secrets/connection';
import type { LinkStore, ResourceKind } from '../store/link-store';
import type { JsonObject } from '../scim/json';
import type { GroupRecord, UserRecord, WorkspaceClaim } from '../store/record';
import { groupClaim, userClaim } from './workspace-claim';
import { isApplied, recordOutcome } from './apply-state';
import { groupMembers } from './group-members';
import type { WorkspaceConnector } from '../workspace/port';
import { ACCESS_NOT_REMOVED, accessAlarm } from './access-alarm';
import type { AccessAlarm } from './access-alarm';
import { changeEffects, planEffects } from './access-incident';
import type { AccessEffects } from './access-incident';
import { applyChange } from './apply-change';
import type { ApplyOutcome } from './apply-change';
import { applyGrantBatch } from './apply-grants';
import type { ApplyBatchFn } from './apply-grants';
import { applyGroupPlan, applyMemberPlan } from './apply-plan';
import type { ApplyChangeFn, PlanResult } from './apply-plan';
import type { Change } from './change';
import { awaitingLink, desiredGroup } from './desired-group';
import { desiredMember } from './desired-member';
import { assertGroupAllowed } from './everyone-group';
import type { GroupChange, Provisioning } from './provisioning';
import { SamlOnlyGuard } from './saml-only-guard';
import { trackAccess } from './track-access';

export interface WorkspaceProvisioningDeps {
  store: LinkStore;
  connectorFor: (connection: Connection) => WorkspaceConnector;
  /** The most time one request spends applying to the workspace. */
  budgetMs?: number;
  now?: () => Date;
  /** How a recorded access incident is made loud (default: its error log line, no metric). */
  alarm?: AccessAlarm;
}

export const DEFAULT_APPLY_BUDGET_MS = 2_500;

/** The apply budget of one request: `ROSTER_APPLY_BUDGET_MS`, else 2.5 s. */
export function applyBudgetMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.ROSTER_APPLY_BUDGET_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_APPLY_BUDGET_MS;
}

export class WorkspaceProvisioning implements Provisioning {
  private readonly store: LinkStore;
  private readonly connectorFor: (connection: Connection) => WorkspaceConnector;
  private readonly budgetMs: number;
  private readonly now: () => Date;
  private readonly guard: SamlOnlyGuard;
  private readonly alarm: AccessAlarm;

  constructor(deps: WorkspaceProvisioningDeps) {
    this.store = deps.store;
    this.connectorFor = deps.connectorFor;
    this.budgetMs = deps.budgetMs ?? applyBudgetMs();
    this.now = deps.now ?? (() => new Date());
    this.alarm = deps.alarm ?? accessAlarm();
    this.guard = new SamlOnlyGuard({ connectorFor: deps.connectorFor, timeoutMs: this.budgetMs });
  }

  assertWritable(connection: Connection): Promise<void> {
    return this.guard.assertWritable(connection);
  }

  userClaim(connection: Connection, body: JsonObject, userName: string): WorkspaceClaim | undefined {
    return userClaim(connection.settings.workspace, body, userName);
  }

  groupClaim(connection: Connection, displayName: string): WorkspaceClaim {
    return groupClaim(connection.settings.workspace, displayName);
  }

  assertGroupAllowed(_connection: Connection, displayName: string, existing?: GroupRecord): void {
    assertGroupAllowed(displayName, existing);
  }

  async userChanged(connection: Connection, user: UserRecord, previous?: UserRecord): Promise<void> {
    const apply = this.budgeted(connection);
    const startedAt = this.now();
    // Diffing against the previous state is only safe when that state reached the workspace.
    const diffable = previous && isApplied(previous) ? desiredMember(previous) : undefined;
    const result = await applyMemberPlan(apply, desiredMember(user), 'unknown', diffable);
    await this.record(connection, 'User', user, result);
    await this.track(connection, planEffects(result), startedAt);
  }

  async groupChanged(connection: Connection, group: GroupRecord, change: GroupChange): Promise<void> {
    const { apply, applyBatch } = this.budgetedWithBatch(connection);
    const startedAt = this.now();
    const { previous } = change;
    let result: PlanResult;
    let waiting: string[];
    /** The user each revoked member is (for the incident, if the revoke fails). */
    const userOf = new Map<string, string>();
    if (group.apply.workspaceId !== undefined && previous && isApplied(previous)) {
      // Only the members this request touched are read (if the endpoint has not already): O(k)
      // whatever the group's size.
      const byId = change.users ?? (await this.usersById(connection, [...change.added, ...change.removed]));
      const added = change.added.flatMap((id) => byId.get(id) ?? []);
      const removed = change.removed.flatMap((id) => {
        const memberId = byId.get(id)?.apply.workspaceId;
        if (memberId === undefined) return [];
        userOf.set(memberId, id);
        return [memberId];
      });
      const desired = desiredGroup(group, added);
      waiting = awaitingLink(added);
      result = await applyGroupPlan(
        apply,
        desired,
        'unknown',
        {
          added: [...desired.memberIds],
          removed,
          previousName: previous.displayName,
        },
        applyBatch,
      );
    } else {
      const members = await groupMembers(this.store, connection.id, group.id);
      waiting = awaitingLink(members);
      result = await applyGroupPlan(apply, desiredGroup(group, members), 'unknown', undefined, applyBatch);
    }
    await this.record(connection, 'Group', group, result, waiting);
    await this.track(
      connection,
      planEffects(result, { userOf: (memberId) => userOf.get(memberId) }),
      startedAt,
    );
  }

  private async usersById(connection: Connection, ids: string[]): Promise<ReadonlyMap<string, UserRecord>> {
    const users = await this.store.getUsers(connection.id, ids);
    return new Map(users.map((user) => [user.id, user]));
  }

  async userDeleted(connection: Connection, user: UserRecord): Promise<void> {
    const memberId = user.apply.workspaceId;
    if (memberId === undefined) return;
    await this.applyDeletion(connection, {
      kind: 'deleteMember',
      userId: user.id,
      memberId,
      reason: 'deleted by the IdP',
    });
  }

  async groupDeleted(connection: Connection, group: GroupRecord): Promise<void> {
    const workspaceGroupId = group.apply.workspaceId;
    if (workspaceGroupId === undefined) return;
    await this.applyDeletion(connection, {
      kind: 'deleteGroup',
      groupId: group.id,
      workspaceGroupId,
      reason: 'deleted by the IdP',
    });
  }

  /**
   * The link is gone with the resource, so there is no apply state left to record a failure in:
   * a failure is an access incident (and the full sync finds the managed object with no link).
   */
  private async applyDeletion(connection: Connection, change: Change): Promise<void> {
    const startedAt = this.now();
    const outcome = await this.budgeted(connection)(change);
    await this.track(connection, changeEffects([{ change, outcome }]), startedAt);
  }

  /**
   * Records the incidents an apply left and resolves those it settled, then raises the alarm for
   * each one recorded. Never fails the IdP's request: if the table cannot be written, the alarm's
   * log line still says what was not removed, and the full sync plans the removal again.
   */
  private async track(connection: Connection, effects: AccessEffects, startedAt: Date): Promise<void> {
    if (effects.incidents.length === 0 && effects.settled.length === 0) return;
    try {
      const { recorded } = await trackAccess(this.store, connection.id, effects, startedAt, this.now());
      if (recorded.length === 0) return;
      const open = (await this.store.listAccessIncidents(connection.id)).length;
      for (const incident of recorded) this.alarm.raise(incident, open);
    } catch (error) {
      for (const report of effects.incidents) {
        logger.error(ACCESS_NOT_REMOVED, {
          connectionId: connection.id,
          incident: report.kind,
          change: report.change,
          outcome: report.status,
          error: report.error,
          recorded: false,
          storeError: error instanceof Error ? error.name : 'unknown',
        });
      }
      if (effects.incidents.length === 0) {
        logger.warn('access incidents not resolved: the table could not be written', {
          connectionId: connection.id,
          storeError: error instanceof Error ? error.name : 'unknown',
        });
      }
    }
  }

  private budgeted(connection: Connection): ApplyChangeFn {
    return this.budgetedWithBatch(connection).apply;
  }

  /**
   * Applies changes until the budget is spent; a change still running then is left to finish alone.
   * A batch of grants shares the same deadline; when it runs out, the batch's first change is
   * reported unavailable and the resource stays pending (what the batch wrote is idempotent).
   */
  private budgetedWithBatch(connection: Connection): { apply: ApplyChangeFn; applyBatch: ApplyBatchFn } {
    const connector = this.connectorFor(connection);
    const deadline = performance.now() + this.budgetMs;
    const within = async <T>(kind: string, work: () => Promise<T>, late: (o: ApplyOutcome) => T) => {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return late({ status: 'unavailable', error: `time budget spent before ${kind}` });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<T>((resolve) => {
        timer = setTimeout(
          () =>
            resolve(
              late({
                status: 'unavailable',
                error: `workspace did not answer ${kind} within the time budget`,
              }),
            ),
          remaining,
        );
      });
      try {
        return await Promise.race([work(), timeout]);
      } finally {
        clearTimeout(timer);
      }
    };
    const apply: ApplyChangeFn = (change) =>
      within(
        change.kind,
        () => applyChange(connector, change),
        (outcome) => outcome,
      );
    const applyBatch: ApplyBatchFn = (changes) =>
      within(
        changes[0]?.kind ?? 'grant',
        () => applyGrantBatch(connector, changes, apply),
        (outcome) => [outcome],
      );
    return { apply, applyBatch };
  }

  private async record(
    connection: Connection,
    kind: ResourceKind,
    resource: UserRecord | GroupRecord,
    result: PlanResult,
    waiting: string[] = [],
  ): Promise<void> {
    await recordOutcome(this.store, connection.id, kind, resource, result, waiting, this.now());
  }
}
