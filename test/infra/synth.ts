/**
 * Synthesizes one environment the way `cdk synth -c env=<env>` does (same app builder, the
 * feature flags from cdk.json), but without running esbuild, so template assertions stay fast.
 * Bundling itself is covered by bundle.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PROJECT_ROOT } from '../../infra/bundling';
import { addRosterStack } from '../../infra/roster-app';
import type { RosterStack } from '../../infra/roster-stack';

const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface Synthesized {
  app: App;
  stack: RosterStack;
  template: Template;
}

export function synthesize(env: string, context: Record<string, string> = {}): Synthesized {
  const app = new App({ context: { ...cdkJson.context, env, ...context } });
  const stack = addRosterStack(app, { bundle: false });
  return { app, stack, template: Template.fromStack(stack) };
}
