/**
 * Per-environment settings. Each environment is one stack (`Roster-<name>`), picked with
 * `-c env=<name>`. Values that belong to an operator rather than to the repository (alarm
 * e-mail addresses, a custom domain and its certificate) can be given as context instead of
 * being committed: `-c alarmEmails=a@x.com,b@x.com -c domainName=scim.x.com -c certificateArn=…`.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface CustomDomain {
  /** The host name IdPs call, such as `scim.example.com`. */
  domainName: string;
  /** An ACM certificate for that name, in the stack's region (the API is regional). */
  certificateArn: string;
}

export interface RosterEnvironment {
  name: EnvironmentName;
  fullSync: {
    /** An EventBridge schedule expression: `rate(…)` or `cron(…)`. */
    schedule: string;
    /** `false` keeps the rule but stops it firing; on-demand runs still work. */
    scheduleEnabled: boolean;
    /** The circuit breaker: a run that would remove more than this share of members is refused. */
    maxRemovalShare: number;
    /**
     * At most this many calls per second to Mode from the full sync (docs/mode.md, "Rate limit");
     * unset: unpaced, 429 and Retry-After honoured.
     */
    modeRequestsPerSecond?: number;
    /**
     * The full-sync function's memory (MB; Lambda allows 128–10,240). The sync holds the workspace
     * and the link state while it plans: about 1.4–1.7 KiB per user on top of ~150 MB
     * (docs/benchmarks.md): 1,024 serves some 500,000 users, 1,000,000 needs 1.5–1.8 GB (prod has
     * 3,008, which also buys CPU: Lambda scales it with memory).
     */
    memoryMiB: number;
  };
  logRetention: RetentionDays;
  /** How long audit entries are kept in the table (TTL); the EventBridge copies are the subscriber's. */
  auditRetentionDays: number;
  logLevel: LogLevel;
  alarms: {
    /** Alarm when a change has waited longer than this to reach the workspace (the retry pass measures it). */
    pendingMinutes: number;
    /** Addresses subscribed to the alarm topic (each must confirm the subscription e-mail). */
    emails: string[];
    /** Existing SNS topics (pager, chat) that alarms also notify. */
    topicArns: string[];
    /** Share of API requests answered 5xx (0–1) that raises the alarm. */
    api5xxRate: number;
    period: Duration;
  };
  api: {
    /** Steady-state requests per second for the whole stage. Entra sends about 25/s per tenant. */
    rateLimit: number;
    burstLimit: number;
    /** Attach a WAF web ACL (AWS managed rules and a per-IP rate limit). */
    waf: boolean;
    customDomain?: CustomDomain;
  };
  /** What happens to the table, the secrets and the logs when the stack is deleted. */
  removalPolicy: RemovalPolicy;
  /** DynamoDB deletion protection on the table. */
  deletionProtection: boolean;
  /**
   * Create the account-wide role API Gateway uses to write execution logs. It is one setting per
   * account and region: turn it off in a stack when another stack in the same account owns it.
   */
  apiGatewayCloudWatchRole: boolean;
}

