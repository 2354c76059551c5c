/**
 * Fault injection for tests: wraps a connector so that every call fails with
 * WorkspaceUnavailableError while `failing()` answers true, optionally after a delay, the way a
 * workspace outage looks to the rules and the sync.
 */
import type { WorkspaceConnector } from './port';
import { WorkspaceUnavailableError } from './workspace-error';

export interface FlakyOptions {
  failing: () => boolean;
  /** Added before every call, failing or not, to simulate a slow workspace. */
  delayMs?: number;
}

export function flakyWorkspace(connector: WorkspaceConnector, options: FlakyOptions): WorkspaceConnector {
  const gate = async <T>(call: () => Promise<T>): Promise<T> => {
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (options.failing()) throw new WorkspaceUnavailableError('workspace unavailable (injected fault)', 503);
    return call();
  };
  const { grantMembers, revokeMembers, readPermissions, prepareForSync } = connector;
  return {
    capabilities: connector.capabilities,
    readMembers: (page) => gate(() => connector.readMembers(page)),
    readEntitlements: (page) => gate(() => connector.readEntitlements(page)),
    readGrants: (page) => gate(() => connector.readGrants(page)),
    provisionMember: (member) => gate(() => connector.provisionMember(member)),
    updateMember: (memberId, profile) => gate(() => connector.updateMember(memberId, profile)),
    deactivateMember: (memberId) => gate(() => connector.deactivateMember(memberId)),
    reactivateMember: (memberId) => gate(() => connector.reactivateMember(memberId)),
    deleteMember: (memberId) => gate(() => connector.deleteMember(memberId)),
    createGroup: (name) => gate(() => connector.createGroup(name)),
    renameGroup: (groupId, name) => gate(() => connector.renameGroup(groupId, name)),
    deleteGroup: (groupId) => gate(() => connector.deleteGroup(groupId)),
    grant: (groupId, memberId) => gate(() => connector.grant(groupId, memberId)),
    revoke: (groupId, memberId) => gate(() => connector.revoke(groupId, memberId)),
    // The batch calls exist only where the wrapped connector has them, as the port allows.
    ...(grantMembers && {
      grantMembers: (groupId: string, memberIds: readonly string[]) =>
        gate(() => grantMembers.call(connector, groupId, memberIds)),
    }),
    ...(revokeMembers && {
      revokeMembers: (groupId: string, memberIds: readonly string[]) =>
        gate(() => revokeMembers.call(connector, groupId, memberIds)),
    }),
    ...(prepareForSync && {
      prepareForSync: (deadline: number) => gate(() => prepareForSync.call(connector, deadline)),
    }),
    ...(readPermissions && {
      readPermissions: (page?: string) => gate(() => readPermissions.call(connector, page)),
    }),
    readSignIn: () => gate(() => connector.readSignIn()),
    markMemberManaged: (memberId, managed) => gate(() => connector.markMemberManaged(memberId, managed)),
    markGroupManaged: (groupId, managed) => gate(() => connector.markGroupManaged(groupId, managed)),
  };
}
