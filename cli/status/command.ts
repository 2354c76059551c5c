/**
 * `roster status`: is anyone still holding access the IdP removed? Lists the open access incidents
 * (removals the workspace did not apply, see docs/incidents.md) of every connection, or of one
 * with `--connection`, with a count of the resources not yet applied. Runs against the running
 * `npm start` instance by default, or a deployed environment's table with `--env`. Exits with
 * status 2 while any incident is open, so that a script or a runbook step can test it.
 */
import type { Command } from 'commander';
import type { AccessIncident } from '../../shared/store/access-incidents';
import { listIncidents } from '../../shared/store/access-incidents';
import type { Db } from '../../shared/store/client';
import { countPendingMarkers } from '../../shared/store/pending';
import { accessLines } from '../sync/access-lines';
import { SyncTargetError } from '../sync/sync-target';
import { profileOption, regionOption } from '../aws-options';
import { reportCliError } from '../cli-error';
import type { CliIo } from '../workspace/cli-io';
import { processIo } from '../workspace/cli-io';
import type { StatusFlags } from './status-target';
import { statusTarget } from './status-target';

/** The exit status while at least one incident is open. */
export const INCIDENTS_OPEN = 2;

export interface ConnectionStatus {
  connectionId: string;
  accessNotRemoved: AccessIncident[];
  /** Resources whose apply state is pending or failed, waiting for the workspace. */
  notApplied: number;
  /** Resources the rollout settings hold back (pilot scope, released, takeover): not waiting. */
  held: number;
}

export function registerStatusCommand(program: Command, io: CliIo = processIo()): void {
  program
    .command('status')
    .description('access not removed (open access incidents) and resources not yet applied, per connection')
    .option('--connection <id>', 'one connection, by id or name (default: every connection)')
    .option('--json', 'print JSON')
    .option(
      '--env <name>',
      'a deployed environment: reads its table (and, for every connection, its connections secret)',
    )
    .option(
      '--function <name>',
      'the full-sync function that names the table (default: roster-<env>-full-sync)',
    )
    .addOption(regionOption())
    .addOption(profileOption())
    .addHelpText(
      'after',
      `
Exit status:
  0  no access incident is open
  ${INCIDENTS_OPEN}  at least one access incident is open: someone still holds access the IdP removed
  1  the status could not be read`,
    )
    .action(async (flags: StatusFlags) => {
      try {
        const target = await statusTarget(flags);
        const statuses: ConnectionStatus[] = [];
        for (const connectionId of target.connectionIds)
          statuses.push(await connectionStatus(target.db, connectionId));
        if (flags.json) io.out(JSON.stringify({ connections: statuses }, null, 2));
        else for (const line of statusLines(statuses)) io.out(line);
        io.exitCode = statuses.some((s) => s.accessNotRemoved.length > 0) ? INCIDENTS_OPEN : 0;
      } catch (error) {
        // Refusals and AWS errors name what to fix; neither carries token material.
        reportCliError(io, error, error instanceof SyncTargetError);
      }
    });
}

/**
 * One connection's open access incidents, its count of resources not yet applied, and of those
 * the rollout settings hold back: two Queries.
 */
export async function connectionStatus(db: Db, connectionId: string): Promise<ConnectionStatus> {
  const [accessNotRemoved, pending] = await Promise.all([
    listIncidents(db, connectionId),
    countPendingMarkers(db, connectionId),
  ]);
  return { connectionId, accessNotRemoved, notApplied: pending.total - pending.held, held: pending.held };
}

export function statusLines(statuses: readonly ConnectionStatus[]): string[] {
  if (statuses.length === 0) return ['no connections'];
  return statuses.flatMap((status, index) => [
    ...(index > 0 ? [''] : []),
    `connection ${status.connectionId}: ${status.accessNotRemoved.length} access incident(s) open, ${status.notApplied} resource(s) not yet applied (pending or failed)${status.held > 0 ? `, ${status.held} held by the rollout settings (roster connection pilot show)` : ''}`,
    ...(status.accessNotRemoved.length > 0 ? accessLines(status.accessNotRemoved) : []),
  ]);
}
