import { testDb, uniqueConnectionId } from '../../support/db';
import { createBuiltinWorkspace } from '../../../shared/workspace/builtin/create-builtin-workspace';
import { EVERYONE_ID } from '../../../shared/workspace/builtin/keys';
import { connectorContract } from './contract';

connectorContract('built-in workspace', async () => {
  const workspace = await createBuiltinWorkspace(testDb(), uniqueConnectionId('w'));
  return {
    connector: workspace,
    everyoneId: EVERYONE_ID,
    async seedMember(member) {
      const result = await workspace.insertMember(
        { email: member.email, name: member.name, admin: member.admin ?? false },
        member.managedByScim ?? false,
      );
      if (member.state === 'deactivated') await workspace.deactivateMember(result.memberId);
      return result.memberId;
    },
    async seedGroup(name, options) {
      return (await workspace.insertGroup(name, options?.managed ?? false)).groupId;
    },
  };
});
