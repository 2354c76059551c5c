/**
 * `roster sync …`: run a full sync now (locally, in this process, against the running `npm start`
 * instance, or on a deployed environment with `--env`), show the last run's report, export the
 * access snapshot, approve a refused run.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Command } from 'commander';
import { listIncidents } from '../../shared/store/access-incidents';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import {
  ACCESS_COLUMNS,
  accessByGroup,
  accessSnapshot,
  csvLine,
  GROUP_ACCESS_COLUMNS,
} from '../../shared/sync/access-snapshot';
import { ApprovalError, approveRun } from '../../shared/sync/approval';
import type { FullSyncEvent, RunSummary } from '../../shared/sync/full-sync-event';
import { getRun, lastRun, listRuns } from '../../shared/sync/run-store';
import { runSync } from '../../shared/sync/run-sync';
import { collect, reportedChanges, reportedObservations } from '../../shared/sync/sync-report';
import type { ProgressListener } from '../../shared/sync/sync-progress';
import { awsClientConfig, profileOption, regionOption } from '../aws-options';
import type { AwsFlags } from '../aws-options';
import { reportCliError } from '../cli-error';
import type { CliIo } from '../workspace/cli-io';
import { processIo } from '../workspace/cli-io';
import { accessLines } from './access-lines';
import { withLabels } from './change-labels';
import { changeLines, runLines, summaryLines } from './sync-summary';
import {
  deployedConnection,
  deployedReportTarget,
  functionNameFor,
  localTarget,
  SyncTargetError,
} from './sync-target';

/** The exit status of a dry run whose plan a real run would refuse (the circuit breaker). */
export const DRY_RUN_WOULD_BE_REFUSED = 3;

interface SyncFlags extends AwsFlags {
  connection?: string;
  dryRun?: boolean;
  permissions?: boolean;
  json?: boolean;
  env?: string;
  function?: string;
}

