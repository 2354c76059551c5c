// @vitest-environment stream-engine
/**
 * `roster status` and the "Access not removed" section of `roster sync report`: the open access
 * incidents of each connection, read from the table, with exit status 2 while any is open. The
 * file has a table of its own so that "every connection" means the connections it made.
 */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerStatusCommand } from '../../../cli/status/command';
import { registerSyncCommands } from '../../../cli/sync/command';
import type { CliIo } from '../../../cli/workspace/cli-io';
import { CapabilityMissingError } from '../../../shared/workspace/workspace-error';
import { useOwnTable } from '../../support/own-table';
import { mockDeployedEnvironment } from '../../support/deployed-environment';
import type { AccessWorld } from '../../shared/provisioning/access-world';
import { accessWorld, registerConnection } from '../../shared/provisioning/access-world';
import { deactivate } from '../../shared/provisioning/scim-harness';

beforeAll(async () => {
  await useOwnTable('status');
});

function captured(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (line) => lines.push(line), err: (line) => errors.push(line), exitCode: 0 };
}

async function roster(...args: string[]): Promise<ReturnType<typeof captured> & { help: string }> {
  const io = captured();
  let help = '';
  const program = new Command('roster').exitOverride().configureOutput({
    writeOut: (text) => {
      help += text;
    },
  });
  registerSyncCommands(program, io);
  registerStatusCommand(program, io);
  try {
    await program.parseAsync(['node', 'roster', ...args]);
  } catch (error) {
    // --help ends through exitOverride.
    if (!(error instanceof Error) || !('code' in error) || error.code !== 'commander.helpDisplayed')
      throw error;
  }
  return { ...io, help };
}

/** A connection, in the directory, whose one user's deactivation the workspace cannot apply. */
async function connectionWithIncident(): Promise<{ world: AccessWorld; userId: string; memberId: string }> {
  const world = await accessWorld({
    deactivateMember: () => new CapabilityMissingError('deactivateMember', 'not in this test workspace'),
  });
  const userId = await world.h.createUser('lee.ma@example.com');
  const memberId = await world.memberOf(userId);
  await world.h.call('PATCH', `/Users/${userId}`, deactivate);
  await registerConnection(world);
  return { world, userId, memberId };
}

describe('roster status', () => {
  it('lists the open incidents of a connection and exits 2; a connection with none exits 0', async () => {
    const { world, userId, memberId } = await connectionWithIncident();

    const out = await roster('status', '--connection', world.connectionId);

    expect(out.exitCode).toBe(2);
    expect(out.lines[0]).toBe(
      `connection ${world.connectionId}: 1 access incident(s) open, 1 resource(s) not yet applied (pending or failed)`,
    );
    expect(out.lines[1]).toBe('Access not removed (1 open)');
    expect(out.lines[2]).toMatch(/^object\s+change\s+since\s+attempts\s+error$/);
    expect(out.lines[3]).toMatch(
      new RegExp(
        `^member ${memberId} \\(user ${userId}\\)\\s+deactivateMember\\s+\\d{4}-\\d\\d-\\d\\dT\\S+\\s+1\\s+unsupported: workspace cannot deactivateMember: not in this test workspace$`,
      ),
    );
    expect(out.lines.join('\n')).not.toMatch(/@/);

    const json = await roster('status', '--connection', world.connectionId, '--json');
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.lines.join('\n'))).toEqual({
      connections: [
        {
          connectionId: world.connectionId,
          notApplied: 1,
          held: 0,
          accessNotRemoved: [
            expect.objectContaining({
              kind: 'member',
              memberId,
              userId,
              change: 'deactivateMember',
              attempts: 1,
            }),
          ],
        },
      ],
    });

    const clean = await accessWorld({});
    await registerConnection(clean);
    const none = await roster('status', '--connection', clean.connectionId);
    expect(none.exitCode).toBe(0);
    expect(none.lines).toEqual([
      `connection ${clean.connectionId}: 0 access incident(s) open, 0 resource(s) not yet applied (pending or failed)`,
    ]);

    // Every connection by default: exit 2 while any of them has an incident open.
    const all = await roster('status', '--json');
    const ids = (
      JSON.parse(all.lines.join('\n')) as { connections: { connectionId: string }[] }
    ).connections.map((c) => c.connectionId);
    expect(ids).toEqual(expect.arrayContaining([world.connectionId, clean.connectionId]));
    expect(all.exitCode).toBe(2);
  });

  it('documents its exit status in --help', async () => {
    const out = await roster('status', '--help');
    expect(out.help).toMatch(/Exit status:/);
    expect(out.help).toMatch(/2 {2}at least one access incident is open/);
  });

  it('refuses an unknown connection with exit 1', async () => {
    const out = await roster('status', '--connection', 'no-such-connection');
    expect(out.exitCode).toBe(1);
    expect(out.errors[0]).toBe('roster: no connection no-such-connection');
  });

  describe('against a deployed environment (--env)', () => {
    const { lambda, secrets, serve } = mockDeployedEnvironment();

    it("reads the environment's table, and its connections secret for every connection", async () => {
      const { world } = await connectionWithIncident();
      serve('staging', [
        {
          id: world.connectionId,
          tokens: [],
          settings: { requireSamlOnly: true, workspace: { kind: 'mode', secretId: 's' } },
        },
      ]);

      const out = await roster('status', '--env', 'staging', '--region', 'eu-west-1');

      expect(out.errors).toEqual([]);
      expect(out.exitCode).toBe(2);
      expect(out.lines[0]).toMatch(
        new RegExp(`^connection ${world.connectionId}: 1 access incident\\(s\\) open`),
      );
      expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(1);
      expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    });
  });
});

describe('roster sync report', () => {
  it('lists the open incidents under their own heading, and in the JSON export', async () => {
    const { world, memberId } = await connectionWithIncident();
    // A run whose deactivation fails again: the incident stays open.
    const run = await world.run();
    expect(run.access).toEqual({ recorded: 1, resolved: 0, open: 1 });

    const report = await roster('sync', '--connection', world.connectionId, 'report');

    const lines = report.lines;
    expect(lines).toContain(
      'access not removed: 1 incident(s) open when the run ended (1 recorded, 0 resolved by this run)',
    );
    const heading = lines.indexOf('Access not removed (1 open)');
    expect(heading).toBeGreaterThan(lines.findIndex((line) => line.startsWith('change  ')));
    expect(lines[heading + 2]).toMatch(
      new RegExp(`^member ${memberId} \\(user \\S+\\)\\s+deactivateMember\\s+\\S+\\s+2\\s+unsupported: `),
    );

    const json = await roster('sync', '--connection', world.connectionId, 'report', '--json');
    const parsed = JSON.parse(json.lines.join('\n')) as {
      run: { access: unknown };
      accessNotRemoved: { memberId: string; attempts: number }[];
    };
    expect(parsed.run.access).toEqual({ recorded: 1, resolved: 0, open: 1 });
    expect(parsed.accessNotRemoved).toEqual([expect.objectContaining({ memberId, attempts: 2 })]);
  });
});
