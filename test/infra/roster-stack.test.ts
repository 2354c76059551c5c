import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/bundling';
import { NAG_ACKNOWLEDGMENTS } from '../../infra/nag-suppressions';
import { rosterVersion } from '../../infra/version';
import { SCIM_ROUTES } from '../../infra/scim-routes';
import { ACCESS_NOT_REMOVED_METRIC } from '../../infra/sync-metrics';
import { ACCESS_NOT_REMOVED_METRIC as PUBLISHED_METRIC } from '../../shared/provisioning/access-alarm';
import { GSI1, GSI2, KEY, TTL_ATTRIBUTE } from '../../shared/store/table';
import { synthesize } from './synth';
import type { Synthesized } from './synth';
import { functionProperties, logicalIdOfFunction, routes } from './template-queries';

let dev: Synthesized;
let staging: Synthesized;
/** Prod with the operator values an operator passes as context (custom domain, alarm e-mail). */
let prod: Synthesized;

beforeAll(() => {
  dev = synthesize('dev');
  staging = synthesize('staging');
  prod = synthesize('prod', {
    domainName: 'scim.example.com',
    certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc',
    alarmEmails: 'ops@example.com',
  });
});

describe('stack', () => {
  it('is one stack per environment, named Roster-<env>', () => {
    expect(dev.stack.stackName).toBe('Roster-dev');
    expect(staging.stack.stackName).toBe('Roster-staging');
    expect(prod.stack.stackName).toBe('Roster-prod');
    expect(prod.stack.terminationProtection).toBe(true);
    expect(dev.stack.terminationProtection).toBe(false);
  });

  it('exports what the runbooks and the CLI read', () => {
    const outputs = Object.keys(dev.template.toJSON().Outputs as object);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'ScimUrl',
        'TableName',
        'ConnectionsSecretName',
        'WorkspaceSecretName',
        'FullSyncFunctionName',
        'AlarmTopicArn',
        'AccessLogGroupName',
        'Version',
      ]),
    );
    dev.template.hasOutput('ConnectionsSecretName', { Value: 'roster/dev/connections' });
    const accessLogs = Object.keys(dev.template.findResources('AWS::Logs::LogGroup')).filter((id) =>
      id.startsWith('ScimAccessLogs'),
    );
    expect(accessLogs).toHaveLength(1);
    dev.template.hasOutput('AccessLogGroupName', { Value: { Ref: accessLogs[0] } });
  });

  it('records the release it deploys: package.json version as the Version output, a tag, the description', () => {
    const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    for (const { stack, template } of [dev, prod]) {
      template.hasOutput('Version', { Value: version });
      expect(stack.tags.tagValues()).toMatchObject({ version, project: 'roster' });
      expect(template.toJSON().Description).toMatch(new RegExp(`, v${version.replaceAll('.', '\\.')}$`));
    }
    // The tag reaches the resources, so what runs can be read from any of them.
    dev.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'roster-dev-full-sync',
      Tags: Match.arrayWith([{ Key: 'version', Value: version }]),
    });
  });

  it('refuses a package.json without a release version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-version-'));
    const file = join(dir, 'package.json');
    writeFileSync(file, JSON.stringify({ version: 'next' }));
    expect(() => rosterVersion(file)).toThrow(/no release version/);
    writeFileSync(file, JSON.stringify({ version: '1.2.3' }));
    expect(rosterVersion(file)).toBe('1.2.3');
  });
});

describe('table', () => {
  it('mirrors shared/store/table.ts: keys, indexes, TTL', () => {
    dev.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: KEY.pk, KeyType: 'HASH' },
        { AttributeName: KEY.sk, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [GSI1, GSI2].map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.pk, KeyType: 'HASH' },
          { AttributeName: index.sk, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    });
  });

  it('is on demand, with point-in-time recovery and KMS encryption', () => {
    for (const { template } of [dev, prod]) {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        // SSEEnabled without a key ARN: the AWS managed key aws/dynamodb.
        SSESpecification: { SSEEnabled: true },
      });
    }
  });

  it('is retained and deletion-protected in prod, disposable in dev', () => {
    prod.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    dev.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
  });
});