export function registerSyncCommands(program: Command, io: CliIo = processIo()): void {
  const sync = program
    .command('sync')
    .description('run a full sync now, and read its reports')
    .option('--connection <name>', 'connection id or name (default: the local instance’s connection)')
    .option('--dry-run', 'plan and report only: change nothing')
    .option(
      '--permissions',
      'also count the collection and data source permissions for the report (local runs; costs workspace calls)',
    )
    .option('--json', 'print JSON')
    .option(
      '--env <name>',
      'a deployed environment: sync and approve invoke its full-sync function, report reads its table',
    )
    .option('--function <name>', 'the full-sync function name (default: roster-<env>-full-sync)')
    .addOption(regionOption())
    .addOption(profileOption())
    .action(
      guarded(io, async (flags: SyncFlags) => {
        const functionName = functionNameFor(flags);
        if (functionName) {
          if (flags.permissions)
            throw new SyncTargetError(
              '--permissions runs against the local instance only: the deployed full sync does not spend Mode calls on permissions',
            );
          const runs = await invoke(
            functionName,
            {
              ...(flags.connection ? { connectionId: flags.connection } : {}),
              ...(flags.dryRun ? { dryRun: true } : {}),
            },
            flags,
          );
          print(io, flags.json, runs, () =>
            runs.map(
              (r) =>
                `${r.connectionId}: ${r.status} ${r.runId ?? ''} ${JSON.stringify(r.totals ?? {})}${
                  r.accessNotRemoved ? `; access not removed: ${r.accessNotRemoved} open` : ''
                }`,
            ),
          );
          if (runs.some((r) => r.status === 'failed' || r.status === 'refused')) io.exitCode = 1;
          return;
        }
        const target = await localTarget(flags);
        const result = await runSync(
          {
            db: target.db,
            store: target.store,
            connector: target.connector,
            connectionId: target.connection.id,
            onProgress: progressOn(io),
          },
          { dryRun: flags.dryRun === true, permissions: flags.permissions === true },
        );
        if (result.status === 'overlapping') {
          io.err(`roster: another sync of ${target.connection.id} is running; try again when it ends`);
          io.exitCode = 1;
          return;
        }
        print(io, flags.json, result.run, () => summaryLines(result.run));
        if (result.status !== 'completed') io.exitCode = 1;
        else if (result.run.dryRun && result.run.breaker?.tripped) io.exitCode = DRY_RUN_WOULD_BE_REFUSED;
      }),
    );

  sync
    .command('report [run]')
    .description(
      'the last run (or the given one): summary, its changes, and the access not removed (open incidents)',
    )
    .option('--json', 'print JSON')
    .action(
      guarded(io, async (runId: string | undefined, flags: SyncFlags, command: Command) => {
        const all = { ...command.optsWithGlobals<SyncFlags>(), ...flags };
        const functionName = functionNameFor(all);
        const target = functionName
          ? await deployedReportTarget(functionName, all)
          : await localTarget(all).then((local) => ({ db: local.db, connectionId: local.connection.id }));
        const run = runId
          ? await getRun(target.db, target.connectionId, runId)
          : await lastRun(target.db, target.connectionId);
        if (!run)
          throw new SyncTargetError(runId ? `no run ${runId}` : 'no run yet: start one with `roster sync`');
        // Names beside ids, read from the link state: for this terminal only, never logged.
        const changes = await withLabels(
          new DynamoLinkStore(target.db),
          target.connectionId,
          await collect(reportedChanges(target.db, run)),
        );
        // Open now, whichever run is reported: an incident lasts until it is resolved.
        const accessNotRemoved = await listIncidents(target.db, target.connectionId);
        if (all.json) {
          const observations = await collect(reportedObservations(target.db, run));
          io.out(JSON.stringify({ run, changes, observations, accessNotRemoved }, null, 2));
          return;
        }
        for (const line of [
          ...summaryLines(run),
          '',
          ...changeLines(changes),
          '',
          ...accessLines(accessNotRemoved),
        ])
          io.out(line);
      }),
    );

  sync
    .command('runs')
    .description('the recent runs, newest first')
    .option('--limit <n>', 'how many (default 20, at most 500)', '20')
    .option('--json', 'print JSON')
    .action(
      guarded(io, async (flags: SyncFlags & { limit: string }, command: Command) => {
        const all = { ...command.optsWithGlobals<SyncFlags>(), ...flags };
        const limit = Number(flags.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500)
          throw new SyncTargetError('--limit is a whole number from 1 to 500');
        const functionName = functionNameFor(all);
        const target = functionName
          ? await deployedReportTarget(functionName, all)
          : await localTarget(all).then((local) => ({ db: local.db, connectionId: local.connection.id }));
        const runs = await listRuns(target.db, target.connectionId, limit);
        print(io, all.json, runs, () => runLines(runs));
      }),
    );

  sync
    .command('export')
    .description(
      'the access snapshot: every member and every entitlement it holds, managed or not, with the collection and data source permissions it reaches (--by group: what each group reaches)',
    )
    .option('--format <format>', 'csv or json', 'csv')
    .option('--by <view>', 'member (one row per member and entitlement) or group', 'member')
    .action(
      guarded(io, async (flags: { format: string; by: string }, command: Command) => {
        if (flags.format !== 'csv' && flags.format !== 'json')
          throw new SyncTargetError('--format is csv or json');
        if (flags.by !== 'member' && flags.by !== 'group')
          throw new SyncTargetError('--by is member or group');
        const all = command.optsWithGlobals<SyncFlags>();
        if (functionNameFor(all)) {
          // The snapshot reads the workspace through the connector, with the service account's
          // secret: that belongs in the deployed function, not on an operator's machine.
          throw new SyncTargetError(
            'export reads the workspace with the service account and runs against the local instance only; on a deployed environment use `roster sync report --env NAME --connection ID --json`',
          );
        }
        const target = await localTarget(all);
        if (flags.by === 'group') {
          const groups = accessByGroup(target.connector, progressOn(io));
          if (flags.format === 'csv') {
            io.out(csvLine(GROUP_ACCESS_COLUMNS));
            for await (const row of groups)
              io.out(csvLine(GROUP_ACCESS_COLUMNS.map((column) => row[column])));
            return;
          }
          io.out(JSON.stringify(await collect(groups), null, 2));
          return;
        }
        const rows = accessSnapshot(target.connector, progressOn(io));
        if (flags.format === 'csv') {
          io.out(csvLine(ACCESS_COLUMNS));
          for await (const row of rows) io.out(csvLine(ACCESS_COLUMNS.map((column) => row[column])));
          return;
        }
        // JSON lines would stream better; one array keeps `jq` and spreadsheets happy at this size.
        io.out(JSON.stringify(await collect(rows), null, 2));
      }),
    );

  sync
    .command('approve <run>')
    .description('approve a run the circuit breaker refused: the next run may apply a plan no larger')
    .action(
      guarded(io, async (runId: string, _flags: unknown, command: Command) => {
        const flags = command.optsWithGlobals<SyncFlags>();
        const functionName = functionNameFor(flags);
        if (functionName) {
          await invoke(functionName, { connectionId: deployedConnection(flags), approve: runId }, flags);
        } else {
          const target = await localTarget(flags);
          await approveRun(target.db, target.connection.id, runId, Date.now());
        }
        io.out(`approved run ${runId}: the next sync may apply a plan no larger than it`);
      }),
    );
}

async function invoke(functionName: string, event: FullSyncEvent, aws: AwsFlags): Promise<RunSummary[]> {
  const client = new LambdaClient(awsClientConfig(aws));
  try {
    const out = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    const body = out.Payload ? (JSON.parse(new TextDecoder().decode(out.Payload)) as unknown) : undefined;
    if (out.FunctionError) throw new SyncTargetError(`${functionName} failed: ${JSON.stringify(body)}`);
    return (body as { runs?: RunSummary[] } | undefined)?.runs ?? [];
  } finally {
    client.destroy();
  }
}

function print(io: CliIo, json: boolean | undefined, value: unknown, text: () => string[]): void {
  for (const line of json ? [JSON.stringify(value, null, 2)] : text()) io.out(line);
}

/** One stderr line per step and at most one per second within a step, so a big read stays readable. */
function progressOn(io: CliIo): ProgressListener {
  let lastStep = '';
  let lastAt = 0;
  return (progress) => {
    const step = `${progress.phase} ${progress.step}`;
    const now = Date.now();
    if (step === lastStep && now - lastAt < 1000) return;
    lastStep = step;
    lastAt = now;
    io.err(
      `${progress.phase}: ${progress.step} ${progress.done}${progress.total !== undefined ? `/${progress.total}` : ''}`,
    );
  };
}

function guarded<A extends unknown[]>(
  io: CliIo,
  body: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await body(...args);
    } catch (error) {
      reportCliError(io, error, error instanceof SyncTargetError || error instanceof ApprovalError);
    }
  };
}
