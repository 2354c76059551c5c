/**
 * Alarms, and the SNS topic they notify. Each alarm answers one operator question: is the API
 * failing, are IdPs being throttled, is a function erroring, did a sync fail or refuse to run, is
 * anyone still holding access the IdP removed.
 */
import type { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  applyMetric,
  API_THROTTLED_METRIC,
  API_UNAUTHORIZED_METRIC,
  METRICS_NAMESPACE,
  accessNotRemovedMetric,
  apiThrottledMetric,
  apiUnauthorizedMetric,
  syncMetric,
} from './sync-metrics';

/** A handful of 401s is an IdP retrying after a rotation; this many in a period is not. */
export const UNAUTHORIZED_ALARM_THRESHOLD = 20;

export interface RosterAlarmsProps {
  prefix: string;
  stageName: string;
  api: RestApi;
  accessLogs: ILogGroup;
  /** Functions whose errors alarm, by a short name used in the alarm name. */
  functions: Record<string, IFunction>;
  /**
   * Functions whose throttles alarm. The full sync is left out: its reserved concurrency of 1
   * throttles its own checkpoint re-invocation by design, and Lambda retries it.
   */
  throttledFunctions: Record<string, IFunction>;
  emails: string[];
  topicArns: string[];
  api5xxRate: number;
  period: Duration;
  /** The stream-fed apply function and its dead-letter queue. */
  apply: { fn: IFunction; deadLetters: IQueue };
  /** Alarm when a change has waited this long to reach the workspace. */
  pendingMinutes: number;
}

export class RosterAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  private readonly targets: ITopic[];
  private readonly props: RosterAlarmsProps;

  constructor(scope: Construct, id: string, props: RosterAlarmsProps) {
    super(scope, id);
    this.props = props;
    // Encrypted at rest with a key of its own: the AWS-managed SNS key does not let CloudWatch
    // publish, so the key's policy grants CloudWatch alarms exactly what publishing needs.
    const key = new Key(this, 'TopicKey', {
      description: `Roster ${props.stageName}: encrypts the alarm topic`,
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      topicName: `${props.prefix}-alarms`,
      displayName: `Roster ${props.stageName} alarms`,
      enforceSSL: true,
      masterKey: key,
    });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
    this.targets = [
      this.topic,
      ...props.topicArns.map((arn, index) => Topic.fromTopicArn(this, `Target${index}`, arn)),
    ];

    // Average of the 0/1 5XXError metric is the share of requests that failed.
    this.add('Api5xxRate', props.api.metricServerError({ statistic: 'Average', period: props.period }), {
      threshold: props.api5xxRate,
      description: `More than ${props.api5xxRate * 100}% of SCIM requests answered 5xx; IdPs quarantine failing endpoints`,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    this.countStatus('ApiThrottledFilter', 429, API_THROTTLED_METRIC);
    this.add('ApiThrottled', apiThrottledMetric(props.stageName, props.period), {
      description: 'API Gateway answered 429: an IdP is sending faster than the stage throttling allows',
    });

    this.countStatus('ApiUnauthorizedFilter', 401, API_UNAUTHORIZED_METRIC);
    this.add('ApiUnauthorized', apiUnauthorizedMetric(props.stageName, props.period), {
      threshold: UNAUTHORIZED_ALARM_THRESHOLD,
      description: `At least ${UNAUTHORIZED_ALARM_THRESHOLD} requests answered 401 in a period: an IdP holds a revoked or wrong token, or someone is guessing tokens`,
    });

    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(`${name}Errors`, fn.metricErrors({ statistic: 'Sum', period: props.period }), {
        description: `${name} failed an invocation (unhandled error or timeout)`,
      });
    }
    for (const [name, fn] of Object.entries(props.throttledFunctions)) {
      this.add(`${name}Throttles`, fn.metricThrottles({ statistic: 'Sum', period: props.period }), {
        description: `${name} was throttled by Lambda concurrency limits`,
      });
    }

    this.add('SyncFailed', syncMetric('SyncFailed', props.stageName, props.period), {
      description: 'A full sync failed; the workspace may have drifted from the IdP',
    });
    this.add('SyncRefused', syncMetric('SyncRefused', props.stageName, props.period), {
      description:
        'The full sync circuit breaker refused a plan that removes too many members; review and approve',
    });
    const { apply } = props;
    this.add(
      'ApplyDeadLetters',
      apply.deadLetters.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: props.period,
      }),
      {
        description:
          'The apply function gave up on stream records after its retries; their resources stay pending for the retry pass and the full sync. See docs/deploy.md (apply dead letters)',
      },
    );
    this.add(
      'ApplyIteratorAge',
      apply.fn.metric('IteratorAge', { statistic: 'Maximum', period: props.period }),
      {
        threshold: 60_000,
        description:
          'Committed changes wait more than a minute before the apply function reads them (it is failing, throttled or slow)',
      },
    );
    this.add('ApplyFailures', applyMetric('ApplyFailures', props.stageName, props.period), {
      description: 'A stream batch failed to apply (the table failed); the mapping delivers it again',
    });
    // Published every minute by the retry pass: missing data means the pass is not running.
    this.add('ApplyPendingAge', applyMetric('OldestPendingSeconds', props.stageName, props.period), {
      threshold: props.pendingMinutes * 60,
      description: `A change has waited more than ${props.pendingMinutes} minutes to reach the workspace; run \`roster status\``,
      treatMissingData: TreatMissingData.BREACHING,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
    });

    // A count published when an incident is recorded and when a sync ends: between those, no data
    // keeps the state, so the alarm stays raised until a sync finds no incident open.
    this.add('AccessNotRemoved', accessNotRemovedMetric(props.stageName, props.period), {
      description:
        'Access the IdP removed is still held in the workspace (a deactivation, deletion or revoke could not be applied); run `roster status` and see docs/incidents.md',
      treatMissingData: TreatMissingData.IGNORE,
    });
  }

  /** Counts the access-log lines with one HTTP status as a metric per stage. */
  private countStatus(id: string, status: number, metricName: string): void {
    new MetricFilter(this, id, {
      logGroup: this.props.accessLogs,
      filterPattern: FilterPattern.numberValue('$.status', '=', status),
      metricNamespace: METRICS_NAMESPACE,
      metricName,
      metricValue: '1',
      dimensions: { stage: '$.stage' },
    });
  }

  private add(
    name: string,
    metric: IMetric,
    options: {
      description: string;
      threshold?: number;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
      comparisonOperator?: ComparisonOperator;
      treatMissingData?: TreatMissingData;
    },
  ): Alarm {
    const alarm = new Alarm(this, name, {
      alarmName: `${this.props.prefix}-${name}`,
      alarmDescription: options.description,
      metric,
      threshold: options.threshold ?? 1,
      comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm ?? 1,
      // No traffic or no sync in a period is normal, not a failure.
      treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    for (const target of this.targets) alarm.addAlarmAction(new SnsAction(target));
    this.alarms.push(alarm);
    return alarm;
  }
}
