/**
 * `roster unlink user|group ID [--delete-in-workspace]`: hand an IdP-owned account or group back to
 * the workspace (or delete it there), as Okta's "Unlink pushed group" offers. ID is the IdP's id,
 * the userName or displayName, or the workspace object's id.
 */
import type { Command } from 'commander';
import { UnlinkError, unlink } from '../../shared/provisioning/unlink';
import { CapabilityMissingError } from '../../shared/workspace/workspace-error';
import { reportCliError } from '../cli-error';
import { rolloutTarget } from '../connection/rollout-target';
import type { RolloutFlags } from '../connection/rollout-target';
import { withRolloutTarget } from '../connection/takeover-command';
import { SyncTargetError } from '../sync/sync-target';
import type { CliIo } from '../workspace/cli-io';
import { processIo } from '../workspace/cli-io';

export function registerUnlinkCommand(program: Command, io: CliIo = processIo()): void {
  withRolloutTarget(
    program
      .command('unlink <kind> <id>')
      .description(
        'hand an IdP-owned user (account) or group back to the workspace: the link is removed and later IdP writes for it do not touch the workspace',
      )
      .option(
        '--delete-in-workspace',
        'delete the account or group in the workspace instead of leaving it there',
      ),
  ).action(async (kind: string, id: string, flags: RolloutFlags & { deleteInWorkspace?: boolean }) => {
    try {
      if (kind !== 'user' && kind !== 'group')
        throw new SyncTargetError(`unlink a user or a group, not ${kind}`);
      const target = await rolloutTarget(flags);
      const result = await unlink(
        {
          db: target.db,
          store: target.store,
          connector: target.connector,
          connectionId: target.connection.id,
        },
        kind,
        id,
        { deleteInWorkspace: flags.deleteInWorkspace === true },
      );
      const object = `${result.kind} ${result.label} (${result.id} → ${result.workspaceId})`;
      io.out(
        result.outcome === 'deleted'
          ? `unlinked ${object}: deleted in the workspace; the IdP's later writes for it change nothing there`
          : `unlinked ${object}: left in the workspace and no longer managed by the IdP${
              result.markCleared ? '' : ' (the workspace keeps its own IdP mark: its adapter cannot clear it)'
            }`,
      );
    } catch (error) {
      reportCliError(
        io,
        error,
        error instanceof SyncTargetError ||
          error instanceof UnlinkError ||
          error instanceof CapabilityMissingError,
      );
    }
  });
}
