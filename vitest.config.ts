import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // `// @vitest-environment stream-engine` in a test file: a DynamoDB Local engine of its own.
    alias: {
      'vitest-environment-stream-engine': fileURLToPath(
        new URL('./test/support/stream-engine.ts', import.meta.url),
      ),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/file-table.ts'],
    pool: 'forks',
    // At least two workers, even on 2 cores (vitest's default there is one): a file spends about
    // half its time waiting for DynamoDB Local's JVM, so a second file fills the core the first
    // leaves idle. Measured on the 2-core machine (2026-12-07, quiet, a clean-clone `.ci/run`): the
    // vitest run took 832 s with one worker and 506 s with two (the quick test JVM of
    // local/dynamo-local.ts came with it), peak 1.9 GiB above idle.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Request logs are asserted where they matter (test/shared/http) and sync metrics through an
    // injected sink (test/shared/sync); printed, both are only noise.
    // The per-connection rate limit is tested with its own limiter (connection-rate-limit.test.ts);
    // the suites that push hard on one connection run above it.
    env: {
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
      ROSTER_CONNECTION_RATE_LIMIT: '100000',
      // The pilot tests wait out the rollout cache after narrowing a scope; 5 s each in production.
      ROSTER_ROLLOUT_CACHE_MS: '500',
    },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
