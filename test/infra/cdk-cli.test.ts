/**
 * `npx cdk synth -c env=dev` through the real CDK CLI, offline, bundling every function with the
 * local esbuild: the library-level tests cannot see a CLI that is too old for the library's cloud
 * assembly schema, or an app command that does not start.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const output = mkdtempSync(join(tmpdir(), 'roster-cdk-'));

afterAll(() => rmSync(output, { recursive: true, force: true }));

describe('cdk synth through the CLI', () => {
  it('synthesizes the dev stack offline with bundled functions', async () => {
    const cdk = join(process.cwd(), 'node_modules', '.bin', 'cdk');
    await run(cdk, ['synth', '-c', 'env=dev', '-q', '--output', output], {
      cwd: process.cwd(),
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
      timeout: 240_000,
    });
    const templateFile = join(output, 'Roster-dev.template.json');
    expect(existsSync(templateFile)).toBe(true);
    const template = JSON.parse(readFileSync(templateFile, 'utf8')) as {
      Resources: Record<string, { Type: string }>;
    };
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(4);
  }, 300_000);

  it('refuses an unknown environment and names the known ones', async () => {
    const cdk = join(process.cwd(), 'node_modules', '.bin', 'cdk');
    const failure = await run(cdk, ['synth', '-c', 'env=nope', '-q', '--output', output], {
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
      timeout: 120_000,
    }).then(
      () => undefined,
      (error: { stderr?: string; stdout?: string }) => `${error.stderr ?? ''}${error.stdout ?? ''}`,
    );
    expect(failure).toMatch(/dev.*staging.*prod/s);
  }, 180_000);
});