describe('secrets', () => {
  it('are generated by Secrets Manager, never written into the template', () => {
    dev.template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    for (const secret of Object.values(dev.template.findResources('AWS::SecretsManager::Secret'))) {
      expect(secret.Properties).not.toHaveProperty('SecretString');
      expect(secret.Properties).toHaveProperty('GenerateSecretString.GenerateStringKey');
    }
  });

  it('start with one connection and no token', () => {
    const [connections] = Object.values(
      dev.template.findResources('AWS::SecretsManager::Secret', {
        Properties: { Name: 'roster/dev/connections' },
      }),
    );
    const template = JSON.parse(
      (connections?.Properties as { GenerateSecretString: { SecretStringTemplate: string } })
        .GenerateSecretString.SecretStringTemplate,
    ) as { connections: { id: string; tokens: unknown[] }[] };
    expect(template.connections).toHaveLength(1);
    expect(template.connections[0]).toMatchObject({ id: 'default', tokens: [] });
    dev.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'roster/dev/workspace',
      GenerateSecretString: {
        GenerateStringKey: 'secret',
        SecretStringTemplate: '{"workspace":"","token":""}',
      },
    });
  });

  it('are retained in prod', () => {
    prod.template.allResources('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
    dev.template.allResources('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
  });
});

describe('functions', () => {
  const names = ['scim-users', 'scim-groups', 'scim-discovery', 'full-sync', 'apply'];

  it('run Node.js 22 on ARM with active tracing, JSON logs in their own log group', () => {
    // Five functions, and CDK's deploy-time provider that creates the default workspace.
    dev.template.resourceCountIs('AWS::Lambda::Function', 6);
    for (const name of names) {
      const props = functionProperties(dev.template, `roster-dev-${name}`);
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: expect.anything() },
      });
    }
  });

  it('read their settings from the environment', () => {
    for (const name of names) {
      const variables = (
        functionProperties(dev.template, `roster-dev-${name}`).Environment as { Variables: object }
      ).Variables;
      expect(variables).toMatchObject({
        ROSTER_TABLE: { Ref: expect.stringMatching(/^Table/) },
        CONNECTIONS_SECRET_ID: { Ref: expect.stringMatching(/^SecretsConnections/) },
        WORKSPACE_SECRET_ID: { Ref: expect.stringMatching(/^SecretsWorkspace/) },
        POWERTOOLS_SERVICE_NAME: 'roster-dev',
        POWERTOOLS_METRICS_NAMESPACE: 'Roster',
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
    expect(functionProperties(prod.template, 'roster-prod-scim-users')).toMatchObject({
      Environment: { Variables: { POWERTOOLS_LOG_LEVEL: 'INFO', SCIM_BASE_PATH: '/scim/v2' } },
    });
    expect(functionProperties(dev.template, 'roster-dev-full-sync')).toMatchObject({
      Environment: { Variables: { SYNC_MAX_REMOVAL_SHARE: '0.1' } },
    });
  });

  it('answer SCIM within the API Gateway limit; the full sync gets 15 minutes and never overlaps', () => {
    for (const name of ['scim-users', 'scim-groups', 'scim-discovery']) {
      const props = functionProperties(dev.template, `roster-dev-${name}`);
      expect(props.Timeout).toBeLessThan(29);
      expect(props).not.toHaveProperty('ReservedConcurrentExecutions');
    }
    expect(functionProperties(dev.template, 'roster-dev-full-sync')).toMatchObject({
      Timeout: 900,
      ReservedConcurrentExecutions: 1,
    });
    dev.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalIdOfFunction(dev.template, 'roster-dev-full-sync') },
      MaximumRetryAttempts: 0,
    });
  });

  it('keep logs one week in dev and one year in prod', () => {
    dev.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/roster-dev-full-sync',
      RetentionInDays: 7,
    });
    prod.template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/lambda/roster-prod-full-sync', RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
    for (const { template } of [dev, prod]) {
      for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
        expect(group.Properties).toHaveProperty('RetentionInDays');
      }
    }
  });
});

describe('full-sync schedule', () => {
  it('invokes the full sync with {} on the configured schedule', () => {
    prod.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(15 * * * ? *)',
      State: 'ENABLED',
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [logicalIdOfFunction(prod.template, 'roster-prod-full-sync'), 'Arn'] },
          Input: '{}',
        },
      ],
    });
    staging.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
    });
  });

  it('is switched off in dev', () => {
    dev.template.hasResourceProperties('AWS::Events::Rule', { State: 'DISABLED' });
  });

  it('can be switched off from context', () => {
    const off = synthesize('prod', { fullSyncScheduleEnabled: 'false' });
    off.template.hasResourceProperties('AWS::Events::Rule', { State: 'DISABLED' });
  });

  it("runs with the environment's full-sync memory, and the context's when given", () => {
    dev.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'roster-dev-full-sync',
      MemorySize: 1024,
    });
    prod.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'roster-prod-full-sync',
      MemorySize: 3008,
    });
    // The SCIM functions keep theirs.
    prod.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'roster-prod-scim-users',
      MemorySize: 1024,
    });
    const big = synthesize('dev', { fullSyncMemoryMiB: '6144' });
    big.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'roster-dev-full-sync',
      MemorySize: 6144,
    });
  });
});

