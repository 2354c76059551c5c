/**
 * Applies consecutive grants (or revokes) of one group with the connector's batch call when it has
 * one: a PATCH adding 20 members is then one workspace call rather than 20. A batch's error does not
 * say which member it was about, so when a batch fails its changes are applied again one by one,
 * which attributes the failure to its change exactly as applying them singly would have.
 */
import type { WorkspaceConnector } from '../workspace/port';
import { applyChange } from './apply-change';
import type { ApplyOutcome } from './apply-change';
import type { Change } from './change';

export type GrantChange = Extract<Change, { kind: 'grant' | 'revoke' }>;

/**
 * The outcome of each change in order, ending early at the first change not applied (as applying
 * them one by one would stop there).
 */
export type ApplyBatchFn = (changes: GrantChange[]) => Promise<ApplyOutcome[]>;

export function isGrantChange(change: Change): change is GrantChange {
  return change.kind === 'grant' || change.kind === 'revoke';
}

/** Whether `next` can join a batch that starts with `first`: same kind, same workspace group. */
export function sameBatch(first: GrantChange, next: Change): next is GrantChange {
  return next.kind === first.kind && next.workspaceGroupId === first.workspaceGroupId;
}

export async function applyGrantBatch(
  connector: WorkspaceConnector,
  changes: GrantChange[],
  single: (change: Change) => Promise<ApplyOutcome> = (change) => applyChange(connector, change),
): Promise<ApplyOutcome[]> {
  const first = changes[0];
  const batch =
    first?.kind === 'grant'
      ? connector.grantMembers?.bind(connector)
      : first?.kind === 'revoke'
        ? connector.revokeMembers?.bind(connector)
        : undefined;
  if (first && batch && changes.length > 1 && changes.every((change) => sameBatch(first, change))) {
    try {
      await batch(
        first.workspaceGroupId,
        changes.map((change) => change.memberId),
      );
      return changes.map((change) => ({
        status: 'applied',
        workspaceGroupId: change.workspaceGroupId,
        memberId: change.memberId,
      }));
    } catch {
      // Retried one by one below: the single call's error names the change, and what the batch
      // wrote already is a no-op the second time (grants and revokes are idempotent).
    }
  }
  const outcomes: ApplyOutcome[] = [];
  for (const change of changes) {
    const outcome = await single(change);
    outcomes.push(outcome);
    if (outcome.status !== 'applied') break;
  }
  return outcomes;
}
