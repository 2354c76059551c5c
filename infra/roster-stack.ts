/**
 * One Roster environment: the table, the secrets, the functions, the SCIM API, the full-sync
 * schedule, alarms and a dashboard. Deployed as `Roster-<env>` with `npx cdk deploy -c env=<env>`.
 */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RosterAlarms } from './alarms';
import { AuditBus } from './audit-bus';
import { ScimApi } from './api';
import type { RosterEnvironment } from './config';
import { RosterDashboard } from './dashboard';
import { FullSyncSchedule } from './full-sync-schedule';
import { RosterFunctions } from './functions';
import { suppressNagFindings } from './nag-suppressions';
import { SCIM_BASE_PATH } from './scim-routes';
import { RosterSecrets } from './secrets';
import { DefaultWorkspace } from './default-workspace';
import { StreamApply } from './stream-apply';
import { RosterTable } from './table';
import { ApiFirewall } from './waf';

export interface RosterStackProps extends StackProps {
  config: RosterEnvironment;
  /** `false` skips esbuild and deploys placeholder code (tests that only assert the template). */
  bundle?: boolean;
  /** The release deployed (package.json's version, infra/version.ts), recorded as the `Version` output. */
  version: string;
}

export class RosterStack extends Stack {
  readonly config: RosterEnvironment;
  readonly table: RosterTable;
  readonly secrets: RosterSecrets;
  readonly functions: RosterFunctions;
  readonly api: ScimApi;
  readonly firewall?: ApiFirewall;
  readonly schedule: FullSyncSchedule;
  readonly streamApply: StreamApply;
  readonly alarms: RosterAlarms;
  readonly dashboard: RosterDashboard;
  readonly auditBus: AuditBus;

