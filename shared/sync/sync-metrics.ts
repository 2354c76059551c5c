/**
 * The sync's metrics (CloudWatch EMF through Powertools, namespace and service from the function's
 * `POWERTOOLS_METRICS_NAMESPACE` and `POWERTOOLS_SERVICE_NAME`: `Roster` and `roster-<env>` on AWS):
 * `SyncChangesApplied`, `SyncChangesFailed`, `SyncFailed` (a run failed), `SyncRefused` (the
 * circuit breaker refused a plan: the alarm), `SyncDurationMs` and `AccessNotRemoved` (the
 * connection's open access incidents when the run ended: an alarm too). Emitted once when a run ends,
 * with the service (one per environment) as the only dimension so that the alarms need not know
 * the connections; the connection and run ids travel as metadata.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SyncRun } from './sync-run';
import { totals } from './sync-run';

export type SyncMetricName =
  | 'SyncChangesApplied'
  | 'SyncChangesFailed'
  | 'SyncFailed'
  | 'SyncRefused'
  | 'SyncDurationMs'
  | 'AccessNotRemoved';

export interface SyncMetricsSink {
  emit(values: Partial<Record<SyncMetricName, number>>, metadata: Record<string, string>): void;
}

export function powertoolsSyncMetrics(
  metrics = new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Roster',
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'roster',
  }),
): SyncMetricsSink {
  return {
    emit(values, metadata) {
      for (const [name, value] of Object.entries(values)) {
        metrics.addMetric(
          name,
          name === 'SyncDurationMs' ? MetricUnit.Milliseconds : MetricUnit.Count,
          value,
        );
      }
      for (const [key, value] of Object.entries(metadata)) metrics.addMetadata(key, value);
      metrics.publishStoredMetrics();
    },
  };
}

export const noSyncMetrics: SyncMetricsSink = { emit: () => {} };

/** The values of a run that ended (completed, refused or failed). */
export function runMetrics(run: SyncRun): Partial<Record<SyncMetricName, number>> {
  const sum = totals(run);
  return {
    SyncChangesApplied: sum.applied,
    SyncChangesFailed: sum.failed,
    SyncFailed: run.status === 'failed' ? 1 : 0,
    SyncRefused: run.status === 'refused' ? 1 : 0,
    ...(run.durationMs !== undefined ? { SyncDurationMs: run.durationMs } : {}),
    ...(run.access?.open !== undefined ? { AccessNotRemoved: run.access.open } : {}),
  };
}
