/** `roster workspace members list|add|edit|remove` */
import type { Command } from 'commander';
import { readAll } from '../../shared/workspace/port';
import type { WorkspaceMember } from '../../shared/workspace/member';
import { table, workspaceAction } from './action';
import type { WorkspaceEdit } from './action';
import type { CliIo } from './cli-io';

const describeMember = (member: WorkspaceMember) =>
  `${member.email} (${member.id}) ${member.name}${member.admin ? ', admin' : ''}, ${member.state}` +
  (member.managedByScim
    ? `, managed by SCIM${member.owner !== undefined ? ` (connection ${member.owner})` : ''}`
    : '');

/** The audit trail's record of a member edit: name, admin role and state, before and after. */
function memberEdit(
  action: WorkspaceEdit['action'],
  member: WorkspaceMember,
  before: WorkspaceMember | undefined,
  after: WorkspaceMember | undefined,
): WorkspaceEdit {
  return {
    action,
    object: { kind: 'Member', id: member.id, label: member.email },
    changes: (['name', 'admin', 'state'] as const)
      .filter((attribute) => before?.[attribute] !== after?.[attribute])
      .map((attribute) => ({
        attribute,
        ...(before ? { before: before[attribute] } : {}),
        ...(after ? { after: after[attribute] } : {}),
      })),
  };
}

export function registerMemberCommands(workspace: Command, io: CliIo): void {
  const members = workspace.command('members').description('members of the built-in workspace');

  members
    .command('list')
    .description('list every member')
    .option('--json', 'print JSON')
    .action(
      workspaceAction(io, async ({ admin, print }) => {
        const all = await readAll((page) => admin.listMembers(page));
        print(all, () =>
          table(
            ['ID', 'EMAIL', 'NAME', 'ADMIN', 'STATE', 'MANAGED'],
            all.map((m) => [
              m.id,
              m.email,
              m.name,
              m.admin ? 'yes' : 'no',
              m.state,
              m.managedByScim ? `scim${m.owner !== undefined ? `:${m.owner}` : ''}` : '-',
            ]),
          ),
        );
      }),
    );

  members
    .command('add <email>')
    .description('add an active member')
    .requiredOption('--name <full name>', 'full name')
    .option('--admin', 'make the member a workspace admin', false)
    .option('--json', 'print JSON')
    .action(
      workspaceAction(
        io,
        async ({ admin, print, note }, email: string, options: { name: string; admin: boolean }) => {
          const member = await admin.addMember({ email, name: options.name, admin: options.admin });
          note(memberEdit('created', member, undefined, member));
          print(member, () => [`added ${describeMember(member)}`]);
        },
      ),
    );

  members
    .command('edit <member>')
    .description('change a member (by id or email) not managed by SCIM')
    .option('--name <full name>', 'full name')
    .option('--admin', 'make the member a workspace admin')
    .option('--no-admin', 'remove the admin role')
    .option('--deactivate', 'deactivate the member (removes it from every group)')
    .option('--activate', 'reactivate the member')
    .option('--json', 'print JSON')
    .action(
      workspaceAction(
        io,
        async (
          { admin, print, note },
          ref: string,
          options: { name?: string; admin?: boolean; deactivate?: boolean; activate?: boolean },
        ) => {
          const active = options.deactivate ? false : options.activate ? true : undefined;
          const before = await admin.member(ref);
          const member = await admin.editMember(ref, { name: options.name, admin: options.admin, active });
          note(memberEdit('updated', member, before, member));
          print(member, () => [`updated ${describeMember(member)}`]);
        },
      ),
    );

  members
    .command('remove <member>')
    .description('remove a member (by id or email) not managed by SCIM')
    .option('--json', 'print JSON')
    .action(
      workspaceAction(io, async ({ admin, print, note }, ref: string) => {
        const member = await admin.member(ref);
        await admin.removeMember(member.id);
        note(memberEdit('deleted', member, member, undefined));
        print({ removed: member.id }, () => [`removed ${member.email} (${member.id})`]);
      }),
    );
}
