// @vitest-environment stream-engine
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerPreviewCommand } from '../../../cli/preview/command';
import { DynamoConnectionDirectory } from '../../../shared/secrets/dynamo-connection-directory';
import { syncKeys } from '../../../shared/sync/sync-keys';
import { createBuiltinWorkspace } from '../../../shared/workspace/builtin/create-builtin-workspace';
import { flakyWorkspace } from '../../../shared/workspace/flaky-workspace';
import { capturedIo } from '../../support/captured-io';
import type { CapturedIo } from '../../support/captured-io';
import { itemsIn, testDb, uniqueConnectionId } from '../../support/db';
import { harness } from '../../shared/provisioning/scim-harness';

async function roster(...args: string[]): Promise<CapturedIo> {
  const io = capturedIo();
  const program = new Command('roster').exitOverride();
  registerPreviewCommand(program, io);
  await program.parseAsync(['node', 'roster', ...args]);
  return io;
}

/** One IdP user pushed while the workspace was down, whose email an unmanaged account has. */
async function connection(): Promise<{ connectionId: string; userId: string; memberId: string }> {
  const workspaceId = uniqueConnectionId('ws');
  const workspace = await createBuiltinWorkspace(testDb(), workspaceId);
  const account = await workspace.insertMember(
    { email: 'cli.user@example.com', name: 'Someone Else', admin: false },
    false,
  );
  const h = harness(flakyWorkspace(workspace, { failing: () => true }));
  const userId = await h.createUser('cli.user@example.com');
  await new DynamoConnectionDirectory().create({
    id: h.connection.id,
    settings: { requireSamlOnly: false, workspace: { kind: 'builtin', workspaceId } },
  });
  return { connectionId: h.connection.id, userId, memberId: account.memberId };
}

describe('roster preview', () => {
  it('prints per person what the next sync does, as text, JSON and CSV, and writes nothing', async () => {
    const { connectionId, userId, memberId } = await connection();

    const text = await roster('preview', '--connection', connectionId);
    expect(text.exitCode).toBe(0);
    expect(text.lines.join('\n')).toContain(
      `cli.user@example.com (user ${userId}, cli user): links by email to the existing account ${memberId}; name updated`,
    );

    const json = await roster('preview', '--connection', connectionId, '--json');
    const parsed = JSON.parse(json.lines.join('\n')) as { people: { link: unknown }[] };
    expect(parsed.people[0]?.link).toEqual({ status: 'link', memberId });

    const csv = await roster('preview', '--connection', connectionId, '--format', 'csv');
    expect(csv.lines[0]).toBe(
      'type,id,userName,email,name,action,why,workspaceId,deactivate,admin,gains,loses,kept,held',
    );
    expect(csv.lines[1]).toBe(
      `person,${userId},cli.user@example.com,cli.user@example.com,cli user,link,,${memberId},false,,,,,`,
    );
    expect(await itemsIn([syncKeys.runs(connectionId)])).toEqual([]);
  });

  it('refuses an unknown format or person with one line, and writes nothing', async () => {
    const { connectionId } = await connection();

    const format = await roster('preview', '--connection', connectionId, '--format', 'xml');
    expect(format.exitCode).toBe(1);
    expect(format.errors).toEqual(['roster: --format is text, json or csv']);

    const nobody = await roster('preview', '--connection', connectionId, '--user', 'nobody@example.com');
    expect(nobody.exitCode).toBe(1);
    expect(nobody.errors).toEqual(['roster: no IdP user nobody@example.com in this connection']);
    expect(await itemsIn([syncKeys.runs(connectionId)])).toEqual([]);
  });
});
