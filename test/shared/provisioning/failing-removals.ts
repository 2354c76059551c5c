/**
 * A connector whose removals fail the way a workspace's do: each removal named throws the error
 * its factory makes (CapabilityMissingError, WorkspaceUnavailableError, WorkspaceRejectedError)
 * while `broken()` answers true; every other call passes through. No batch calls, so that a revoke
 * of several members goes through the failing single call too.
 */
import type { WorkspaceConnector } from '../../../shared/workspace/port';

/** `demoteMember`: an updateMember that takes the admin role away. */
export type RemovalCall = 'deactivateMember' | 'deleteMember' | 'demoteMember' | 'revoke' | 'deleteGroup';

export function failingRemovals(
  connector: WorkspaceConnector,
  failures: Partial<Record<RemovalCall, () => Error>>,
  broken: () => boolean = () => true,
): WorkspaceConnector {
  const gate = async (call: RemovalCall, work: () => Promise<void>): Promise<void> => {
    const failure = failures[call];
    if (failure && broken()) throw failure();
    await work();
  };
  return {
    capabilities: connector.capabilities,
    readMembers: (page) => connector.readMembers(page),
    readEntitlements: (page) => connector.readEntitlements(page),
    readGrants: (page) => connector.readGrants(page),
    readSignIn: () => connector.readSignIn(),
    provisionMember: (member) => connector.provisionMember(member),
    updateMember: (id, profile) =>
      profile.admin === false
        ? gate('demoteMember', () => connector.updateMember(id, profile))
        : connector.updateMember(id, profile),
    deactivateMember: (id) => gate('deactivateMember', () => connector.deactivateMember(id)),
    reactivateMember: (id) => connector.reactivateMember(id),
    deleteMember: (id) => gate('deleteMember', () => connector.deleteMember(id)),
    createGroup: (name) => connector.createGroup(name),
    renameGroup: (id, name) => connector.renameGroup(id, name),
    deleteGroup: (id) => gate('deleteGroup', () => connector.deleteGroup(id)),
    grant: (group, member) => connector.grant(group, member),
    revoke: (group, member) => gate('revoke', () => connector.revoke(group, member)),
    markMemberManaged: (id, managed) => connector.markMemberManaged(id, managed),
    markGroupManaged: (id, managed) => connector.markGroupManaged(id, managed),
  };
}
