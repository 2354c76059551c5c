/**
 * `roster connection takeover show|set|approve`: what happens to the existing members of a
 * workspace group a pushed group links by name. `set hold|mirror` chooses the connection's policy;
 * `approve GROUP` lets the next sync revoke the members of that group the IdP does not list.
 */
import type { Command } from 'commander';
import { readRollout, updateRollout } from '../../shared/provisioning/rollout-store';
import { TAKEOVER_POLICIES } from '../../shared/provisioning/rollout-settings';
import type { TakeoverPolicy } from '../../shared/provisioning/rollout-settings';
import { profileOption, regionOption } from '../aws-options';
import { reportCliError } from '../cli-error';
import { SyncTargetError } from '../sync/sync-target';
import type { CliIo } from '../workspace/cli-io';
import { rolloutTarget } from './rollout-target';
import type { RolloutFlags } from './rollout-target';

/** The options every rollout settings command takes: the connection, and an environment. */
export function withRolloutTarget(command: Command): Command {
  return command
    .option('--connection <name>', 'connection id or name (default: the local instance’s connection)')
    .option('--env <name>', 'a deployed environment (its connections secret and table)')
    .option('--secret-id <id>', 'the connections secret (default: roster/<env>/connections)')
    .option('--function <name>', 'the full-sync function, for the table (default: roster-<env>-full-sync)')
    .addOption(regionOption())
    .addOption(profileOption());
}

function guarded<A extends unknown[]>(io: CliIo, body: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (error) {
      reportCliError(io, error, error instanceof SyncTargetError);
    }
  };
}

export function registerTakeoverCommands(connection: Command, io: CliIo): void {
  const takeover = connection
    .command('takeover')
    .description(
      'groups linked by name: keep their existing members until approved (hold) or mirror the IdP',
    );

  withRolloutTarget(takeover.command('show').description('the policy and the groups taken over by name'))
    .option('--json', 'print JSON')
    .action(
      guarded(io, async (flags: RolloutFlags & { json?: boolean }) => {
        const target = await rolloutTarget(flags);
        const settings = await readRollout(target.db, target.connection.id);
        if (flags.json) {
          io.out(JSON.stringify({ policy: settings.takeover, takeovers: settings.takeovers }, null, 2));
          return;
        }
        io.out(`takeover policy of ${target.connection.id}: ${settings.takeover}`);
        const entries = Object.entries(settings.takeovers);
        if (entries.length === 0) io.out('no group was linked by name');
        for (const [groupId, t] of entries) {
          const group = await target.store.getGroup(target.connection.id, groupId);
          io.out(
            `  ${group?.displayName ?? '(deleted)'} (group ${groupId} → ${t.workspaceGroupId}): linked ${t.linkedAt}, ${
              t.approvedAt ? `approved ${t.approvedAt}` : 'held: waiting for approval'
            }`,
          );
        }
      }),
    );

  withRolloutTarget(
    takeover
      .command('set <policy>')
      .description('hold (default): keep members the IdP does not list until approved; mirror: revoke them'),
  ).action(
    guarded(io, async (policy: string, flags: RolloutFlags) => {
      if (!TAKEOVER_POLICIES.includes(policy as TakeoverPolicy))
        throw new SyncTargetError(`the takeover policy is ${TAKEOVER_POLICIES.join(' or ')}, not ${policy}`);
      const target = await rolloutTarget(flags);
      await updateRollout(target.db, target.connection.id, (s) => ({
        ...s,
        takeover: policy as TakeoverPolicy,
      }));
      io.out(`takeover policy of ${target.connection.id}: ${policy}`);
    }),
  );

  withRolloutTarget(
    takeover
      .command('approve <group>')
      .description(
        'approve the takeover of a group (IdP group id or displayName): the next sync revokes the members the IdP does not list',
      ),
  ).action(
    guarded(io, async (ref: string, flags: RolloutFlags) => {
      const target = await rolloutTarget(flags);
      const connectionId = target.connection.id;
      const group =
        (await target.store.getGroup(connectionId, ref)) ??
        (await target.store.findGroupByDisplayName(connectionId, ref));
      if (!group) throw new SyncTargetError(`no IdP group ${ref} in connection ${connectionId}`);
      const now = new Date().toISOString();
      await updateRollout(target.db, connectionId, (s) => {
        const taken = s.takeovers[group.id];
        if (!taken)
          throw new SyncTargetError(
            `group ${group.id} was not linked by name: there is no takeover to approve (see \`roster connection takeover show\`)`,
          );
        if (taken.approvedAt)
          throw new SyncTargetError(`the takeover of group ${group.id} is approved already`);
        return { ...s, takeovers: { ...s.takeovers, [group.id]: { ...taken, approvedAt: now } } };
      });
      io.out(
        `approved the takeover of ${group.displayName} (group ${group.id}): the next sync revokes the members the IdP does not list (\`roster preview\` shows who; the circuit breaker still counts them)`,
      );
    }),
  );
}
