import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Request logs are asserted where they matter (test/shared/http); elsewhere they are noise.
    env: { POWERTOOLS_LOG_LEVEL: 'WARN' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
