// @vitest-environment stream-engine
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { DRY_RUN_WOULD_BE_REFUSED, registerSyncCommands } from '../../../cli/sync/command';
import type { CliIo } from '../../../cli/workspace/cli-io';
import { DynamoConnectionDirectory } from '../../../shared/secrets/dynamo-connection-directory';
import { createBuiltinWorkspace } from '../../../shared/workspace/builtin/create-builtin-workspace';
import { flakyWorkspace } from '../../../shared/workspace/flaky-workspace';
import { testDb, uniqueConnectionId } from '../../support/db';
import { harness } from '../../shared/provisioning/scim-harness';

function captured(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (line) => lines.push(line), err: (line) => errors.push(line), exitCode: 0 };
}

async function roster(...args: string[]): Promise<ReturnType<typeof captured>> {
  const io = captured();
  const program = new Command('roster').exitOverride();
  registerSyncCommands(program, io);
  await program.parseAsync(['node', 'roster', ...args]);
  return io;
}

/** A connection whose one user was created while the workspace was down: one sync provisions it. */
async function connectionWithPendingUser(): Promise<string> {
  return (await connectionAndWorkspace()).connectionId;
}

async function connectionAndWorkspace() {
  const workspaceId = uniqueConnectionId('ws');
  const workspace = await createBuiltinWorkspace(testDb(), workspaceId);
  await workspace.insertMember({ email: 'owner@example.com', name: 'Work Space', admin: true }, false);
  const h = harness(flakyWorkspace(workspace, { failing: () => true }));
  await h.createUser('cli.user@example.com');
  await new DynamoConnectionDirectory().create({
    id: h.connection.id,
    settings: { requireSamlOnly: false, workspace: { kind: 'builtin', workspaceId } },
  });
  return { connectionId: h.connection.id, workspace };
}

