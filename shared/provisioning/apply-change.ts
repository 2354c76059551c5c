/**
 * Applies one planned change through the connector port. Idempotent, as the port's writes are.
 * Workspace failures are outcomes, never exceptions, so that a caller on the request path cannot
 * fail the IdP's request by accident: `unavailable` (try again later), `rejected` (the workspace
 * refused this request), `unsupported` (the adapter cannot do it at all; retrying will not help).
 * Error texts carry the workspace's error code and status, never its message, which may quote an
 * email address.
 */
import type { Capability } from '../workspace/capability';
import type { WorkspaceConnector } from '../workspace/port';
import {
  CapabilityMissingError,
  WorkspaceRejectedError,
  WorkspaceUnavailableError,
} from '../workspace/workspace-error';
import type { Change, ChangeKind } from './change';

export type ApplyOutcome =
  | { status: 'applied'; memberId?: string; workspaceGroupId?: string; linked?: boolean }
  | { status: 'unavailable' | 'rejected' | 'unsupported'; error: string };

export const CAPABILITY_OF: Readonly<Record<ChangeKind, Capability>> = {
  provisionMember: 'provisionMember',
  updateMember: 'updateMember',
  deactivateMember: 'deactivateMember',
  reactivateMember: 'reactivateMember',
  deleteMember: 'deleteMember',
  markMemberManaged: 'markManaged',
  createGroup: 'createGroup',
  renameGroup: 'renameGroup',
  deleteGroup: 'deleteGroup',
  markGroupManaged: 'markManaged',
  grant: 'grant',
  revoke: 'revoke',
};

export async function applyChange(connector: WorkspaceConnector, change: Change): Promise<ApplyOutcome> {
  // No capability pre-check: an adapter's missing operations throw CapabilityMissingError with the
  // adapter's own reason (the port's contract), which is what the operator needs to read.
  try {
    return await perform(connector, change);
  } catch (error) {
    return outcomeOf(change, error);
  }
}

async function perform(connector: WorkspaceConnector, change: Change): Promise<ApplyOutcome> {
  switch (change.kind) {
    case 'provisionMember': {
      if (change.email === '') {
        return {
          status: 'rejected',
          error:
            'the user has no email address (emails or an email-shaped userName) to link or provision an account with',
        };
      }
      const result = await connector.provisionMember({
        email: change.email,
        name: change.name,
        admin: change.admin,
      });
      return { status: 'applied', memberId: result.memberId, linked: result.kind === 'exists' };
    }
    case 'updateMember':
      await connector.updateMember(change.memberId, {
        email: change.email,
        name: change.name,
        admin: change.admin,
      });
      return { status: 'applied', memberId: change.memberId };
    case 'deactivateMember':
      await connector.deactivateMember(change.memberId);
      return { status: 'applied', memberId: change.memberId };
    case 'reactivateMember':
      await connector.reactivateMember(change.memberId);
      return { status: 'applied', memberId: change.memberId };
    case 'deleteMember':
      await connector.deleteMember(change.memberId);
      return { status: 'applied', memberId: change.memberId };
    case 'markMemberManaged':
      await connector.markMemberManaged(change.memberId, true);
      return { status: 'applied', memberId: change.memberId };
    case 'createGroup': {
      const result = await connector.createGroup(change.name);
      return { status: 'applied', workspaceGroupId: result.groupId, linked: result.kind === 'exists' };
    }
    case 'renameGroup':
      await connector.renameGroup(change.workspaceGroupId, change.name);
      return { status: 'applied', workspaceGroupId: change.workspaceGroupId };
    case 'deleteGroup':
      await connector.deleteGroup(change.workspaceGroupId);
      return { status: 'applied', workspaceGroupId: change.workspaceGroupId };
    case 'markGroupManaged':
      await connector.markGroupManaged(change.workspaceGroupId, true);
      return { status: 'applied', workspaceGroupId: change.workspaceGroupId };
    case 'grant':
      await connector.grant(change.workspaceGroupId, change.memberId);
      return { status: 'applied', workspaceGroupId: change.workspaceGroupId, memberId: change.memberId };
    case 'revoke':
      await connector.revoke(change.workspaceGroupId, change.memberId);
      return { status: 'applied', workspaceGroupId: change.workspaceGroupId, memberId: change.memberId };
  }
}

function outcomeOf(change: Change, error: unknown): ApplyOutcome {
  if (error instanceof CapabilityMissingError) {
    return { status: 'unsupported', error: `workspace cannot ${error.capability}: ${error.reason}` };
  }
  if (error instanceof WorkspaceRejectedError) {
    return {
      status: 'rejected',
      error: `workspace refused ${change.kind}: ${error.code} (HTTP ${error.status})`,
    };
  }
  if (error instanceof WorkspaceUnavailableError) {
    return {
      status: 'unavailable',
      error: `workspace unavailable for ${change.kind}${error.status ? ` (HTTP ${error.status})` : ''}`,
    };
  }
  // Anything else (a network error, the built-in workspace's storage throttling) is treated as an
  // outage: the change stays not yet applied and is retried, rather than failing the IdP.
  const name = error instanceof Error ? error.name : 'unknown error';
  return { status: 'unavailable', error: `workspace call ${change.kind} failed: ${name}` };
}
