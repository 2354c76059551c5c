/**
 * What the link state asks for, reduced to what planning needs: the desired member of each user,
 * each group with its members as user ids (resolved to workspace ids at plan time, because a
 * member may be linked by the plan itself), and the version and apply state of each resource so
 * that outcomes can be recorded against the version that was read. SCIM bodies are not kept.
 */
import type { DesiredMember } from '../provisioning/change';
import type { ApplyState } from '../store/record';

export interface DesiredUser {
  member: DesiredMember;
  /** For the pilot scope (rollout-scope.ts) and the preview; absent in older fixtures. */
  userName?: string;
  externalId?: string;
  version: number;
  apply: ApplyState;
}

export interface DesiredGroupEntry {
  groupId: string;
  name: string;
  /** The linked workspace group, once linked. */
  workspaceGroupId?: string;
  memberUserIds: string[];
  /** For the pilot scope (rollout-scope.ts). */
  externalId?: string;
  version: number;
  apply: ApplyState;
}

export interface DesiredState {
  users: Map<string, DesiredUser>;
  groups: Map<string, DesiredGroupEntry>;
}
