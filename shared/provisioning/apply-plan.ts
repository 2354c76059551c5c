/**
 * Plans and applies one resource's changes in order, stopping at the first failure. When a change
 * links the resource (provisioning answered with an account, creating a group answered with a
 * group), the rest of the plan needs the new id, so the resource is planned again with it: this
 * is why a plan for an unlinked resource ends at its link. Consecutive grants (or revokes) of one
 * group go through `applyBatch` when given, with the same outcome per change. Shared by the request path, the
 * reconcile of pending resources and the full sync, so that one code path applies the rules.
 */
import type { ApplyOutcome } from './apply-change';
import type { ApplyBatchFn, GrantChange } from './apply-grants';
import { isGrantChange, sameBatch } from './apply-grants';
import type { Change, DesiredGroup, DesiredMember } from './change';
import type { GroupDelta } from './plan-group';
import { planGroup } from './plan-group';
import { planMember } from './plan-member';
import type { WorkspaceMember } from '../workspace/member';
import type { GroupEntitlement } from '../workspace/entitlement';

export type ApplyChangeFn = (change: Change) => Promise<ApplyOutcome>;

export interface PlanResult {
  /** `applied` when every change was applied. */
  status: 'applied' | 'unavailable' | 'rejected' | 'unsupported';
  error?: string;
  /** The linked workspace object (member id or group id), when known. */
  workspaceId?: string;
  /** The changes applied, in order. */
  applied: Change[];
  /** Changes the adapter cannot make that do not block the rest (marking objects managed). */
  skipped: { change: Change; error: string }[];
  /** The change whose outcome `status` and `error` are, when one failed. */
  failed?: Change;
  /** The changes after the failed one, never attempted (a removal among them is still not applied). */
  unattempted: Change[];
  /** Creating the group linked an existing workspace group of the same name (a takeover). */
  linkedByName?: boolean;
}

/** Marking an object managed is how the workspace shows ownership; Roster's link state already records it. */
function isOptional(change: Change): boolean {
  return change.kind === 'markMemberManaged' || change.kind === 'markGroupManaged';
}

/**
 * A profile the workspace cannot change (Mode) fails the plan but blocks nothing after it: a
 * deactivation planned behind it must still take the access away.
 */
function failsWithoutBlocking(change: Change, outcome: ApplyOutcome): boolean {
  return change.kind === 'updateMember' && outcome.status === 'unsupported';
}

async function run(
  first: Change[],
  apply: ApplyChangeFn,
  workspaceId: string | undefined,
  onLinked: (
    outcome: Extract<ApplyOutcome, { status: 'applied' }>,
    change: Change,
  ) => { workspaceId: string; next: Change[] } | undefined,
  applyBatch?: ApplyBatchFn,
): Promise<PlanResult> {
  const queue = [...first];
  const result: PlanResult = { status: 'applied', workspaceId, applied: [], skipped: [], unattempted: [] };
  let profileFailure: { change: Change; error: string } | undefined;
  for (let change = queue.shift(); change; change = queue.shift()) {
    if (applyBatch && isGrantChange(change) && queue[0] && sameBatch(change, queue[0])) {
      const batch: GrantChange[] = [change];
      for (let next = queue[0]; next && sameBatch(change, next); next = queue[0]) {
        batch.push(next);
        queue.shift();
      }
      const outcomes = await applyBatch(batch);
      for (const [index, grant] of batch.entries()) {
        const outcome = outcomes[index];
        const rest = [...batch.slice(index + 1), ...queue];
        // A batch ends early only at a failure; one that ends early without one is not trusted.
        if (!outcome) return failure(result, grant, rest, 'unavailable', `no outcome for ${grant.kind}`);
        if (outcome.status !== 'applied') return failure(result, grant, rest, outcome.status, outcome.error);
        result.applied.push(grant);
      }
      continue;
    }
    const outcome = await apply(change);
    if (outcome.status !== 'applied') {
      if (outcome.status === 'unsupported' && isOptional(change)) {
        result.skipped.push({ change, error: outcome.error });
        continue;
      }
      if (failsWithoutBlocking(change, outcome)) {
        profileFailure ??= { change, error: outcome.error };
        continue;
      }
      return failure(result, change, queue, outcome.status, outcome.error);
    }
    result.applied.push(change);
    const linked = onLinked(outcome, change);
    if (linked) {
      result.workspaceId = linked.workspaceId;
      queue.unshift(...linked.next);
    }
  }
  return profileFailure
    ? failure(result, profileFailure.change, [], 'unsupported', profileFailure.error)
    : result;
}

function failure(
  result: PlanResult,
  failed: Change,
  unattempted: Change[],
  status: Exclude<PlanResult['status'], 'applied'>,
  error: string,
): PlanResult {
  return { ...result, status, error, failed, unattempted: [...unattempted] };
}

export async function applyMemberPlan(
  apply: ApplyChangeFn,
  desired: DesiredMember,
  observed: WorkspaceMember | undefined | 'unknown',
  previous?: DesiredMember,
): Promise<PlanResult> {
  return run(planMember(desired, observed, previous), apply, desired.memberId, (outcome, change) => {
    if (change.kind === 'markMemberManaged') return { workspaceId: change.memberId, next: [] };
    if (change.kind !== 'provisionMember' || outcome.memberId === undefined) return undefined;
    const memberId = outcome.memberId;
    // An account created just now already has the desired profile, except perhaps the admin flag
    // (Mode invites without one), which is asserted; one that existed is converged.
    const created: Change[] = [
      { kind: 'markMemberManaged', userId: desired.userId, memberId, reason: 'provisioned by the IdP' },
      ...(desired.admin
        ? [
            {
              kind: 'updateMember' as const,
              userId: desired.userId,
              memberId,
              admin: true,
              reason: 'the workspace may create accounts without the admin flag',
            },
          ]
        : []),
    ];
    const next: Change[] = outcome.linked ? planMember({ ...desired, memberId }, 'unknown') : created;
    return { workspaceId: memberId, next };
  });
}

export async function applyGroupPlan(
  apply: ApplyChangeFn,
  desired: DesiredGroup,
  observed: { group: GroupEntitlement; memberIds: ReadonlySet<string> } | undefined | 'unknown',
  delta?: GroupDelta,
  applyBatch?: ApplyBatchFn,
): Promise<PlanResult> {
  const plan = planGroup(desired, observed, delta);
  let linkedByName = false;
  const result = await run(
    plan,
    apply,
    desired.workspaceGroupId,
    (outcome, change) => {
      if (change.kind === 'markGroupManaged') return { workspaceId: change.workspaceGroupId, next: [] };
      if (change.kind !== 'createGroup' || outcome.workspaceGroupId === undefined) return undefined;
      const workspaceGroupId = outcome.workspaceGroupId;
      if (outcome.linked === true) linkedByName = true;
      const next = planGroup({ ...desired, workspaceGroupId }, 'unknown').filter(
        // A group created just now already has the name; a linked one may differ in case.
        (step) => outcome.linked || step.kind !== 'renameGroup',
      );
      return { workspaceId: workspaceGroupId, next };
    },
    applyBatch,
  );
  return linkedByName ? { ...result, linkedByName } : result;
}
