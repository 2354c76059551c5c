/** `roster workspace groups list|members|add|rename|remove|grant|revoke` */
import type { Command } from 'commander';
import { readAll } from '../../shared/workspace/port';
import { table, workspaceAction } from './action';
import type { CliIo } from './cli-io';

export function registerGroupCommands(workspace: Command, io: CliIo): void {
  const groups = workspace.command('groups').description('groups of the built-in workspace');

  groups
    .command('list')
    .description('list every group')
    .option('--json', 'print JSON')
    .action(
      workspaceAction(io, async ({ admin, print }) => {
        const all = await readAll((page) => admin.listGroups(page));
        print(all, () =>
          table(
            ['ID', 'NAME', 'MANAGED'],
            all.map((g) => [
              g.id,
              g.name,
              g.everyone
                ? 'workspace'
                : g.managed
                  ? `scim${g.owner !== undefined ? `:${g.owner}` : ''}`
                  : '-',
            ]),
          ),
        );
      }),
    );

  groups
    .command('members <group>')
    .description('list the member ids of a group (by id or name)')
    .option('--json', 'print JSON')
    .action(
      workspaceAction(io, async ({ admin, print }, ref: string) => {
        const ids = await readAll((page) => admin.groupMembers(ref, page));
        print(ids, () => ids);
      }),
    );

  groups
    .command('add <name>')
    .description('create a group')
    .option('--json', 'print JSON')
    .action(
      workspaceAction(io, async ({ admin, print, note }, name: string) => {
        const group = await admin.addGroup(name);
        note({
          action: 'created',
          object: { kind: 'WorkspaceGroup', id: group.id, label: group.name },
          changes: [{ attribute: 'name', after: group.name }],
        });
        print(group, () => [`added group ${group.name} (${group.id})`]);
      }),
    );

  groups
    .command('rename <group> <name>')
    .description('rename a group (by id or name) not managed by SCIM')
    .option('--json', 'print JSON')
    .action(
      workspaceAction(io, async ({ admin, print, note }, ref: string, name: string) => {
        const before = await admin.group(ref);
        const group = await admin.renameGroup(ref, name);
        note({
          action: 'updated',
          object: { kind: 'WorkspaceGroup', id: group.id, label: group.name },
          changes: [{ attribute: 'name', before: before.name, after: group.name }],
        });
        print(group, () => [`renamed group ${group.id} to ${group.name}`]);
      }),
    );

  groups
    .command('remove <group>')
    .description('delete a group (by id or name) not managed by SCIM')
    .option('--json', 'print JSON')
    .action(
      workspaceAction(io, async ({ admin, print, note }, ref: string) => {
        const group = await admin.group(ref);
        await admin.removeGroup(group.id);
        note({
          action: 'deleted',
          object: { kind: 'WorkspaceGroup', id: group.id, label: group.name },
          changes: [{ attribute: 'name', before: group.name }],
        });
        print({ removed: group.id }, () => [`removed group ${group.name} (${group.id})`]);
      }),
    );

  groups
    .command('grant <group> <member>')
    .description('add a member (by id or email) to a group not managed by SCIM')
    .option('--json', 'print JSON')
    .action(
      workspaceAction(io, async ({ admin, print, note }, groupRef: string, memberRef: string) => {
        const grant = await admin.grant(groupRef, memberRef);
        note({
          action: 'updated',
          object: { kind: 'WorkspaceGroup', id: grant.groupId },
          changes: [{ attribute: 'memberId', after: grant.memberId }],
        });
        print(grant, () => [`granted ${grant.groupId} to ${grant.memberId}`]);
      }),
    );

  groups
    .command('revoke <group> <member>')
    .description('remove a member (by id or email) from a group not managed by SCIM')
    .option('--json', 'print JSON')
    .action(
      workspaceAction(io, async ({ admin, print, note }, groupRef: string, memberRef: string) => {
        const grant = await admin.revoke(groupRef, memberRef);
        note({
          action: 'updated',
          object: { kind: 'WorkspaceGroup', id: grant.groupId },
          changes: [{ attribute: 'memberId', before: grant.memberId }],
        });
        print(grant, () => [`revoked ${grant.groupId} from ${grant.memberId}`]);
      }),
    );
}
