/**
 * Metrics Roster publishes itself (not the AWS services): the full sync's outcomes and the open
 * access incidents, emitted with Powertools (namespace `Roster`, dimension `service` = `roster-<env>`, so that environments
 * sharing an account keep their alarms apart), and the API's throttled requests, counted from the
 * access log by a metric filter because REST APIs publish no 429 metric of their own.
 */
import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';

export const METRICS_NAMESPACE = 'Roster';

/** The Powertools service name of an environment's functions: their logs' `service` and the metrics' dimension. */
export function serviceNameFor(stageName: string): string {
  return `roster-${stageName}`;
}

export type SyncMetricName = 'SyncFailed' | 'SyncRefused';

/**
 * The open access incidents of a connection (removals the workspace did not apply), published by
 * the full sync when a run ends and by the SCIM functions when one is recorded.
 */
export const ACCESS_NOT_REMOVED_METRIC = 'AccessNotRemoved';

export function syncMetric(
  metricName: SyncMetricName,
  stageName: string,
  period: Duration = Duration.minutes(5),
): Metric {
  return serviceMetric(metricName, stageName, 'Sum', period);
}

/** A metric the functions publish under the stage's service name (Powertools' `service` dimension). */
function serviceMetric(metricName: string, stageName: string, statistic: string, period: Duration): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: serviceNameFor(stageName) },
    statistic,
    period,
  });
}

export const API_THROTTLED_METRIC = 'ApiThrottled';

export function apiThrottledMetric(stage: string, period: Duration = Duration.minutes(5)): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: API_THROTTLED_METRIC,
    dimensionsMap: { stage },
    statistic: 'Sum',
    period,
  });
}

/** Requests API Gateway's access log records as 401, counted by a metric filter. */
export const API_UNAUTHORIZED_METRIC = 'ApiUnauthorized';

export function apiUnauthorizedMetric(stage: string, period: Duration = Duration.minutes(5)): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: API_UNAUTHORIZED_METRIC,
    dimensionsMap: { stage },
    statistic: 'Sum',
    period,
  });
}

/** A count, not events: the largest value in the period is the state to alarm on. */
export function accessNotRemovedMetric(stageName: string, period: Duration = Duration.minutes(5)): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: ACCESS_NOT_REMOVED_METRIC,
    dimensionsMap: { service: serviceNameFor(stageName) },
    statistic: 'Maximum',
    period,
  });
}

/** What the apply function publishes: batch failures, and (each retry pass) what still waits. */
export type ApplyMetricName = 'ApplyFailures' | 'OldestPendingSeconds' | 'PendingResources' | 'HeldResources';

export function applyMetric(
  metricName: ApplyMetricName,
  stageName: string,
  period: Duration = Duration.minutes(5),
): Metric {
  return serviceMetric(metricName, stageName, metricName === 'ApplyFailures' ? 'Sum' : 'Maximum', period);
}
