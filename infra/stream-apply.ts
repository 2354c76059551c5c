/**
 * What feeds the apply function: the table's stream through an event source mapping, and the
 * retry pass's schedule. The mapping's settings are the delivery guarantees the apply relies on
 * (shared/apply/stream-apply.ts):
 *
 * - records of one item arrive in order (DynamoDB Streams orders per partition key, and the
 *   parallelisation factor keeps keys on one lane), at most 100 a batch, without a batching window
 *   (a change reaches the workspace within a second);
 * - only link-state items (`C#…`) invoke it: the built-in workspace's own items (`W#…`) do not;
 * - a batch that throws is split in two (bisect) and delivered again, at most `retryAttempts`
 *   times or for `maxRecordAge`; partial batch responses resume at the first failed record;
 * - what is still failing then goes to an SQS dead-letter queue (the record's position, not its
 *   content), which alarms; the resource itself stays pending in the table, so the retry pass
 *   and the full sync still apply it.
 */
import { Duration } from 'aws-cdk-lib';
import type { RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export const APPLY_BATCH_SIZE = 100;
export const APPLY_RETRY_ATTEMPTS = 5;
export const APPLY_MAX_RECORD_AGE = Duration.hours(6);
export const APPLY_PARALLELIZATION = 4;

export interface StreamApplyProps {
  prefix: string;
  table: ITable;
  fn: IFunction;
  removalPolicy: RemovalPolicy;
}

export class StreamApply extends Construct {
  readonly deadLetters: Queue;
  readonly retryRule: Rule;

  constructor(scope: Construct, id: string, props: StreamApplyProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      queueName: `${props.prefix}-apply-dead-letters`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    props.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: APPLY_BATCH_SIZE,
        maxBatchingWindow: Duration.seconds(0),
        parallelizationFactor: APPLY_PARALLELIZATION,
        bisectBatchOnError: true,
        retryAttempts: APPLY_RETRY_ATTEMPTS,
        maxRecordAge: APPLY_MAX_RECORD_AGE,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.deadLetters),
        filters: [FilterCriteria.filter({ dynamodb: { Keys: { pk: { S: FilterRule.beginsWith('C#') } } } })],
      }),
    );
    this.retryRule = new Rule(this, 'Retry', {
      ruleName: `${props.prefix}-apply-retry`,
      description: 'Starts the retry pass over changes the stream-fed apply left pending',
      schedule: Schedule.rate(Duration.minutes(1)),
    });
    this.retryRule.addTarget(
      new LambdaFunction(props.fn, { event: RuleTargetInput.fromObject({ retry: true }), retryAttempts: 0 }),
    );
  }
}
