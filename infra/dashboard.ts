/**
 * One CloudWatch dashboard per environment: alarm states first, then the API as IdPs see it,
 * the full sync, access not removed, the functions and the table.
 */
import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { AlarmStatusWidget, Dashboard, GraphWidget, Stats, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IAlarm, IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { accessNotRemovedMetric, apiThrottledMetric, applyMetric, syncMetric } from './sync-metrics';

export interface RosterDashboardProps {
  dashboardName: string;
  stageName: string;
  api: RestApi;
  functions: Record<string, IFunction>;
  table: ITable;
  alarms: IAlarm[];
  apply: { fn: IFunction; deadLetters: IQueue };
}

export class RosterDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: RosterDashboardProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const functions = Object.entries(props.functions);
    const perFunction = (title: string, metric: (fn: IFunction) => IMetric) =>
      new GraphWidget({ title, width: 6, left: functions.map(([, fn]) => metric(fn)) });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(24),
      widgets: [
        [
          new TextWidget({
            markdown: `# Roster ${props.stageName}\nSCIM API, functions and full sync. Runbooks: docs/deploy.md.`,
            width: 24,
            height: 2,
          }),
        ],
        [new AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24, height: 4 })],
        [
          new GraphWidget({
            title: 'SCIM requests',
            width: 8,
            left: [props.api.metricCount({ period, statistic: Stats.SUM })],
            right: [
              props.api.metricClientError({ period, statistic: Stats.SUM }),
              props.api.metricServerError({ period, statistic: Stats.SUM }),
              apiThrottledMetric(props.stageName, period),
            ],
          }),
          new GraphWidget({
            title: 'SCIM latency (ms)',
            width: 8,
            left: [
              props.api.metricLatency({ period, statistic: Stats.p(50) }),
              props.api.metricLatency({ period, statistic: Stats.p(99) }),
              props.api.metricIntegrationLatency({ period, statistic: Stats.p(99) }),
            ],
          }),
          new GraphWidget({
            title: 'Full sync outcomes',
            width: 8,
            left: [
              syncMetric('SyncFailed', props.stageName, period),
              syncMetric('SyncRefused', props.stageName, period),
            ],
          }),
        ],
        [
          new GraphWidget({
            title: 'Access not removed (open incidents, max)',
            width: 12,
            left: [accessNotRemovedMetric(props.stageName, period)],
            leftYAxis: { min: 0 },
          }),
          new TextWidget({
            markdown:
              '## Access not removed\nA deactivation, deletion or revoke the workspace did not apply: the person still has the access. `roster status` lists them; runbook: docs/incidents.md.',
            width: 12,
            height: 6,
          }),
        ],
        [
          new GraphWidget({
            title: 'Apply: stream iterator age (ms, max)',
            width: 8,
            left: [props.apply.fn.metric('IteratorAge', { period, statistic: Stats.MAXIMUM })],
          }),
          new GraphWidget({
            title: 'Apply: failures and dead letters',
            width: 8,
            left: [applyMetric('ApplyFailures', props.stageName, period)],
            right: [
              props.apply.deadLetters.metricApproximateNumberOfMessagesVisible({
                period,
                statistic: Stats.MAXIMUM,
              }),
            ],
          }),
          new GraphWidget({
            title: 'Apply: pending changes and held by the rollout settings (count; oldest pending, s)',
            width: 8,
            left: [
              applyMetric('PendingResources', props.stageName, period),
              applyMetric('HeldResources', props.stageName, period),
            ],
            right: [applyMetric('OldestPendingSeconds', props.stageName, period)],
          }),
        ],
        [
          perFunction('Invocations', (fn) => fn.metricInvocations({ period, statistic: Stats.SUM })),
          perFunction('Errors', (fn) => fn.metricErrors({ period, statistic: Stats.SUM })),
          perFunction('Throttles', (fn) => fn.metricThrottles({ period, statistic: Stats.SUM })),
          perFunction('Duration p99 (ms)', (fn) => fn.metricDuration({ period, statistic: Stats.p(99) })),
        ],
        [
          new GraphWidget({
            title: 'Table capacity consumed',
            width: 12,
            left: [
              props.table.metricConsumedReadCapacityUnits({ period, statistic: Stats.SUM }),
              props.table.metricConsumedWriteCapacityUnits({ period, statistic: Stats.SUM }),
            ],
          }),
          new GraphWidget({
            title: 'Table errors',
            width: 12,
            left: [
              props.table.metricUserErrors({ period, statistic: Stats.SUM }),
              props.table.metricThrottledRequestsForOperations({ period, statistic: Stats.SUM }),
            ],
          }),
        ],
      ],
    });
  }
}
