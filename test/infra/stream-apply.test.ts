/**
 * The stream-fed apply as the stack deploys it: the table's stream, the event source mapping with
 * the delivery guarantees shared/apply/stream-apply.ts relies on, its dead-letter queue, the
 * retry schedule and the alarms that say when a change is not reaching the workspace.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from './synth';
import type { Synthesized } from './synth';
import { logicalIdOfFunction } from './template-queries';

let dev: Synthesized;
let prod: Synthesized;

beforeAll(() => {
  dev = synthesize('dev');
  prod = synthesize('prod', { alarmEmails: 'ops@example.com' });
});

function alarm(stack: Synthesized, name: string): Record<string, unknown> {
  const found = Object.values(stack.template.findResources('AWS::CloudWatch::Alarm')).find(
    (resource) => (resource.Properties as { AlarmName?: string }).AlarmName === name,
  );
  if (!found) throw new Error(`no alarm ${name}`);
  return found.Properties as Record<string, unknown>;
}

describe('the stream-fed apply', () => {
  it('reads the table stream with both images', () => {
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('maps the stream to the apply function with bounded, bisected, partial-batch retries and a dead-letter queue', () => {
    const applyFn = logicalIdOfFunction(dev.template, 'roster-dev-apply');
    const queues = dev.template.findResources('AWS::SQS::Queue', {
      Properties: { QueueName: 'roster-dev-apply-dead-letters' },
    });
    const [queueId] = Object.keys(queues);
    expect(queueId).toBeDefined();
    dev.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    dev.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: applyFn },
      EventSourceArn: { 'Fn::GetAtt': [Match.anyValue(), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      ParallelizationFactor: 4,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 6 * 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      // Only link state invokes it; the built-in workspace's own items (W#…) do not.
      FilterCriteria: {
        Filters: [{ Pattern: JSON.stringify({ dynamodb: { Keys: { pk: { S: [{ prefix: 'C#' }] } } } }) }],
      },
    });
  });

  it('keeps the dead letters encrypted, TLS-only, for 14 days, and tells the operator where they are', () => {
    dev.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'roster-dev-apply-dead-letters',
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    dev.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    expect(Object.keys(dev.template.toJSON().Outputs as object)).toContain('ApplyDeadLetterQueueUrl');
  });

  it('starts the retry pass every minute', () => {
    const applyFn = logicalIdOfFunction(dev.template, 'roster-dev-apply');
    dev.template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'roster-dev-apply-retry',
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [applyFn, 'Arn'] }, Input: '{"retry":true}' })],
    });
  });

  it('alarms on dead letters, iterator age, failed batches, and changes pending past the environment threshold', () => {
    expect(alarm(dev, 'roster-dev-ApplyDeadLetters')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
    });
    expect(alarm(dev, 'roster-dev-ApplyIteratorAge')).toMatchObject({
      MetricName: 'IteratorAge',
      Threshold: 60_000,
    });
    expect(alarm(dev, 'roster-dev-ApplyFailures')).toMatchObject({
      MetricName: 'ApplyFailures',
      Namespace: 'Roster',
    });
    // Published every minute by the retry pass: no data means the pass is not running, which alarms.
    for (const [stack, name, minutes] of [
      [dev, 'roster-dev-ApplyPendingAge', 30],
      [prod, 'roster-prod-ApplyPendingAge', 10],
    ] as const) {
      expect(alarm(stack, name)).toMatchObject({
        MetricName: 'OldestPendingSeconds',
        Threshold: minutes * 60,
        TreatMissingData: 'breaching',
      });
    }
  });
});
