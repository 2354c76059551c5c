import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../cli/main';
import type { CliIo } from '../../../cli/workspace/cli-io';
import { createBuiltinWorkspace } from '../../../shared/workspace/builtin/create-builtin-workspace';
import type { BuiltinWorkspace } from '../../../shared/workspace/builtin/builtin-workspace';
import { noteEntriesOf, noteItems } from '../../support/audit-notes';
import { testDb, uniqueConnectionId } from '../../support/db';
import { registerConnection } from '../../shared/provisioning/access-world';

interface Run {
  out: string[];
  err: string[];
  exitCode: number;
}

async function setup(): Promise<{
  workspaceId: string;
  workspace: BuiltinWorkspace;
  roster: (...args: string[]) => Promise<Run>;
}> {
  const workspaceId = uniqueConnectionId('w');
  const workspace = await createBuiltinWorkspace(testDb(), workspaceId);
  const target = [
    '--endpoint',
    process.env.DYNAMODB_ENDPOINT ?? '',
    '--table',
    process.env.ROSTER_TABLE ?? '',
    '--workspace',
    workspaceId,
  ];
  const roster = async (...args: string[]) => {
    const captured: Run = { out: [], err: [], exitCode: 0 };
    const io: CliIo = {
      out: (line) => captured.out.push(line),
      err: (line) => captured.err.push(line),
      exitCode: 0,
    };
    const program = (await buildProgram(io)).exitOverride();
    const [family, ...rest] = args;
    await program.parseAsync(['workspace', ...target, family ?? '', ...rest], { from: 'user' });
    captured.exitCode = io.exitCode;
    return captured;
  };
  return { workspaceId, workspace, roster };
}

