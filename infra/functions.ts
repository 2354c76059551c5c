/**
 * The five Lambda functions and exactly the permissions each one uses. Table permissions are
 * written out rather than taken from `grantReadWriteData`, which would include Scan: no code path
 * scans (see ARCHITECTURE: every access is a GetItem, a Query or a transaction).
 * TransactWriteItems is not an IAM action: a transaction is authorised by the Put/Update/Delete/
 * ConditionCheckItem permissions of its parts.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Code } from 'aws-cdk-lib/aws-lambda';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { GSI1, GSI2 } from '../shared/store/table';
import { ENTRIES } from './bundling';
import type { FunctionKey } from './bundling';
import type { RosterEnvironment } from './config';
import { RosterFunction } from './roster-function';
import type { RosterFunctionProps } from './roster-function';
import { SCIM_BASE_PATH } from './scim-routes';
import { METRICS_NAMESPACE, serviceNameFor } from './sync-metrics';

export const SCIM_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** The sync also writes and deletes in batches (page cursors, run reports, repaired links). */
export const FULL_SYNC_TABLE_ACTIONS = [...SCIM_TABLE_ACTIONS, 'dynamodb:BatchWriteItem'] as const;
/** The apply writes the audit trail in batches (shared/audit/audit-store.ts). */
export const APPLY_TABLE_ACTIONS = FULL_SYNC_TABLE_ACTIONS;

/** API Gateway REST integrations time out at 29 s; the function stops a second sooner. */
export const SCIM_TIMEOUT = Duration.seconds(28);
export const FULL_SYNC_TIMEOUT = Duration.minutes(15);
/** A batch of 100 changes against a slow workspace, or a retry pass of up to 50 s, fits. */
export const APPLY_TIMEOUT = Duration.minutes(2);

export interface RosterFunctionsProps {
  prefix: string;
  config: RosterEnvironment;
  table: ITable;
  connectionsSecret: ISecret;
  workspaceSecret: ISecret;
  /** The audit trail's bus (audit-bus.ts): the apply function publishes to it. */
  audit: { bus: IEventBus; source: string };
  /** Set with a custom domain, so `meta.location` uses it rather than the Host the gateway saw. */
  scimBaseUrl?: string;
  /** `false` deploys placeholder code instead of bundling (assertion tests only). */
  bundle: boolean;
}

const PLACEHOLDER = Code.fromInline('exports.handler = async () => { throw new Error("not bundled"); };');

export class RosterFunctions extends Construct {
  readonly functions: Record<FunctionKey, RosterFunction>;