  constructor(scope: Construct, id: string, props: RosterStackProps) {
    super(scope, id, {
      description: `Roster SCIM 2.0 provisioning (${props.config.name}), v${props.version}`,
      terminationProtection: props.config.deletionProtection,
      ...props,
    });
    const { config } = props;
    this.config = config;
    const prefix = `roster-${config.name}`;

    this.table = new RosterTable(this, 'Table', {
      removalPolicy: config.removalPolicy,
      deletionProtection: config.deletionProtection,
    });
    // The workspace the default connection is bound to exists from the first deploy on.
    new DefaultWorkspace(this, 'DefaultWorkspace', {
      table: this.table.table,
      environmentName: config.name,
    });
    this.secrets = new RosterSecrets(this, 'Secrets', {
      environmentName: config.name,
      removalPolicy: config.removalPolicy,
    });
    this.auditBus = new AuditBus(this, 'Audit', { prefix, environmentName: config.name });
    this.functions = new RosterFunctions(this, 'Functions', {
      prefix,
      config,
      audit: { bus: this.auditBus.bus, source: this.auditBus.source },
      table: this.table.table,
      connectionsSecret: this.secrets.connections,
      workspaceSecret: this.secrets.workspace,
      scimBaseUrl: config.api.customDomain
        ? `https://${config.api.customDomain.domainName}${SCIM_BASE_PATH}`
        : undefined,
      bundle: props.bundle ?? true,
    });
    const fns = this.functions.functions;

    this.api = new ScimApi(this, 'Scim', {
      apiName: prefix,
      stageName: config.name,
      functions: {
        scimUsers: fns.scimUsers.fn,
        scimGroups: fns.scimGroups.fn,
        scimDiscovery: fns.scimDiscovery.fn,
      },
      rateLimit: config.api.rateLimit,
      burstLimit: config.api.burstLimit,
      customDomain: config.api.customDomain,
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
      cloudWatchRole: config.apiGatewayCloudWatchRole,
    });
    if (config.api.waf) {
      this.firewall = new ApiFirewall(this, 'Firewall', {
        name: prefix,
        stageArn: this.api.api.deploymentStage.stageArn,
        // WAF counts over 5 minutes: one IP may use the stage's whole rate, one token 60 % of it
        // (as the functions' own per-connection limit), so another IdP always keeps the rest.
        ratePerIp: Math.max(100, config.api.rateLimit * 300),
        ratePerToken: Math.max(100, Math.floor(config.api.rateLimit * 0.6 * 300)),
      });
    }

    this.schedule = new FullSyncSchedule(this, 'FullSyncSchedule', {
      ruleName: `${prefix}-full-sync`,
      expression: config.fullSync.schedule,
      enabled: config.fullSync.scheduleEnabled,
      target: fns.fullSync.fn,
    });

    this.streamApply = new StreamApply(this, 'StreamApply', {
      prefix,
      table: this.table.table,
      fn: fns.apply.fn,
      removalPolicy: config.removalPolicy,
    });

    const scimFunctions = {
      ScimUsers: fns.scimUsers.fn,
      ScimGroups: fns.scimGroups.fn,
      ScimDiscovery: fns.scimDiscovery.fn,
    };
    const allFunctions = { ...scimFunctions, FullSync: fns.fullSync.fn, Apply: fns.apply.fn };
    this.alarms = new RosterAlarms(this, 'Alarms', {
      prefix,
      stageName: config.name,
      api: this.api.api,
      accessLogs: this.api.accessLogs,
      functions: allFunctions,
      throttledFunctions: { ...scimFunctions, Apply: fns.apply.fn },
      apply: { fn: fns.apply.fn, deadLetters: this.streamApply.deadLetters },
      pendingMinutes: config.alarms.pendingMinutes,
      emails: config.alarms.emails,
      topicArns: config.alarms.topicArns,
      api5xxRate: config.alarms.api5xxRate,
      period: config.alarms.period,
    });
    this.dashboard = new RosterDashboard(this, 'Dashboard', {
      dashboardName: `Roster-${config.name}`,
      stageName: config.name,
      api: this.api.api,
      functions: allFunctions,
      table: this.table.table,
      alarms: this.alarms.alarms,
      apply: { fn: fns.apply.fn, deadLetters: this.streamApply.deadLetters },
    });

    // Read by the runbooks (docs/deploy.md) and the `roster` CLI.
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output(
      'ScimUrl',
      this.api.scimUrl,
      'SCIM base URL to give the IdP (Okta: SCIM connector base URL; Entra: Tenant URL)',
    );
    output('TableName', this.table.table.tableName, 'Link-state table (run state and sync reports too)');
    output(
      'ConnectionsSecretName',
      `roster/${config.name}/connections`,
      'Connection secret: token hashes, written by `roster token`',
    );
    output('WorkspaceSecretName', `roster/${config.name}/workspace`, 'Mode service-account secret');
    output('FullSyncFunctionName', fns.fullSync.fn.functionName, 'Invoke to run a full sync on demand');
    output(
      'ApplyDeadLetterQueueUrl',
      this.streamApply.deadLetters.queueUrl,
      'Stream batches the apply function gave up on (their resources stay pending; see docs/deploy.md)',
    );
    output('AlarmTopicArn', this.alarms.topic.topicArn, 'SNS topic the alarms notify');
    output(
      'AuditBusName',
      this.auditBus.bus.eventBusName,
      'EventBridge bus of the audit trail (source roster.<env>; event types in docs/audit.md)',
    );
    output(
      'AccessLogGroupName',
      this.api.accessLogs.logGroupName,
      'API Gateway access log (one JSON line per request; docs/deploy.md, "Logs")',
    );
    output(
      'Version',
      props.version,
      'The Roster release deployed (package.json version, git tag v<version>)',
    );
    if (this.api.domain) {
      output(
        'CustomDomainTarget',
        this.api.domain.domainNameAliasDomainName,
        'Point the custom domain (CNAME or alias) here',
      );
    }

    suppressNagFindings(this);
  }
}
