/**
 * One invocation of the full-sync function, without AWS: every connection (the schedule), one
 * connection, a resume, or an approval. Runs that reach their checkpoint, and connections there
 * was no time left to start, are handed to a new invocation.
 */
import type { Connection, ConnectionDirectory } from '../secrets/connection';
import type { Db } from '../store/client';
import type { LinkStore } from '../store/link-store';
import type { WorkspaceConnector } from '../workspace/port';
import { approveRun } from './approval';
import type { BreakerLimits } from './circuit-breaker';
import type { FullSyncEvent, RunSummary } from './full-sync-event';
import type { SyncResult } from './run-sync';
import { DEFAULT_RESERVE_MS, runSync } from './run-sync';
import type { Reinvoke } from './self-invoke';
import type { SyncMetricsSink } from './sync-metrics';
import { totals } from './sync-run';

export interface InvocationDeps {
  db: Db;
  store: LinkStore;
  directory: ConnectionDirectory;
  connectorFor: (connection: Connection) => WorkspaceConnector;
  reinvoke: Reinvoke;
  remainingMs: () => number;
  metrics: SyncMetricsSink;
  limits?: BreakerLimits;
  reserveMs?: number;
  batchSize?: number;
  now?: () => number;
}

export async function fullSyncInvocation(event: FullSyncEvent, deps: InvocationDeps): Promise<RunSummary[]> {
  const now = deps.now ?? Date.now;
  if (event.approve !== undefined && event.connectionId !== undefined) {
    const approval = await approveRun(deps.db, event.connectionId, event.approve, now());
    return [{ connectionId: event.connectionId, runId: approval.runId, status: 'approved' }];
  }
  const connections =
    event.connectionId !== undefined
      ? [await required(deps.directory, event.connectionId)]
      : await deps.directory.list();
  const summaries: RunSummary[] = [];
  for (const [i, connection] of connections.entries()) {
    // Starting a run with less than the reserve left would only write a plan and stop.
    if (i > 0 && deps.remainingMs() < (deps.reserveMs ?? DEFAULT_RESERVE_MS) * 2) {
      for (const rest of connections.slice(i)) {
        await deps.reinvoke({ connectionId: rest.id, ...(event.dryRun ? { dryRun: true } : {}) });
        summaries.push({ connectionId: rest.id, status: 'deferred' });
      }
      break;
    }
    const result = await runSync(
      {
        db: deps.db,
        store: deps.store,
        connector: deps.connectorFor(connection),
        connectionId: connection.id,
        metrics: deps.metrics,
        remainingMs: deps.remainingMs,
        ...(deps.limits ? { limits: deps.limits } : {}),
        ...(deps.reserveMs !== undefined ? { reserveMs: deps.reserveMs } : {}),
        ...(deps.batchSize !== undefined ? { batchSize: deps.batchSize } : {}),
        ...(deps.now ? { now: deps.now } : {}),
      },
      {
        ...(event.dryRun ? { dryRun: true } : {}),
        ...(event.resume !== undefined ? { resume: event.resume } : {}),
      },
    );
    if (result.status === 'checkpointed') {
      await deps.reinvoke({ connectionId: connection.id, resume: result.runId });
    }
    summaries.push(summaryOf(result));
  }
  return summaries;
}

export function summaryOf(result: SyncResult): RunSummary {
  if (result.status === 'overlapping') {
    return {
      connectionId: result.connectionId,
      status: 'overlapping',
      ...(result.runId ? { runId: result.runId } : {}),
    };
  }
  return {
    connectionId: result.connectionId,
    runId: result.runId,
    status: result.status,
    totals: totals(result.run),
    ...(result.run.access?.open !== undefined ? { accessNotRemoved: result.run.access.open } : {}),
    ...(result.run.errors.length > 0 ? { errors: result.run.errors.slice(0, 10) } : {}),
  };
}

async function required(directory: ConnectionDirectory, connectionId: string): Promise<Connection> {
  const connection = await directory.get(connectionId);
  if (!connection) throw new Error(`no connection ${connectionId}`);
  return connection;
}