describe('SCIM API', () => {
  it('routes exactly the SCIM endpoints, as proxy integrations to the right function', () => {
    const ids = {
      scimUsers: logicalIdOfFunction(dev.template, 'roster-dev-scim-users'),
      scimGroups: logicalIdOfFunction(dev.template, 'roster-dev-scim-groups'),
      scimDiscovery: logicalIdOfFunction(dev.template, 'roster-dev-scim-discovery'),
    };
    const expected = SCIM_ROUTES.flatMap((route) =>
      route.methods.map((method) => `${method} /scim/v2${route.path} -> ${ids[route.target]}`),
    ).sort();
    const proxied = routes(dev.template).filter((r) => r.integrationType !== 'MOCK');
    const actual = proxied.map((r) => `${r.method} ${r.path} -> ${r.target}`).sort();
    expect(actual).toEqual(expected);
    expect(actual).toContain(`PATCH /scim/v2/Users/{id} -> ${ids.scimUsers}`);
    expect(actual).toContain(`GET /scim/v2/Schemas/{id} -> ${ids.scimDiscovery}`);
    expect(actual).toContain(`POST /scim/v2/Users/.search -> ${ids.scimUsers}`);
    expect(actual).toContain(`POST /scim/v2/.search -> ${ids.scimDiscovery}`);
    expect(actual).toHaveLength(20);
    for (const route of proxied) {
      expect(route.integrationType).toBe('AWS_PROXY');
      // Bearer tokens are checked in the function.
      expect(route.authorizationType).toBe('NONE');
    }
  });

  it('answers 405 with Allow and a SCIM error, without a function, for every method a route does not serve', () => {
    const mocked = routes(dev.template).filter((r) => r.integrationType === 'MOCK');
    const expected = SCIM_ROUTES.flatMap((route) =>
      ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
        .filter((method) => !route.methods.includes(method))
        .map((method) => `${method} /scim/v2${route.path} Allow: ${route.methods.join(', ')}`),
    ).sort();
    const actual = mocked
      .map((r) => {
        const [response] = r.integration.IntegrationResponses as Record<string, unknown>[];
        const headers = (response?.ResponseParameters ?? {}) as Record<string, string>;
        return `${r.method} ${r.path} Allow: ${headers['method.response.header.Allow']?.replaceAll("'", '')}`;
      })
      .sort();
    expect(actual).toEqual(expected);
    expect(actual).toContain('PUT /scim/v2/ServiceProviderConfig Allow: GET');
    expect(actual).toContain('DELETE /scim/v2/Users Allow: GET, POST');
    for (const route of mocked) {
      expect(route.target).toBe('');
      const [response] = route.integration.IntegrationResponses as Record<string, unknown>[];
      expect(response?.StatusCode).toBe('405');
      // The default response: whatever the mock answers maps to 405.
      expect(response?.SelectionPattern).toBeUndefined();
      // The client's body never reaches the mock: only the fixed templates do.
      expect(route.integration.PassthroughBehavior).toBe('NEVER');
      expect(Object.keys(route.integration.RequestTemplates as object).sort()).toEqual([
        'application/json',
        'application/scim+json',
      ]);
      expect(
        (response?.ResponseParameters as Record<string, string>)['method.response.header.Content-Type'],
      ).toBe("'application/scim+json'");
      const body = JSON.parse(
        (response?.ResponseTemplates as Record<string, string>)['application/json'] ?? '{}',
      );
      expect(body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '405',
        detail: `${route.method} is not supported here.`,
      });
    }
  });

  it('is regional and throttled per environment', () => {
    dev.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: 'roster-dev',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    for (const [synth, rate, burst] of [
      [dev, 25, 50],
      [prod, 100, 200],
    ] as const) {
      synth.template.hasResourceProperties('AWS::ApiGateway::Stage', {
        TracingEnabled: true,
        MethodSettings: [
          Match.objectLike({
            HttpMethod: '*',
            ResourcePath: '/*',
            ThrottlingRateLimit: rate,
            ThrottlingBurstLimit: burst,
            LoggingLevel: 'ERROR',
            DataTraceEnabled: false,
          }),
        ],
      });
    }
  });

  it('writes JSON access logs, with a numeric status, to a log group with retention', () => {
    const stage = Object.values(dev.template.findResources('AWS::ApiGateway::Stage'))[0];
    const setting = (
      stage?.Properties as {
        AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [string] }; Format: string };
      }
    ).AccessLogSetting;
    const format = JSON.parse(setting.Format.replace('$context.status', '200')) as Record<string, unknown>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: 200, stage: '$context.stage' });
    expect(setting.Format).not.toMatch(/authorization|requestBody/i);
    const logGroupId = setting.DestinationArn['Fn::GetAtt'][0];
    expect(dev.template.toJSON().Resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 7 },
    });
  });

  it('answers unknown paths and throttling with SCIM error bodies', () => {
    dev.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
      ResponseParameters: { 'gatewayresponse.header.Content-Type': "'application/scim+json'" },
      ResponseTemplates: {
        'application/json': Match.serializedJson(
          Match.objectLike({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404' }),
        ),
      },
    });
    dev.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      StatusCode: '429',
    });
  });

  it('serves a custom domain on TLS 1.2+ only, and gives the functions its URL', () => {
    const { template } = prod;
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'scim.example.com',
      SecurityPolicy: 'TLS_1_2',
      EndpointConfiguration: { Types: ['REGIONAL'] },
      RegionalCertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc',
    });
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
    template.hasOutput('ScimUrl', { Value: 'https://scim.example.com/scim/v2' });
    expect(functionProperties(template, 'roster-prod-scim-users')).toMatchObject({
      Environment: { Variables: { SCIM_BASE_URL: 'https://scim.example.com/scim/v2' } },
    });
    dev.template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
  });

  it('creates the built-in workspace the default connection is bound to, once, never overwriting one', () => {
    const resources = Object.values(dev.template.findResources('Custom::AWS'));
    expect(resources).toHaveLength(1);
    const text = JSON.stringify((resources[0]?.Properties as { Create: unknown }).Create);
    expect(text).toContain('TransactWriteItems');
    expect(text).toContain('W#default#meta');
    expect(text).toContain('attribute_not_exists(pk)');
    expect(text).toContain('TransactionCanceledException');
    expect((resources[0]?.Properties as Record<string, unknown>).Update).toBeUndefined();
  });

  it('sits behind WAF in staging and prod, not in dev', () => {
    for (const { template } of [staging, prod]) {
      template.resourceCountIs('AWS::WAFv2::WebACL', 1);
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
      });
      template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
      // Rate-based rules per IP and per bearer token answer 429 with Retry-After, not 403.
      for (const [name, key] of [
        ['RatePerIp', { AggregateKeyType: 'IP' }],
        [
          'RatePerToken',
          {
            AggregateKeyType: 'CUSTOM_KEYS',
            CustomKeys: [
              { Header: { Name: 'authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } },
            ],
          },
        ],
      ] as const) {
        template.hasResourceProperties('AWS::WAFv2::WebACL', {
          Rules: Match.arrayWith([
            Match.objectLike({
              Name: name,
              Action: {
                Block: {
                  CustomResponse: {
                    ResponseCode: 429,
                    ResponseHeaders: [{ Name: 'Retry-After', Value: '60' }],
                  },
                },
              },
              Statement: { RateBasedStatement: Match.objectLike(key) },
            }),
          ]),
        });
      }
    }
    dev.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  it('alarm on 401s from the access log, and encrypt the alarm topic with a key CloudWatch may use', () => {
    dev.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = 401 }',
      MetricTransformations: [Match.objectLike({ MetricName: 'ApiUnauthorized', MetricNamespace: 'Roster' })],
    });
    dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'roster-dev-ApiUnauthorized',
      Threshold: 20,
    });
    dev.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    dev.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });
});

