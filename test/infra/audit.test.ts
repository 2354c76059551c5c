/**
 * The audit trail as the stack deploys it: its EventBridge bus, the apply function's right to put
 * events on that bus only (and to write the trail in batches), the settings it reads, the output.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from './synth';
import type { Synthesized } from './synth';
import { logicalIdOfFunction, statementsOfFunction } from './template-queries';

let dev: Synthesized;
let prod: Synthesized;

beforeAll(() => {
  dev = synthesize('dev');
  prod = synthesize('prod', { alarmEmails: 'ops@example.com' });
});

function busId(stack: Synthesized): string {
  const [id] = Object.keys(stack.template.findResources('AWS::Events::EventBus'));
  if (!id) throw new Error('no event bus');
  return id;
}

function applyEnvironment(stack: Synthesized, env: string): Record<string, unknown> {
  const id = logicalIdOfFunction(stack.template, `roster-${env}-apply`);
  const fn = stack.template.toJSON().Resources[id] as {
    Properties: { Environment: { Variables: Record<string, unknown> } };
  };
  return fn.Properties.Environment.Variables;
}

describe('the audit trail in the stack', () => {
  it('has a bus roster-<env>-audit, and says its name in an output', () => {
    dev.template.resourceCountIs('AWS::Events::EventBus', 1);
    dev.template.hasResourceProperties('AWS::Events::EventBus', { Name: 'roster-dev-audit' });
    prod.template.hasResourceProperties('AWS::Events::EventBus', { Name: 'roster-prod-audit' });
    dev.template.hasOutput('AuditBusName', { Value: { Ref: busId(dev) } });
  });

  it('lets the apply function, and no other, put events, on that bus only', () => {
    const putEvents = statementsOfFunction(dev.template, 'roster-dev-apply').filter((s) =>
      s.actions.includes('events:PutEvents'),
    );
    expect(putEvents.flatMap((s) => s.resources)).toEqual([{ 'Fn::GetAtt': [busId(dev), 'Arn'] }]);
    for (const other of ['scim-users', 'scim-groups', 'scim-discovery', 'full-sync'])
      expect(
        statementsOfFunction(dev.template, `roster-dev-${other}`).filter((s) =>
          s.actions.some((a) => a.startsWith('events:')),
        ),
      ).toEqual([]);
    expect(
      statementsOfFunction(dev.template, 'roster-dev-apply').some((s) =>
        s.actions.includes('dynamodb:BatchWriteItem'),
      ),
    ).toBe(true);
  });

  it('gives the apply function the bus, the source and the retention of its environment', () => {
    expect(applyEnvironment(dev, 'dev')).toMatchObject({
      ROSTER_AUDIT_BUS: { Ref: busId(dev) },
      ROSTER_AUDIT_SOURCE: 'roster.dev',
      ROSTER_AUDIT_RETENTION_DAYS: '30',
    });
    expect(applyEnvironment(prod, 'prod')).toMatchObject({
      ROSTER_AUDIT_SOURCE: 'roster.prod',
      ROSTER_AUDIT_RETENTION_DAYS: '365',
    });
  });
});
