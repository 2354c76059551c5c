/**
 * Metrics Roster publishes itself (not the AWS services): the full sync's outcomes, emitted with
 * Powertools (namespace `Roster`, dimension `service`), and the API's throttled requests, counted
 * from the access log by a metric filter because REST APIs publish no 429 metric of their own.
 */
import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';

export const METRICS_NAMESPACE = 'Roster';
export const SERVICE_NAME = 'roster';

export type SyncMetricName = 'SyncFailed' | 'SyncRefused';

export function syncMetric(metricName: SyncMetricName, period: Duration = Duration.minutes(5)): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic: 'Sum',
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
