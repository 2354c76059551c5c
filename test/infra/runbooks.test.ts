/**
 * docs/deploy.md has a runbook for every alarm the stack defines: each alarm's name (the part
 * after `roster-<env>-`) is in the heading of a runbook section, so a new alarm without one fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/bundling';
import { synthesize } from './synth';

function alarmNames(env: string, context: Record<string, string> = {}): string[] {
  const alarms = synthesize(env, context).template.findResources('AWS::CloudWatch::Alarm');
  return Object.values(alarms).map((alarm) =>
    String((alarm as { Properties: { AlarmName: string } }).Properties.AlarmName).replace(
      `roster-${env}-`,
      '',
    ),
  );
}

describe('alarm runbooks (docs/deploy.md)', () => {
  it('every alarm of every environment has a runbook heading', () => {
    const guide = readFileSync(join(PROJECT_ROOT, 'docs', 'deploy.md'), 'utf8');
    const headings = guide
      .split('\n')
      .filter((line) => /^#{3,4} /.test(line))
      .join('\n');
    const names = new Set([
      ...alarmNames('dev'),
      ...alarmNames('prod', {
        domainName: 'scim.example.com',
        certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc',
      }),
    ]);
    expect(names.size).toBeGreaterThanOrEqual(13);
    const missing = [...names].filter((name) => !headings.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
