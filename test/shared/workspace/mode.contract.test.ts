import { ModeWorkspace } from '../../../shared/workspace/mode/mode-workspace';
import { startModeServer } from '../../fixtures/mode/server';
import { connectorContract } from './contract';

connectorContract('Mode', async () => {
  const server = await startModeServer();
  const everyone = server.addGroup('Everyone', { groupType: 'everyone' });
  const connector = new ModeWorkspace({
    baseUrl: server.baseUrl,
    credentials: async () => ({
      workspace: server.workspace,
      token: server.token,
      secret: server.secret,
      personal: { token: server.personalToken, secret: server.personalSecret },
    }),
    sleep: async () => {},
  });
  return {
    connector,
    everyoneId: everyone.token,
    readMemberName: (memberId) => connector.readMemberName(memberId),
    removedMembersStayListed: true,
    provisionsByInvitation: true,
    async seedMember(member) {
      return server.addMember({
        email: member.email,
        name: member.name,
        admin: member.admin ?? false,
        state: member.state === 'deactivated' ? 'deactivated' : 'active',
        invited: member.state === 'invited',
        managedByScim: member.managedByScim ?? false,
      }).token;
    },
    async seedGroup(name, options) {
      return server.addGroup(name, { managed: options?.managed ?? false }).token;
    },
    close: () => server.close(),
  };
});
