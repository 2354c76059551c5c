/**
 * `roster connection pilot show|set|clear`: limit a connection to a few users and groups while it is
 * tried out. Everything outside is stored but not applied; widening (or clearing) the scope applies
 * what was held back at the next sync.
 */
import type { Command } from 'commander';
import { readRollout, updateRollout } from '../../shared/provisioning/rollout-store';
import type { PilotScope } from '../../shared/provisioning/rollout-settings';
import { SyncTargetError } from '../sync/sync-target';
import type { CliIo } from '../workspace/cli-io';
import { reportCliError } from '../cli-error';
import { rolloutTarget } from './rollout-target';
import type { RolloutFlags } from './rollout-target';
import { withRolloutTarget } from './takeover-command';

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

function scopeLines(connectionId: string, pilot: PilotScope | undefined): string[] {
  if (!pilot) return [`connection ${connectionId} has no pilot scope: every user and group is applied`];
  return [
    `pilot scope of ${connectionId}: only these are applied; the rest is held back`,
    `  users:  ${pilot.users.join(', ') || '(none)'}`,
    `  groups: ${pilot.groups.join(', ') || '(none)'}`,
  ];
}

export function registerPilotCommands(connection: Command, io: CliIo): void {
  const pilot = connection
    .command('pilot')
    .description(
      'limit the connection to a few users and groups (by userName, externalId, displayName or id)',
    );
  const run =
    <A extends unknown[]>(body: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      try {
        await body(...args);
      } catch (error) {
        reportCliError(io, error, error instanceof SyncTargetError);
      }
    };

  withRolloutTarget(pilot.command('show').description('the pilot scope'))
    .option('--json', 'print JSON')
    .action(
      run(async (flags: RolloutFlags & { json?: boolean }) => {
        const target = await rolloutTarget(flags);
        const { pilot: scope } = await readRollout(target.db, target.connection.id);
        if (flags.json) io.out(JSON.stringify({ pilot: scope ?? null }, null, 2));
        else for (const line of scopeLines(target.connection.id, scope)) io.out(line);
      }),
    );

  withRolloutTarget(
    pilot
      .command('set')
      .description('set the scope (replaces it); --add widens the one set')
      .option('--users <list>', 'comma-separated userNames, externalIds or ids')
      .option('--groups <list>', 'comma-separated displayNames, externalIds or ids')
      .option('--add', 'add to the current scope instead of replacing it'),
  ).action(
    run(async (flags: RolloutFlags & { users?: string; groups?: string; add?: boolean }) => {
      const users = list(flags.users);
      const groups = list(flags.groups);
      if (users.length === 0 && groups.length === 0)
        throw new SyncTargetError(
          'name at least one user (--users) or group (--groups); `clear` removes the scope',
        );
      const target = await rolloutTarget(flags);
      const written = await updateRollout(target.db, target.connection.id, (s) => {
        const base = flags.add ? (s.pilot ?? { users: [], groups: [] }) : { users: [], groups: [] };
        return {
          ...s,
          pilot: {
            users: [...new Set([...base.users, ...users])],
            groups: [...new Set([...base.groups, ...groups])],
          },
        };
      });
      for (const line of scopeLines(target.connection.id, written.pilot)) io.out(line);
      io.out(
        'what the scope now takes in is applied at the next sync (`roster sync`; `roster preview` shows it first)',
      );
    }),
  );

  withRolloutTarget(
    pilot.command('clear').description('remove the scope: everything is applied at the next sync'),
  ).action(
    run(async (flags: RolloutFlags) => {
      const target = await rolloutTarget(flags);
      await updateRollout(target.db, target.connection.id, (s) => {
        const { pilot: _removed, ...rest } = s;
        return rest;
      });
      io.out(
        `pilot scope of ${target.connection.id} cleared: everything is applied at the next sync (\`roster sync\`)`,
      );
    }),
  );
}
