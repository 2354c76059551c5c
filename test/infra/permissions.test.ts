/**
 * Least privilege, function by function: the exact IAM actions each role holds, on which
 * resources, and no Scan anywhere.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GSI1, GSI2 } from '../../shared/store/table';
import { synthesize } from './synth';
import type { Synthesized } from './synth';
import { actionsOfFunction, allActions, statementsOfFunction } from './template-queries';

let dev: Synthesized;
let tableId: string;
let connectionsId: string;
let workspaceId: string;

beforeAll(() => {
  dev = synthesize('dev');
  const ids = (type: string) => Object.keys(dev.template.findResources(type));
  [tableId] = ids('AWS::DynamoDB::Table') as [string];
  connectionsId = ids('AWS::SecretsManager::Secret').find((id) => id.startsWith('SecretsConnections')) ?? '';
  workspaceId = ids('AWS::SecretsManager::Secret').find((id) => id.startsWith('SecretsWorkspace')) ?? '';
});

const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const XRAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const SECRET_READ = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];
const SCIM_TABLE = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
];

const sorted = (...lists: string[][]) => [...new Set(lists.flat())].sort();

function resourcesFor(functionName: string, action: string): unknown[] {
  return statementsOfFunction(dev.template, functionName)
    .filter((s) => s.actions.includes(action))
    .flatMap((s) => s.resources);
}

function tableResources(): unknown[] {
  const arn = { 'Fn::GetAtt': [tableId, 'Arn'] };
  return [arn, ...[GSI1, GSI2].map((index) => ({ 'Fn::Join': ['', [arn, `/index/${index.name}`]] }))];
}

describe('IAM', () => {
  it('grants Scan nowhere, and no wildcard DynamoDB action', () => {
    const actions = allActions(dev.template);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => /scan/i.test(a))).toEqual([]);
    expect(actions.filter((a) => /^dynamodb:.*\*/.test(a) || a === '*')).toEqual([]);
  });

  it('scim-users and scim-groups: link-state reads, writes and transactions; both secrets', () => {
    for (const name of ['roster-dev-scim-users', 'roster-dev-scim-groups']) {
      expect(actionsOfFunction(dev.template, name)).toEqual(sorted(SCIM_TABLE, SECRET_READ, LOGS, XRAY));
      expect(resourcesFor(name, 'dynamodb:Query')).toEqual(tableResources());
      expect(resourcesFor(name, 'secretsmanager:GetSecretValue')).toEqual(
        expect.arrayContaining([{ Ref: connectionsId }, { Ref: workspaceId }]),
      );
    }
  });

  it('scim-discovery: only the connection secret, to authenticate the caller', () => {
    const name = 'roster-dev-scim-discovery';
    expect(actionsOfFunction(dev.template, name)).toEqual(sorted(SECRET_READ, LOGS, XRAY));
    expect(resourcesFor(name, 'secretsmanager:GetSecretValue')).toEqual([{ Ref: connectionsId }]);
  });

  it('full-sync: the SCIM table actions plus BatchWriteItem, both secrets, and invoking itself only', () => {
    const name = 'roster-dev-full-sync';
    expect(actionsOfFunction(dev.template, name)).toEqual(
      sorted(SCIM_TABLE, ['dynamodb:BatchWriteItem', 'lambda:InvokeFunction'], SECRET_READ, LOGS, XRAY),
    );
    expect(resourcesFor(name, 'dynamodb:BatchWriteItem')).toEqual(tableResources());
    const invoke = JSON.stringify(resourcesFor(name, 'lambda:InvokeFunction'));
    expect(invoke).toContain(':function:roster-dev-full-sync"');
    expect(resourcesFor(name, 'lambda:InvokeFunction')).toHaveLength(1);
  });

  it('lets each function write only to its own log group', () => {
    for (const suffix of ['scim-users', 'scim-groups', 'scim-discovery', 'full-sync']) {
      const resources = JSON.stringify(resourcesFor(`roster-dev-${suffix}`, 'logs:PutLogEvents'));
      const groups = dev.template.findResources('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: `/aws/lambda/roster-dev-${suffix}` },
      });
      const [groupId] = Object.keys(groups);
      expect(groupId).toBeDefined();
      expect(resources).toBe(JSON.stringify([{ 'Fn::GetAtt': [groupId, 'Arn'] }]));
    }
  });

  it("uses no AWS managed policy on the function roles (only CDK's deploy-time custom resource provider has one)", () => {
    const roles = Object.entries(dev.template.findResources('AWS::IAM::Role')).filter(([, role]) =>
      JSON.stringify(role.Properties).includes('lambda.amazonaws.com'),
    );
    const managed = roles.filter(([, role]) => role.Properties && 'ManagedPolicyArns' in role.Properties);
    expect(managed.map(([id]) => id)).toEqual([
      expect.stringMatching(/^AWS679f53fac002430cb0da5b7982bd2287/),
    ]);
    expect(JSON.stringify(managed[0]?.[1].Properties.ManagedPolicyArns)).toContain(
      'AWSLambdaBasicExecutionRole',
    );
  });

  it('lets the default-workspace custom resource write only the table, only at create', () => {
    const policies = Object.values(dev.template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties).includes('dynamodb:TransactWriteItems'),
    );
    expect(policies).toHaveLength(1);
    const statements = (policies[0]?.Properties as { PolicyDocument: { Statement: { Action: unknown }[] } })
      .PolicyDocument.Statement;
    expect(statements.map((statement) => statement.Action)).toEqual(['dynamodb:TransactWriteItems']);
  });
});