  constructor(scope: Construct, id: string, props: RosterFunctionsProps) {
    super(scope, id);
    const { config, table } = props;
    const common = {
      ROSTER_TABLE: table.tableName,
      CONNECTIONS_SECRET_ID: props.connectionsSecret.secretArn,
      WORKSPACE_SECRET_ID: props.workspaceSecret.secretArn,
      POWERTOOLS_SERVICE_NAME: serviceNameFor(config.name),
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: config.logLevel,
      // Responses carry names and e-mail addresses; they do not belong in X-Ray metadata.
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
    };
    const scimEnvironment = {
      ...common,
      SCIM_BASE_PATH,
      // One connection may use at most 60 % of the stage's rate, so another IdP keeps the rest.
      ROSTER_CONNECTION_RATE_LIMIT: String(Math.max(1, Math.floor(config.api.rateLimit * 0.6))),
      ROSTER_CONNECTION_RATE_BURST: String(Math.max(1, Math.floor(config.api.burstLimit * 0.6))),
      ...(props.scimBaseUrl ? { SCIM_BASE_URL: props.scimBaseUrl } : {}),
    };
    const make = (
      key: FunctionKey,
      suffix: string,
      description: string,
      extra: Partial<RosterFunctionProps>,
    ) =>
      new RosterFunction(this, key, {
        functionName: `${props.prefix}-${suffix}`,
        description,
        entry: ENTRIES[key],
        memorySize: 1024,
        timeout: SCIM_TIMEOUT,
        environment: scimEnvironment,
        logRetention: config.logRetention,
        removalPolicy: config.removalPolicy,
        ...(props.bundle ? {} : { code: PLACEHOLDER }),
        ...extra,
      });

    const fullSyncName = `${props.prefix}-full-sync`;
    this.functions = {
      scimUsers: make('scimUsers', 'scim-users', 'SCIM /Users', {}),
      scimGroups: make('scimGroups', 'scim-groups', 'SCIM /Groups', {}),
      // Static documents: little memory, and no reason to wait long.
      scimDiscovery: make(
        'scimDiscovery',
        'scim-discovery',
        'SCIM discovery: /ServiceProviderConfig, /ResourceTypes, /Schemas',
        {
          memorySize: 256,
          timeout: Duration.seconds(10),
        },
      ),
      fullSync: make('fullSync', 'full-sync', 'Full sync: reconcile every connection with its workspace', {
        timeout: FULL_SYNC_TIMEOUT,
        memorySize: config.fullSync.memoryMiB,
        environment: {
          ...common,
          SYNC_MAX_REMOVAL_SHARE: String(config.fullSync.maxRemovalShare),
          ...(config.fullSync.modeRequestsPerSecond === undefined
            ? {}
            : { MODE_MAX_REQUESTS_PER_SECOND: String(config.fullSync.modeRequestsPerSecond) }),
        },
        // Runs never overlap: a second start (schedule, on demand, checkpoint) waits in Lambda's
        // async queue until the running one ends.
        reservedConcurrentExecutions: 1,
        // A failed run is reported, alarmed, and repaired by the next one; retrying a
        // 15-minute run twice at once would only repeat the failure.
        retryAttempts: 0,
      }),
      apply: make(
        'apply',
        'apply',
        'Applies committed SCIM changes to the workspace (table stream, retry pass)',
        {
          timeout: APPLY_TIMEOUT,
          environment: {
            ...common,
            ROSTER_AUDIT_BUS: props.audit.bus.eventBusName,
            ROSTER_AUDIT_SOURCE: props.audit.source,
            ROSTER_AUDIT_RETENTION_DAYS: String(config.auditRetentionDays),
          },
          // Stream batches and the retry schedule are retried by their sources (the mapping's
          // bounded retries and dead-letter queue; the next minute's pass).
          retryAttempts: 0,
        },
      ),
    };

    const tableResources = [
      table.tableArn,
      ...[GSI1, GSI2].map((index) => `${table.tableArn}/index/${index.name}`),
    ];
    const allow = (fn: RosterFunction, actions: readonly string[], resources: string[]) =>
      fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...actions], resources }));

    for (const key of ['scimUsers', 'scimGroups'] as const) {
      const fn = this.functions[key];
      allow(fn, SCIM_TABLE_ACTIONS, tableResources);
      props.connectionsSecret.grantRead(fn.role);
      props.workspaceSecret.grantRead(fn.role);
    }
    // Discovery answers static documents; it only authenticates the caller.
    props.connectionsSecret.grantRead(this.functions.scimDiscovery.role);

    // The apply function reads and writes link state and the built-in workspace like the SCIM
    // functions; reading the stream itself is granted by the event source mapping.
    const apply = this.functions.apply;
    allow(apply, APPLY_TABLE_ACTIONS, tableResources);
    // The audit events, on the audit bus only.
    allow(apply, ['events:PutEvents'], [props.audit.bus.eventBusArn]);
    props.connectionsSecret.grantRead(apply.role);
    props.workspaceSecret.grantRead(apply.role);

    const fullSync = this.functions.fullSync;
    allow(fullSync, FULL_SYNC_TABLE_ACTIONS, tableResources);
    props.connectionsSecret.grantRead(fullSync.role);
    props.workspaceSecret.grantRead(fullSync.role);
    // The ARN is built from the fixed name, not taken from the function, which would make the
    // role's policy depend on the function that depends on the role.
    allow(
      fullSync,
      ['lambda:InvokeFunction'],
      [
        Stack.of(this).formatArn({
          service: 'lambda',
          resource: 'function',
          resourceName: fullSyncName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    );
  }
}
