/**
 * The EventBridge rule that starts a full sync. The rule always exists so that switching the
 * schedule off and on again is an update, not a replacement; on-demand runs invoke the function
 * directly and do not depend on it.
 */
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface FullSyncScheduleProps {
  ruleName: string;
  /** `rate(…)` or `cron(…)`. */
  expression: string;
  enabled: boolean;
  target: IFunction;
}

export class FullSyncSchedule extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: FullSyncScheduleProps) {
    super(scope, id);
    this.rule = new Rule(this, 'Rule', {
      ruleName: props.ruleName,
      description: 'Starts a Roster full sync of every connection',
      schedule: Schedule.expression(props.expression),
      enabled: props.enabled,
    });
    // `{}`: every connection, not a dry run. The function owns retries (see its retryAttempts).
    this.rule.addTarget(new LambdaFunction(props.target, { event: RuleTargetInput.fromObject({}) }));
  }
}