describe('roster workspace', () => {
  it('adds, lists, edits and removes members, with --json', async () => {
    const { roster } = await setup();

    const added = await roster(
      'members',
      'add',
      'ada@example.com',
      '--name',
      'Ada Lovelace',
      '--admin',
      '--json',
    );
    expect(added.exitCode).toBe(0);
    const member = JSON.parse(added.out.join('\n')) as { id: string; admin: boolean; state: string };
    expect(member).toMatchObject({ admin: true, state: 'active' });

    const listed = await roster('members', 'list');
    expect(listed.out[0]).toMatch(/^ID\s+EMAIL\s+NAME/);
    expect(listed.out.some((line) => line.includes('ada@example.com') && line.includes('Ada Lovelace'))).toBe(
      true,
    );

    const edited = await roster('members', 'edit', 'ADA@example.com', '--no-admin', '--deactivate', '--json');
    expect(JSON.parse(edited.out.join('\n'))).toMatchObject({
      id: member.id,
      admin: false,
      state: 'deactivated',
    });

    const removed = await roster('members', 'remove', member.id);
    expect(removed.out).toEqual([`removed ada@example.com (${member.id})`]);
    const after = await roster('members', 'list', '--json');
    expect(JSON.parse(after.out.join('\n'))).toEqual([]);
  });

  it('refuses a duplicate email with exit code 1', async () => {
    const { roster } = await setup();
    await roster('members', 'add', 'ada@example.com', '--name', 'Ada Lovelace');
    const again = await roster('members', 'add', 'Ada@Example.com', '--name', 'Other');
    expect(again.exitCode).toBe(1);
    expect(again.err.join('\n')).toContain('exists already');
  });

  it('manages groups and grants by name and email', async () => {
    const { roster } = await setup();
    await roster('members', 'add', 'ada@example.com', '--name', 'Ada Lovelace');
    await roster('groups', 'add', 'Engineering');

    expect((await roster('groups', 'grant', 'engineering', 'ada@example.com')).exitCode).toBe(0);
    const members = await roster('groups', 'members', 'Engineering', '--json');
    expect(JSON.parse(members.out.join('\n'))).toHaveLength(1);

    await roster('groups', 'rename', 'Engineering', 'Platform');
    const listed = await roster('groups', 'list', '--json');
    const names = (JSON.parse(listed.out.join('\n')) as { name: string }[]).map((group) => group.name);
    expect(names.sort()).toEqual(['Everyone', 'Platform']);

    await roster('groups', 'revoke', 'Platform', 'ada@example.com');
    expect(JSON.parse((await roster('groups', 'members', 'Platform', '--json')).out.join('\n'))).toEqual([]);
    expect((await roster('groups', 'remove', 'Platform')).exitCode).toBe(0);
    expect((await roster('groups', 'list', '--json')).out.join('\n')).not.toContain('Platform');
  });

  it('refuses edits of SCIM-managed members and groups, saying the identity provider owns them', async () => {
    const { workspace, roster } = await setup();
    const bob = await workspace.insertMember(
      { email: 'bob@example.com', name: 'Bob Smith', admin: false },
      true,
    );
    const group = await workspace.insertGroup('Pushed', true);

    for (const args of [
      ['members', 'edit', 'bob@example.com', '--admin'],
      ['members', 'remove', 'bob@example.com'],
      ['groups', 'rename', 'Pushed', 'Renamed'],
      ['groups', 'remove', 'Pushed'],
    ]) {
      const run = await roster(...args);
      expect(run.exitCode).toBe(1);
      expect(run.err.join('\n')).toContain('managed by the identity provider');
    }
    expect(await workspace.getMember(bob.memberId)).toMatchObject({ admin: false, state: 'active' });
    expect((await workspace.getGroup(group.groupId))?.name).toBe('Pushed');
  });

  it('shows and sets sign-in, refusing to turn off the last method', async () => {
    const { roster } = await setup();
    const set = await roster(
      'signin',
      'set',
      '--saml',
      'on',
      '--saml-acs-url',
      'https://app.example.com/sso/saml/consume',
      '--saml-entity-id',
      'urn:example:idp',
      '--saml-provider-token',
      'p123',
      '--password',
      'off',
      '--json',
    );
    expect(set.exitCode).toBe(0);
    expect(JSON.parse(set.out.join('\n'))).toMatchObject({ password: false, saml: true });

    const refused = await roster('signin', 'set', '--saml', 'off');
    expect(refused.exitCode).toBe(1);
    expect(refused.err.join('\n')).toContain('last enabled sign-in method');

    const shown = await roster('signin', 'show');
    expect(shown.out).toContain('saml      on');
    expect(shown.out).toContain('password  off');
  });

  it('reports a missing workspace with exit code 1', async () => {
    const io: CliIo = { out: () => {}, err: () => {}, exitCode: 0 };
    const errors: string[] = [];
    io.err = (line) => errors.push(line);
    await (
      await buildProgram(io)
    ).parseAsync(
      [
        'workspace',
        '--endpoint',
        process.env.DYNAMODB_ENDPOINT ?? '',
        '--table',
        process.env.ROSTER_TABLE ?? '',
        '--workspace',
        uniqueConnectionId('absent'),
        'members',
        'list',
      ],
      { from: 'user' },
    );
    expect(io.exitCode).toBe(1);
    expect(errors.join('\n')).toContain('no built-in workspace');
  });

  it('notes every edit in the audit trail of each connection bound to the workspace, by the operator with the command', async () => {
    const { workspaceId, roster } = await setup();
    const bound = [uniqueConnectionId('wa'), uniqueConnectionId('wb')];
    const elsewhere = uniqueConnectionId('wc');
    for (const id of bound) await registerConnection({ connectionId: id, workspace: { workspaceId } });
    await registerConnection({
      connectionId: elsewhere,
      workspace: { workspaceId: uniqueConnectionId('w') },
    });

    const added = await roster('members', 'add', 'eve@example.com', '--name', 'Eve Ops', '--json');
    const memberId = (JSON.parse(added.out.join('\n')) as { id: string }).id;
    await roster('members', 'edit', memberId, '--admin');
    await roster('groups', 'add', 'Hand-made');
    await roster('groups', 'grant', 'Hand-made', 'eve@example.com');
    await roster('groups', 'revoke', 'Hand-made', 'eve@example.com');
    await roster(
      'signin',
      'set',
      '--saml-acs-url',
      'https://idp.example/acs',
      '--saml-entity-id',
      'e1',
      '--saml-provider-token',
      'provider-s3cret-token',
    );
    // A refused edit changes nothing and notes nothing.
    const refused = await roster('members', 'edit', 'nobody@example.com', '--admin');
    expect(refused.exitCode).toBe(1);
    // Reads note nothing.
    await roster('members', 'list');

    const db = testDb();
    for (const id of bound) {
      const entries = await noteEntriesOf(db, id);
      expect(entries.map((e) => [e.type, e.actor, e.ref, e.action, e.object.kind])).toEqual([
        ['Roster Workspace Changed', 'operator', 'roster workspace members add', 'created', 'Member'],
        ['Roster Workspace Changed', 'operator', 'roster workspace members edit', 'updated', 'Member'],
        ['Roster Workspace Changed', 'operator', 'roster workspace groups add', 'created', 'WorkspaceGroup'],
        [
          'Roster Workspace Changed',
          'operator',
          'roster workspace groups grant',
          'updated',
          'WorkspaceGroup',
        ],
        [
          'Roster Workspace Changed',
          'operator',
          'roster workspace groups revoke',
          'updated',
          'WorkspaceGroup',
        ],
        ['Roster Workspace Changed', 'operator', 'roster workspace signin set', 'updated', 'SignIn'],
      ]);
      expect(entries[1]?.changes).toEqual([{ attribute: 'admin', before: false, after: true }]);
      expect(entries[3]?.changes).toEqual([{ attribute: 'memberId', after: memberId }]);
      expect(entries[4]?.changes).toEqual([{ attribute: 'memberId', before: memberId }]);
      expect(entries[5]?.changes).toContainEqual({
        attribute: 'samlProviders',
        before: [],
        after: [{ acsUrl: 'https://idp.example/acs', entityId: 'e1' }],
      });
      // The SAML provider's token is a secret: never in a note.
      expect(JSON.stringify(await noteItems(db, id))).not.toContain('provider-s3cret-token');
    }
    expect(await noteItems(db, elsewhere)).toEqual([]);
  });
});