describe('roster sync', () => {
  it('runs a dry run, then a sync, with progress on stderr and a summary table', async () => {
    const connectionId = await connectionWithPendingUser();

    const dry = await roster('sync', '--connection', connectionId, '--dry-run', '--json');
    const dryRun = JSON.parse(dry.lines.join('\n')) as { dryRun: boolean; changeCount: number };
    expect(dryRun).toMatchObject({ dryRun: true, changeCount: 2 });
    expect(dry.errors.some((line) => line.startsWith('read: members'))).toBe(true);

    const real = await roster('sync', '--connection', connectionId);
    expect(real.exitCode).toBe(0);
    expect(real.lines[0]).toMatch(/completed$/);
    expect(real.lines).toContainEqual(expect.stringMatching(/^provisionMember\s+1\s+1\s+0$/));
    expect(real.lines).toContainEqual(expect.stringMatching(/^total\s+2\s+2\s+0$/));
  });

  it('reports the last run with its changes, and exports the access snapshot as CSV', async () => {
    const connectionId = await connectionWithPendingUser();
    await roster('sync', '--connection', connectionId);

    const report = await roster('sync', '--connection', connectionId, 'report');
    expect(report.lines.join('\n')).toMatch(
      /provisionMember\s+user \S+ → \(new member\) \(cli\.user@example\.com\)\s+no workspace account has this email\s+applied/,
    );

    const json = await roster('sync', '--connection', connectionId, 'report', '--json');
    const parsed = JSON.parse(json.lines.join('\n')) as {
      changes: { kind: string; label?: string }[];
      observations: unknown[];
    };
    expect(parsed.changes).toHaveLength(2);
    expect(parsed.changes.find((c) => c.kind === 'provisionMember')?.label).toBe('cli.user@example.com');
    expect(parsed.observations).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'everyoneGroup' })]),
    );

    const csv = await roster('sync', '--connection', connectionId, 'export');
    expect(csv.lines[0]).toBe(
      'memberId,email,name,state,managedByScim,entitlementKind,entitlementId,entitlementName,via,viaName,resourceKind,resourceId,action',
    );
    // The built-in workspace has no resource permissions: the permission columns stay empty.
    expect(csv.lines).toContainEqual(
      expect.stringMatching(/,owner@example\.com,Work Space,active,false,role,admin,admin,,,,,$/),
    );
    expect(csv.lines).toContainEqual(
      expect.stringMatching(/,cli\.user@example\.com,cli user,active,true,group,everyone,Everyone,,,,,$/),
    );

    const byGroup = await roster('sync', '--connection', connectionId, 'export', '--by', 'group');
    expect(byGroup.lines).toEqual([
      'groupId,groupName,everyone,listed,members,entitlementKind,entitlementId,entitlementName,resourceKind,resourceId,action',
      'everyone,Everyone,true,true,2,,,,,,',
    ]);
    const wrong = await roster('sync', '--connection', connectionId, 'export', '--by', 'resource');
    expect(wrong.exitCode).toBe(1);
    expect(wrong.errors[0]).toMatch(/--by is member or group/);
  });

  it('a dry run that a real run would refuse says so and exits 3; the table keeps its links', async () => {
    const { connectionId, workspace } = await connectionAndWorkspace();
    expect((await roster('sync', '--connection', connectionId)).exitCode).toBe(0);
    // The workspace now reads empty: a real run would deprovision everyone, so it would be refused.
    for (const member of (await workspace.readMembers()).items) await workspace.deleteMember(member.id);

    const dry = await roster('sync', '--connection', connectionId, '--dry-run');
    expect(dry.exitCode).toBe(DRY_RUN_WOULD_BE_REFUSED);
    expect(dry.lines).toContainEqual(expect.stringMatching(/^circuit breaker: emptyRead/));
    expect(dry.lines).toContainEqual(
      expect.stringMatching(/^a real run would be REFUSED by the circuit breaker/),
    );
    expect(dry.lines[0]).toMatch(/completed \(dry run\)$/);
  });

  it('lists the runs newest first, dry runs marked, and refuses a bad --limit', async () => {
    const connectionId = await connectionWithPendingUser();
    await roster('sync', '--connection', connectionId, '--dry-run');
    await roster('sync', '--connection', connectionId);
    const runs = await roster('sync', '--connection', connectionId, 'runs');
    expect(runs.exitCode).toBe(0);
    expect(runs.lines).toHaveLength(2);
    expect(runs.lines[0]).toMatch(/ {2}completed {2}[\d.]+ s {2}planned 2, applied 2, failed 0$/);
    expect(runs.lines[1]).toMatch(/completed \(dry run\).*planned 2, applied 0, failed 0$/);
    const json = JSON.parse(
      (await roster('sync', '--connection', connectionId, 'runs', '--limit', '1', '--json')).lines.join('\n'),
    ) as { runId: string }[];
    expect(json).toHaveLength(1);
    expect(runs.lines[0]?.startsWith(json[0]?.runId ?? '?')).toBe(true);
    const bad = await roster('sync', '--connection', connectionId, 'runs', '--limit', '0');
    expect(bad.exitCode).toBe(1);
    expect(bad.errors[0]).toMatch(/--limit is a whole number from 1 to 500/);
  });

  it('refuses to approve a run that was not refused', async () => {
    const connectionId = await connectionWithPendingUser();
    await roster('sync', '--connection', connectionId);
    const report = await roster('sync', '--connection', connectionId, 'report', '--json');
    const runId = (JSON.parse(report.lines.join('\n')) as { run: { runId: string } }).run.runId;

    const out = await roster('sync', '--connection', connectionId, 'approve', runId);

    expect(out.exitCode).toBe(1);
    expect(out.errors[0]).toMatch(/was not refused by the circuit breaker/);
  });

  describe('against a deployed environment (--env)', () => {
    const lambda = mockClient(LambdaClient);
    afterEach(() => lambda.reset());

    it('reads the report from the table named in the full-sync function, for the connection given', async () => {
      const connectionId = await connectionWithPendingUser();
      await roster('sync', '--connection', connectionId);
      const local = JSON.parse(
        (await roster('sync', '--connection', connectionId, 'report', '--json')).lines.join('\n'),
      ) as {
        run: { runId: string };
      };
      lambda
        .on(GetFunctionConfigurationCommand, { FunctionName: 'roster-staging-full-sync' })
        .resolves({ Environment: { Variables: { ROSTER_TABLE: testDb().table } } });

      const deployed = await roster(
        'sync',
        '--env',
        'staging',
        '--connection',
        connectionId,
        'report',
        '--json',
      );

      expect(deployed.exitCode).toBe(0);
      const parsed = JSON.parse(deployed.lines.join('\n')) as { run: { runId: string }; changes: unknown[] };
      expect(parsed.run.runId).toBe(local.run.runId);
      expect(parsed.changes).toHaveLength(2);
      expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(1);
    });

    it('needs --connection, explains an unreadable function, and does not export', async () => {
      const noConnection = await roster('sync', '--env', 'staging', 'report');
      expect(noConnection.exitCode).toBe(1);
      expect(noConnection.errors[0]).toMatch(/--connection is needed with --env/);

      lambda
        .on(GetFunctionConfigurationCommand)
        .rejects(Object.assign(new Error('nope'), { name: 'AccessDeniedException' }));
      const denied = await roster('sync', '--env', 'staging', '--connection', 'default', 'report');
      expect(denied.exitCode).toBe(1);
      expect(denied.errors[0]).toMatch(
        /could not read the configuration of roster-staging-full-sync: AWS refused the call \(AccessDeniedException\)/,
      );

      const exported = await roster('sync', '--env', 'staging', 'export');
      expect(exported.exitCode).toBe(1);
      expect(exported.errors[0]).toMatch(/runs against the local instance only/);
      expect(exported.lines).toEqual([]);
    });
  });
});
