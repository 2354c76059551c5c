import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const saved = process.env.ROSTER_HOME;
afterEach(() => {
  if (saved === undefined) delete process.env.ROSTER_HOME;
  else process.env.ROSTER_HOME = saved;
  vi.resetModules();
});

describe('the instance record', () => {
  it('lives in the checkout, so the CLI finds it from any directory of it', async () => {
    delete process.env.ROSTER_HOME;
    const cwd = process.cwd();
    process.chdir(resolve('shared'));
    try {
      vi.resetModules();
      const { INSTANCE_FILE } = await import('../../local/instance');
      expect(INSTANCE_FILE).toBe(join(cwd, '.roster', 'local.json'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('follows ROSTER_HOME when it is set', async () => {
    process.env.ROSTER_HOME = '/tmp/roster-home-test';
    vi.resetModules();
    const { INSTANCE_FILE } = await import('../../local/instance');
    expect(INSTANCE_FILE).toBe('/tmp/roster-home-test/local.json');
  });
});
