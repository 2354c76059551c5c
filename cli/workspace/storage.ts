/**
 * `roster workspace migrate-grants`: moves the built-in workspace's grants from the single
 * partition of releases up to 0.10.0 to one partition per group, now and to the end (the full sync
 * does the same, two minutes per run: docs/storage.md). Safe to run at any time and again: a
 * migrated workspace answers at once.
 */
import type { Command } from 'commander';
import { workspaceAction } from './action';
import type { CliIo } from './cli-io';

export function registerStorageCommands(workspace: Command, io: CliIo): void {
  workspace
    .command('migrate-grants')
    .description("move the workspace's grants to one partition per group (releases up to 0.10.0 kept one)")
    .option('--json', 'print JSON')
    .action(
      workspaceAction(io, async ({ admin, print }) => {
        const result = await admin.workspace.migrateGrants();
        print(result, () => [
          `moved ${result.moved} grants (${result.gone} revoked meanwhile, nothing to move)`,
          result.complete
            ? 'every grant is in its group’s partition (grantsLayout 2)'
            : result.unreadable > 0
              ? `not finished: ${result.unreadable} old items have no group or member id and were left where they are`
              : 'not finished: grants kept appearing in the old partition (is a release up to 0.10.0 still running?); run it again',
        ]);
        if (!result.complete) io.exitCode = 1;
      }),
    );
}
