/**
 * The record of one full-sync run, as stored and reported: when it ran, what it planned per kind
 * of change and what came of it, why it was refused or failed. The plan itself (each change with
 * the object and the reason), the outcomes and the observations are stored beside it in chunks
 * (see run-store.ts), which is also the checkpoint a resumed run continues from.
 */
import type { Change, ChangeKind } from '../provisioning/change';
import type { HoldReason } from '../provisioning/rollout-scope';
import type { ResourceKind } from '../store/link-store';
import type { BreakerTally, BreakerVerdict } from './circuit-breaker';
import type { PermissionSummary } from './permission-summary';

export type RunStatus = 'running' | 'checkpointed' | 'completed' | 'refused' | 'failed';

export interface KindCounts {
  planned: number;
  applied: number;
  failed: number;
  /** Removals left out because the fact they acted on no longer held (absent before this was counted). */
  superseded?: number;
}

/** The link-state resource a change applies to, as read: outcomes are recorded against this version. */
export interface ResourceRef {
  kind: ResourceKind;
  id: string;
  version: number;
  attempts: number;
  appliedVersion?: number;
  workspaceId?: string;
}

export interface PlannedChange {
  change: Change;
  resource?: ResourceRef;
  /** The resource's last change in the plan: its apply state is recorded after it. */
  last?: boolean;
}

export interface ChangeOutcome {
  /** `blocked`: a change it depended on (provisioning, group creation) did not apply. */
  /**
   * `superseded`: a removal whose fact a strongly consistent read no longer confirmed (the object
   * is linked after all, the user is active again): not applied, and not a failure.
   */
  status: 'applied' | 'unavailable' | 'rejected' | 'unsupported' | 'blocked' | 'superseded';
  error?: string;
  /** Ids the workspace assigned (a provisioned member, a created group). */
  memberId?: string;
  workspaceGroupId?: string;
}

export interface ReadCounts {
  members: number;
  groups: number;
  grants: number;
  users: number;
  idpGroups: number;
}

export interface SyncRun {
  connectionId: string;
  /** Time-ordered: the newest run sorts last. */
  runId: string;
  status: RunStatus;
  dryRun: boolean;
  /** ISO-8601 instants; the duration spans every invocation of a resumed run. */
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  invocations: number;
  read?: ReadCounts;
  counts: Partial<Record<ChangeKind, KindCounts>>;
  changeCount: number;
  chunkCount: number;
  /** The checkpoint: chunks before this one are applied and their outcomes stored. */
  nextChunk: number;
  /**
   * A sharded run's plan chunks in apply order: the stored number of each (CHANGES#n). Absent: the
   * chunks are stored in apply order.
   */
  chunkMap?: number[];
  /** A run planned in shards (sharded-sync.ts): its progress, also the checkpoint of read and plan. */
  shards?: ShardProgress;
  observationCount: number;
  observationChunks: number;
  breaker?: BreakerVerdict;
  /** The refused run whose approval let this one apply. */
  approvedRun?: string;
  /** Run-level errors and the first change failures, without personal data. */
  errors: string[];
  /**
   * Access incidents (removals that could not be applied, see store/access-incidents.ts): how many
   * this run recorded and resolved, and how many of the connection's were open when it ended.
   */
  access?: AccessCounts;
  /** Changes kept from the workspace by the rollout settings, per reason (the observations name them). */
  held?: Partial<Record<HoldReason, number>>;
  /** Collection and data source permissions, when the run was asked to read them (`--permissions`). */
  permissions?: PermissionSummary;
}

export interface ShardProgress {
  count: number;
  /** `read` until every read is spilled; then `plan` shard by shard; `planned` once all are. */
  step: 'read' | 'plan' | 'planned';
  /** Shards planned so far, in planning order (sharded-plan.ts `planningOrder`). */
  planned: number;
  /** Chunks spilled per `shard#stream` (spill.ts). */
  spilled: Record<string, number>;
  /** CHANGES chunks stored so far. */
  storedChunks: number;
  /** Each shard's changes of one phase: `count` chunks stored from `first`. */
  segments: { phase: number; shard: number; first: number; count: number }[];
  /** The circuit breaker's counts over the shards planned. */
  tally: BreakerTally;
}

export interface AccessCounts {
  recorded: number;
  resolved: number;
  /** Absent while the run is going, or when the count could not be read. */
  open?: number;
}

export function totals(run: SyncRun): KindCounts {
  const sum: KindCounts = { planned: 0, applied: 0, failed: 0 };
  for (const counts of Object.values(run.counts)) {
    sum.planned += counts.planned;
    sum.applied += counts.applied;
    sum.failed += counts.failed;
  }
  return sum;
}

/** The object a change is about, for reports: the IdP resource when there is one, else the workspace object. */
export function objectOf(change: Change): string {
  switch (change.kind) {
    case 'provisionMember':
      return `user ${change.userId} → (new member)`;
    case 'updateMember':
    case 'deactivateMember':
    case 'reactivateMember':
    case 'markMemberManaged':
    case 'deleteMember':
      return change.userId
        ? `user ${change.userId} → member ${change.memberId}`
        : `member ${change.memberId}`;
    case 'createGroup':
      return `group ${change.groupId} → (new)`;
    case 'renameGroup':
    case 'markGroupManaged':
    case 'deleteGroup':
      return change.groupId
        ? `group ${change.groupId} → ${change.workspaceGroupId}`
        : `workspace group ${change.workspaceGroupId}`;
    case 'grant':
    case 'revoke':
      return `member ${change.memberId} in ${change.workspaceGroupId}`;
  }
}