const ENVIRONMENTS: Record<EnvironmentName, RosterEnvironment> = {
  dev: {
    name: 'dev',
    fullSync: { schedule: 'rate(6 hours)', scheduleEnabled: false, maxRemovalShare: 0.1, memoryMiB: 1024 },
    logRetention: RetentionDays.ONE_WEEK,
    auditRetentionDays: 30,
    logLevel: 'DEBUG',
    alarms: { emails: [], topicArns: [], api5xxRate: 0.05, period: Duration.minutes(5), pendingMinutes: 30 },
    api: { rateLimit: 25, burstLimit: 50, waf: false },
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    apiGatewayCloudWatchRole: true,
  },
  staging: {
    name: 'staging',
    fullSync: { schedule: 'rate(1 hour)', scheduleEnabled: true, maxRemovalShare: 0.1, memoryMiB: 1024 },
    logRetention: RetentionDays.ONE_MONTH,
    auditRetentionDays: 90,
    logLevel: 'INFO',
    alarms: { emails: [], topicArns: [], api5xxRate: 0.02, period: Duration.minutes(5), pendingMinutes: 15 },
    api: { rateLimit: 50, burstLimit: 100, waf: true },
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    apiGatewayCloudWatchRole: true,
  },
  prod: {
    name: 'prod',
    fullSync: {
      schedule: 'cron(15 * * * ? *)',
      scheduleEnabled: true,
      maxRemovalShare: 0.1,
      memoryMiB: 3008,
    },
    logRetention: RetentionDays.ONE_YEAR,
    auditRetentionDays: 365,
    logLevel: 'INFO',
    alarms: { emails: [], topicArns: [], api5xxRate: 0.01, period: Duration.minutes(5), pendingMinutes: 10 },
    api: { rateLimit: 100, burstLimit: 200, waf: true },
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    apiGatewayCloudWatchRole: true,
  },
};

/** Context values that override the committed settings (all optional strings). */
export interface EnvironmentOverrides {
  alarmEmails?: string;
  alarmTopicArns?: string;
  domainName?: string;
  certificateArn?: string;
  fullSyncSchedule?: string;
  fullSyncScheduleEnabled?: string;
  modeRequestsPerSecond?: string;
  fullSyncMemoryMiB?: string;
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
}

function modeRate(value: string | undefined): { modeRequestsPerSecond?: number } {
  if (value === undefined) return {};
  const rate = Number(value);
  if (!(rate > 0)) throw new Error(`-c modeRequestsPerSecond must be a positive number, not ${value}`);
  return { modeRequestsPerSecond: rate };
}

function memory(value: string | undefined): { memoryMiB?: number } {
  if (value === undefined) return {};
  const mib = Number(value);
  if (!Number.isInteger(mib) || mib < 128 || mib > 10_240) {
    throw new Error(`-c fullSyncMemoryMiB must be a whole number of MB from 128 to 10240, not ${value}`);
  }
  return { memoryMiB: mib };
}

function isEnvironmentName(name: string): name is EnvironmentName {
  return (ENVIRONMENT_NAMES as readonly string[]).includes(name);
}

/** The settings for `name`; fails with the list of known environments when it is missing or unknown. */
export function resolveEnvironment(name: unknown, overrides: EnvironmentOverrides = {}): RosterEnvironment {
  const known = ENVIRONMENT_NAMES.join(', ');
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`No environment given: pass -c env=<name>, one of: ${known}`);
  }
  if (!isEnvironmentName(name)) {
    throw new Error(`Unknown environment "${name}": pass -c env=<name>, one of: ${known}`);
  }
  const base = ENVIRONMENTS[name];
  const { domainName, certificateArn } = overrides;
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new Error('A custom domain needs both -c domainName=… and -c certificateArn=…');
  }
  const customDomain =
    domainName !== undefined && certificateArn !== undefined
      ? { domainName, certificateArn }
      : base.api.customDomain;
  return {
    ...base,
    fullSync: {
      ...base.fullSync,
      schedule: overrides.fullSyncSchedule ?? base.fullSync.schedule,
      scheduleEnabled:
        overrides.fullSyncScheduleEnabled === undefined
          ? base.fullSync.scheduleEnabled
          : overrides.fullSyncScheduleEnabled === 'true',
      ...modeRate(overrides.modeRequestsPerSecond),
      ...memory(overrides.fullSyncMemoryMiB),
    },
    alarms: {
      ...base.alarms,
      emails: list(overrides.alarmEmails) ?? base.alarms.emails,
      topicArns: list(overrides.alarmTopicArns) ?? base.alarms.topicArns,
    },
    api: { ...base.api, ...(customDomain ? { customDomain } : {}) },
  };
}
