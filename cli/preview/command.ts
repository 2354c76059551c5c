/**
 * `roster preview`: what turning provisioning on (or the next sync) does to each person and group,
 * from the full sync's own plan. Reads only: nothing is written, not even a run record.
 */
import type { Command } from 'commander';
import { csvLine } from '../../shared/sync/access-snapshot';
import { previewOf } from '../../shared/sync/preview';
import type { Preview } from '../../shared/sync/preview';
import { readAndPlanSync } from '../../shared/sync/read-and-plan';
import { profileOption, regionOption } from '../aws-options';
import { reportCliError } from '../cli-error';
import { rolloutTarget } from '../connection/rollout-target';
import type { RolloutFlags, RolloutTarget } from '../connection/rollout-target';
import type { ConnectorFactory } from '../connection/connection-target';
import { connectorOf } from '../connection/connection-target';
import { SyncTargetError } from '../sync/sync-target';
import type { CliIo } from '../workspace/cli-io';
import { processIo } from '../workspace/cli-io';
import { PREVIEW_COLUMNS, previewLines, previewRows } from './preview-lines';

interface PreviewFlags extends RolloutFlags {
  json?: boolean;
  format?: string;
  user?: string;
}

export function registerPreviewCommand(
  program: Command,
  io: CliIo = processIo(),
  connectorFor: ConnectorFactory = connectorOf,
): void {
  program
    .command('preview')
    .description(
      'what the next sync (or turning provisioning on) does to each person and group: links, accounts, deactivations, groups and admin gained or lost, what is held',
    )
    .option('--connection <name>', 'connection id or name (default: the local instance’s connection)')
    .option('--user <who>', 'only this person (user id, userName or email)')
    .option('--json', 'print JSON (same as --format json)')
    .option('--format <format>', 'text, json or csv', 'text')
    .option('--env <name>', 'a deployed environment (its connections secret and table)')
    .option('--secret-id <id>', 'the connections secret (default: roster/<env>/connections)')
    .option('--function <name>', 'the full-sync function, for the table (default: roster-<env>-full-sync)')
    .addOption(regionOption())
    .addOption(profileOption())
    .action(async (flags: PreviewFlags) => {
      try {
        const format = flags.json ? 'json' : (flags.format ?? 'text');
        if (format !== 'text' && format !== 'json' && format !== 'csv')
          throw new SyncTargetError('--format is text, json or csv');
        const target = await rolloutTarget(flags, connectorFor);
        const preview = only(await previewFor(target), flags.user);
        if (format === 'json')
          io.out(JSON.stringify({ connectionId: target.connection.id, ...preview }, null, 2));
        else if (format === 'csv') {
          io.out(csvLine(PREVIEW_COLUMNS));
          for (const row of previewRows(preview)) io.out(csvLine(row));
        } else for (const line of previewLines(preview, target.connection.id)) io.out(line);
      } catch (error) {
        reportCliError(io, error, error instanceof SyncTargetError);
      }
    });
}

/** The impact preview of the target's connection: both reads and the full sync's plan; writes nothing. */
export async function previewFor(target: RolloutTarget): Promise<Preview> {
  const { observed, desired, plan } = await readAndPlanSync({
    db: target.db,
    store: target.store,
    connector: target.connector,
    connectionId: target.connection.id,
  });
  return previewOf(plan, observed, desired);
}

function only(preview: Preview, who: string | undefined): Preview {
  if (who === undefined) return preview;
  const wanted = who.toLowerCase();
  const people = preview.people.filter(
    (p) => p.userId === who || p.email.toLowerCase() === wanted || p.userName?.toLowerCase() === wanted,
  );
  if (people.length === 0) throw new SyncTargetError(`no IdP user ${who} in this connection`);
  return { ...preview, people, accounts: [], groups: [], deletedGroups: [] };
}
