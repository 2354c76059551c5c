/**
 * `roster report --html FILE`: the latest sync, the recent runs as a chart, the preview of the next
 * sync, and what is not applied or not removed, as one HTML page to open in a browser. Reads only
 * (the preview writes nothing either). Against the running `npm start` instance, or a deployed
 * environment with `--env`, as `roster preview` is.
 */
import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { reportCliError } from '../cli-error';
import { connectorOf } from '../connection/connection-target';
import type { ConnectorFactory } from '../connection/connection-target';
import { rolloutTarget } from '../connection/rollout-target';
import type { RolloutFlags } from '../connection/rollout-target';
import { withRolloutTarget } from '../connection/takeover-command';
import { SyncTargetError } from '../sync/sync-target';
import type { CliIo } from '../workspace/cli-io';
import { processIo } from '../workspace/cli-io';
import { readReport } from './read-report';
import { reportModel } from './report-model';
import { reportPage } from './report-page';

export const DEFAULT_RUNS = 10;

interface ReportFlags extends RolloutFlags {
  html: string;
  runs: string;
}

export function registerReportCommand(
  program: Command,
  io: CliIo = processIo(),
  connectorFor: ConnectorFactory = connectorOf,
  now: () => Date = () => new Date(),
): void {
  withRolloutTarget(
    program
      .command('report')
      .description(
        'one HTML page to look at: the latest sync, a chart of the recent runs, the preview of the next sync, what is not applied and the access not removed',
      )
      .requiredOption('--html <file>', 'write the page to this file (its directory must exist)')
      .option('--runs <n>', 'how many recent runs the chart shows (1 to 500)', String(DEFAULT_RUNS)),
  ).action(async (flags: ReportFlags) => {
    try {
      const runs = Number(flags.runs);
      if (!Number.isInteger(runs) || runs < 1 || runs > 500)
        throw new SyncTargetError('--runs is a whole number from 1 to 500');
      const file = resolve(flags.html);
      checkDirectory(flags.html, dirname(file));
      const target = await rolloutTarget(flags, connectorFor);
      const model = reportModel(await readReport(target, runs, now()));
      write(flags.html, file, reportPage(model));
      io.out(`wrote ${flags.html}: ${model.summary}`);
    } catch (error) {
      reportCliError(io, error, error instanceof SyncTargetError);
    }
  });
}

/** Before anything is read: a report that cannot be written is refused up front. */
function checkDirectory(given: string, directory: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch {
    // Absent: said below.
  }
  if (!isDirectory)
    throw new SyncTargetError(
      `cannot write ${given}: there is no directory ${directory} (create it, or name a file in one that exists)`,
    );
}

function write(given: string, file: string, page: string): void {
  try {
    writeFileSync(file, page, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : '');
    throw new SyncTargetError(
      `cannot write ${given} (${code}): check that it is not a directory and that you may write there`,
      { cause: error },
    );
  }
}
