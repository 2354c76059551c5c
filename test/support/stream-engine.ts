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
 * times as long and time out; a fresh engine costs about 4 s of CPU, so an engine serves a few
 * short files and then retires (engine-pool.ts).
 *
 * The engine comes from the run's pool (engine-pool.ts), which starts the next one while this file
 * runs. When the file ends it gives the engine back; the pool empties it for a few more short files
 * or kills it, and the run's teardown kills any engine whose worker died before it gave it back.
 */
import type { Environment } from 'vitest/environments';
import { claimEngine, releaseEngine } from './engine-pool';

const environment: Environment = {
  name: 'stream-engine',
  viteEnvironment: 'ssr',
  async setup() {
    const directory = process.env.ROSTER_TEST_ENGINES;
    if (!directory) throw new Error('ROSTER_TEST_ENGINES is not set: run the tests through vitest.config.ts');
    const engine = await claimEngine(directory);
    const shared = process.env.DYNAMODB_ENDPOINT;
    process.env.DYNAMODB_ENDPOINT = engine.endpoint;
    process.env.ROSTER_TEST_STREAM = 'true';
    return {
      teardown() {
        process.env.DYNAMODB_ENDPOINT = shared;
        delete process.env.ROSTER_TEST_STREAM;
        releaseEngine(directory, engine);
      },
    };
  },
};

export default environment;
