/**
 * Builds the app for one environment from CDK context: `-c env=<name>` picks it, optional context
 * overrides operator-specific values, and `account`/`region` context (or the CLI's
 * CDK_DEFAULT_ACCOUNT/CDK_DEFAULT_REGION) pin the stack; with neither, the stack is
 * environment-agnostic so `cdk synth` works offline. cdk-nag's AWS Solutions checks run on every
 * synthesis (a finding fails it), and the tests run the same pack.
 */
import { Tags, Validations } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolveEnvironment } from './config';
import type { EnvironmentOverrides } from './config';
import { RosterStack } from './roster-stack';
import { rosterVersion } from './version';

export interface RosterAppOptions {
  /** `false` skips esbuild (assertion tests); deployments always bundle. */
  bundle?: boolean;
}

const OVERRIDE_KEYS = [
  'alarmEmails',
  'alarmTopicArns',
  'domainName',
  'certificateArn',
  'fullSyncSchedule',
  'fullSyncScheduleEnabled',
  'fullSyncMemoryMiB',
  'modeRequestsPerSecond',
] as const satisfies readonly (keyof EnvironmentOverrides)[];

function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function addRosterStack(app: App, options: RosterAppOptions = {}): RosterStack {
  const overrides: EnvironmentOverrides = {};
  for (const key of OVERRIDE_KEYS) {
    const value = contextString(app, key);
    if (value !== undefined) overrides[key] = value;
  }
  const config = resolveEnvironment(app.node.tryGetContext('env'), overrides);
  const account = contextString(app, 'account') ?? process.env.CDK_DEFAULT_ACCOUNT;
  const region = contextString(app, 'region') ?? process.env.CDK_DEFAULT_REGION;
  const version = rosterVersion();
  const stack = new RosterStack(app, `Roster-${config.name}`, {
    config,
    version,
    env: account || region ? { account, region } : undefined,
    bundle: options.bundle ?? true,
  });
  Tags.of(stack).add('project', 'roster');
  Tags.of(stack).add('environment', config.name);
  Tags.of(stack).add('version', version);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
