/**
 * The read and plan phases of the full sync, shared by the sync itself and the impact preview so
 * that both answer from one plan: both reads, the connection's rollout settings, and planSync.
 */
import { readRollout } from '../provisioning/rollout-store';
import type { Db } from '../store/client';
import type { LinkStore } from '../store/link-store';
import type { WorkspaceConnector } from '../workspace/port';
import type { DesiredState } from './desired';
import type { ObservedWorkspace } from './observed';
import { planSync } from './plan';
import type { SyncPlan } from './plan';
import { readDesired } from './read-desired';
import { readObserved } from './read-observed';
import type { ProgressListener } from './sync-progress';

export interface ReadAndPlanDeps {
  db: Db;
  store: LinkStore;
  connector: WorkspaceConnector;
  connectionId: string;
  onProgress?: ProgressListener;
}

export interface ReadAndPlanResult {
  observed: ObservedWorkspace;
  desired: DesiredState;
  plan: SyncPlan;
}

export async function readAndPlanSync(deps: ReadAndPlanDeps): Promise<ReadAndPlanResult> {
  const onProgress = deps.onProgress ?? (() => {});
  const observed = await readObserved(deps.connector, onProgress);
  const desired = await readDesired(deps.store, deps.connectionId, onProgress);
  const plan = planSync(observed, desired, {
    capabilities: deps.connector.capabilities,
    connectionId: deps.connectionId,
    rollout: await readRollout(deps.db, deps.connectionId),
  });
  onProgress({ phase: 'plan', step: 'changes', done: plan.changes.length });
  return { observed, desired, plan };
}
