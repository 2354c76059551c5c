/**
 * Vitest environment for the test files that run the stream-fed apply (`// @vitest-environment stream-engine` at the top of
 * the file, resolved through the alias in vitest.config.ts): the file gets a DynamoDB Local engine
 * of its own, started before the file's setup and stopped after its last test, and its table gets
 * the stream (test/support/file-table.ts). Every other file shares the run's engine, with tables
 * that have no stream.
 *
 * Why: DynamoDB Local gets slower with every stream record it has ever held, those of deleted
 * tables included. Measured on the 2-core machine: 2,000 puts to a fresh stream-enabled table took
 * 7 s on a new engine and 30 s once 14,000 stream records had gone through it (tables deleted),
 * while without streams they stayed at about 3 s. One shared engine made the whole suite run three
 * times as long and time out; an engine per file costs about 4 s to start and never slows down.
 *
 * The engine's pid is written to the run's engine directory (global-setup.ts) and removed when it
 * stops, so that the run's teardown kills any engine whose worker died before it could stop it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment } from 'vitest/environments';
import { startDynamoLocal } from '../../local/dynamo-local';

const environment: Environment = {
  name: 'stream-engine',
  viteEnvironment: 'ssr',
  async setup() {
    const engine = await startDynamoLocal({ readyTimeoutMs: 120_000 });
    const directory = process.env.ROSTER_TEST_ENGINES;
    const pidFile = directory && engine.pid !== undefined ? join(directory, String(engine.pid)) : undefined;
    if (pidFile && directory) {
      mkdirSync(directory, { recursive: true });
      writeFileSync(pidFile, '');
    }
    const shared = process.env.DYNAMODB_ENDPOINT;
    process.env.DYNAMODB_ENDPOINT = engine.endpoint;
    process.env.ROSTER_TEST_STREAM = 'true';
    return {
      async teardown() {
        process.env.DYNAMODB_ENDPOINT = shared;
        delete process.env.ROSTER_TEST_STREAM;
        await engine.stop();
        if (pidFile) rmSync(pidFile, { force: true });
      },
    };
  },
};

export default environment;
