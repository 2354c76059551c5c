/**
 * A pool of DynamoDB Local engines kept ready for the test files that need an engine of their own
 * (stream-engine.ts), so that a file does not wait for a JVM to start: while one file runs on its
 * engine, the next one's starts beside it.
 *
 * The pool lives in the run's main process (global-setup.ts) and talks to the workers through a
 * directory, because vitest workers are separate processes:
 * - `ready/<pid>` holds the endpoint of an engine nobody has taken; a worker takes it by renaming
 *   it into `claimed/` (a rename is atomic, so two workers never take one engine);
 * - `wanted` is written by the first worker that asks: the pool starts nothing before that, so a
 *   run without such files starts no extra JVM;
 * - `<pid>` lists every engine started, so that the run's teardown kills those a dead worker left.
 *
 * The worker that took an engine kills it when its file ends (an in-memory engine has nothing to
 * flush). Why an engine per file at all: see stream-engine.ts.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDynamoLocal } from '../../local/dynamo-local';

export interface EnginePool {
  stop(): Promise<void>;
}

export interface ClaimedEngine {
  endpoint: string;
  pid: number;
}

const POLL_MS = 100;
const READY_TIMEOUT_MS = 120_000;

export function startEnginePool(directory: string, size = 1): EnginePool {
  mkdirSync(join(directory, 'ready'), { recursive: true });
  mkdirSync(join(directory, 'claimed'), { recursive: true });
  let starting: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped || starting || !existsSync(join(directory, 'wanted'))) return;
    if (readdirSync(join(directory, 'ready')).length >= size) return;
    starting = startDynamoLocal({ readyTimeoutMs: READY_TIMEOUT_MS })
      .then((engine) => {
        if (engine.pid === undefined) return engine.stop();
        writeFileSync(join(directory, String(engine.pid)), '');
        if (stopped) return engine.stop();
        const staged = join(directory, `staged-${engine.pid}`);
        writeFileSync(staged, engine.endpoint);
        renameSync(staged, join(directory, 'ready', String(engine.pid)));
        return undefined;
      })
      .catch((error: unknown) => {
        // The worker that waits for it times out with this reason's gist; the next tick tries again.
        writeFileSync(join(directory, 'last-error'), String(error));
      })
      .finally(() => {
        starting = undefined;
      });
  };
  const timer = setInterval(tick, POLL_MS);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await starting;
    },
  };
}

/** Takes a ready engine from the pool in `directory`, waiting for one to start if none is. */
export async function claimEngine(directory: string, timeoutMs = READY_TIMEOUT_MS): Promise<ClaimedEngine> {
  writeFileSync(join(directory, 'wanted'), '');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const name of readdirSync(join(directory, 'ready'))) {
      const claimed = join(directory, 'claimed', name);
      try {
        renameSync(join(directory, 'ready', name), claimed);
      } catch {
        continue; // another worker took it first
      }
      return { endpoint: readFileSync(claimed, 'utf8'), pid: Number(name) };
    }
    if (Date.now() > deadline) {
      const reason = existsSync(join(directory, 'last-error'))
        ? readFileSync(join(directory, 'last-error'), 'utf8')
        : 'no engine became ready';
      throw new Error(`the test engine pool gave no DynamoDB Local within ${timeoutMs / 1000} s: ${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