describe('alarms and dashboard', () => {
  it('alarm on 5xx rate, throttles, function errors, sync failures and refusals, access not removed', () => {
    const names = Object.values(dev.template.findResources('AWS::CloudWatch::Alarm'))
      .map((alarm) => (alarm.Properties as { AlarmName: string }).AlarmName)
      .sort();
    expect(names).toEqual(
      [
        'Api5xxRate',
        'ApiThrottled',
        'ApiUnauthorized',
        'ScimUsersErrors',
        'ScimGroupsErrors',
        'ScimDiscoveryErrors',
        'FullSyncErrors',
        'ScimUsersThrottles',
        'ScimGroupsThrottles',
        'ScimDiscoveryThrottles',
        'SyncFailed',
        'SyncRefused',
        'AccessNotRemoved',
        'ApplyErrors',
        'ApplyThrottles',
        'ApplyDeadLetters',
        'ApplyFailures',
        'ApplyIteratorAge',
        'ApplyPendingAge',
      ]
        .map((name) => `roster-dev-${name}`)
        .sort(),
    );
  });

  it('watch the metrics the full sync publishes through Powertools', () => {
    for (const metricName of ['SyncFailed', 'SyncRefused']) {
      dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Roster',
        MetricName: metricName,
        // One service per environment: two environments in one account do not share alarm data.
        Dimensions: [{ Name: 'service', Value: 'roster-dev' }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
    // The dimension the alarm watches is the service name the full-sync function publishes under.
    for (const [env, stack] of [
      ['dev', dev],
      ['prod', prod],
    ] as const) {
      const variables = (
        functionProperties(stack.template, `roster-${env}-full-sync`).Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
      expect(variables.POWERTOOLS_SERVICE_NAME).toBe(`roster-${env}`);
      stack.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'SyncRefused',
        Dimensions: [{ Name: 'service', Value: `roster-${env}` }],
      });
    }
  });

  it('alarm on one open access incident, and stay raised until a sync counts none', () => {
    for (const [env, stack] of [
      ['dev', dev],
      ['prod', prod],
    ] as const) {
      stack.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `roster-${env}-AccessNotRemoved`,
        Namespace: 'Roster',
        MetricName: 'AccessNotRemoved',
        // The SCIM functions and the full sync publish it under the environment's service name.
        Dimensions: [{ Name: 'service', Value: `roster-${env}` }],
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'ignore',
      });
      for (const name of ['scim-users', 'scim-groups', 'full-sync']) {
        const variables = (
          functionProperties(stack.template, `roster-${env}-${name}`).Environment as {
            Variables: Record<string, unknown>;
          }
        ).Variables;
        expect(variables).toMatchObject({
          POWERTOOLS_SERVICE_NAME: `roster-${env}`,
          POWERTOOLS_METRICS_NAMESPACE: 'Roster',
        });
      }
    }
    // The name the code publishes is the name the alarm watches.
    expect(ACCESS_NOT_REMOVED_METRIC).toBe(PUBLISHED_METRIC);
    const dashboard = JSON.stringify(dev.template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboard).toContain('AccessNotRemoved');
  });

  it('count API 429s from the access log and alarm on the 5xx share', () => {
    dev.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = 429 }',
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'Roster', MetricName: 'ApiThrottled' })],
    });
    dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'roster-dev-Api5xxRate',
      MetricName: '5XXError',
      Statistic: 'Average',
      Threshold: 0.05,
    });
  });

  it('notify the alarm topic, which accepts only TLS and has the operator e-mails', () => {
    const topicId = Object.keys(dev.template.findResources('AWS::SNS::Topic'))[0];
    for (const alarm of Object.values(dev.template.findResources('AWS::CloudWatch::Alarm'))) {
      expect((alarm.Properties as { AlarmActions: unknown[] }).AlarmActions).toEqual([{ Ref: topicId }]);
    }
    dev.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
    prod.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    dev.template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('have a dashboard per environment', () => {
    dev.template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'Roster-dev' });
    prod.template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'Roster-prod' });
  });
});

describe('cdk-nag (AWS Solutions)', () => {
  it('finds no unacknowledged error or warning in any environment', () => {
    for (const { app, stack } of [dev, staging, prod]) {
      const report = new AwsSolutionsChecks(app).validateScope(stack);
      expect(
        report.violations.map(
          (v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        ),
      ).toEqual([]);
      expect(report.success).toBe(true);
    }
  });

  it('gives every acknowledgment a specific reason', () => {
    const reasons = NAG_ACKNOWLEDGMENTS.map((a) => a.reason);
    expect(new Set(reasons).size).toBe(reasons.length);
    for (const reason of reasons) expect(reason.length).toBeGreaterThan(60);
    expect(NAG_ACKNOWLEDGMENTS.map((a) => a.id)).not.toContain('AwsSolutions-IAM5');
  });

  it('acknowledges missing WAF only where there is none', () => {
    const acknowledged = (synth: Synthesized) =>
      JSON.stringify(synth.stack.api.api.deploymentStage.node.metadata).includes('AwsSolutions-APIG3');
    expect(acknowledged(dev)).toBe(true);
    expect(acknowledged(prod)).toBe(false);
  });
});
