/**
 * A pool of DynamoDB Local engines kept ready for the test files that need an engine of their own
 * (stream-engine.ts), so that a file does not wait for a JVM to start: while one file runs on its
 * engine, the next one's starts beside it.
 *
 * The pool lives in the run's main process (global-setup.ts) and talks to the workers through a
 * directory, because vitest workers are separate processes:
 * - `ready/<pid>` holds the record of an engine nobody has taken (its endpoint, and the files it
 *   has served); a worker takes it by renaming it into `claimed/` (a rename is atomic, so two
 *   workers never take one engine);
 * - `wanted` is written by the first worker that asks: the pool starts nothing before that, so a
 *   run without such files starts no extra JVM;
 * - `<pid>` lists every engine started, so that the run's teardown kills those a dead worker left;
 * - `returned/<pid>`: an engine whose file has ended (`releaseEngine`). The pool takes it back if it
 *   is still fresh (it has served fewer than `REUSE.files` files, for less than `REUSE.busyMs` of
 *   their time in all) and answers: it drops every table left on it and puts it back in `ready/`.
 *   Otherwise the pool kills it (an in-memory engine has nothing to flush). The worker only renames
 *   a file: vitest does not wait for a worker's asynchronous environment teardown.
 *
 * Why reuse: a new JVM costs about 2.4 s of CPU to start and another 1.3 s to compile its hot paths
 * on the first file's requests. Measured on the 2-core machine (a table with a stream, 300 PutItems
 * and 50 Queries, then dropped, three times on one engine): 2.0 s of the engine's CPU the first time,
 * 0.74 and 0.80 s after. With 39 files on engines of their own, that was about 145 s of CPU a run.
 * Why a bound on reuse: an engine gets slower with every stream record it has ever held (see
 * stream-engine.ts); the time its files ran stands in for the records they wrote.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoLocal } from '../../local/dynamo-local';

export interface EnginePool {
  stop(): Promise<void>;
}

export interface ClaimedEngine {
  endpoint: string;
  pid: number;
  /** Files that ran on it before this one. */
  files: number;
  /** How long those files held it, in all. */
  busyMs: number;
  /** When this file took it (Date.now()). */
  claimedAt: number;
}

/** What an engine in `ready/` carries. */
interface EngineRecord {
  endpoint: string;
  files: number;
  busyMs: number;
}

/**
 * How far an engine is reused. The suite's stream files mostly run 1–8 s; the heaviest (20–35 s)
 * retire their engine alone.
 */
export const REUSE = { files: 4, busyMs: 15_000 } as const;

/** Whether an engine that has served `files` files for `busyMs` in all may serve another. */
export function reusable(files: number, busyMs: number): boolean {
  return files < REUSE.files && busyMs < REUSE.busyMs;
}

const POLL_MS = 100;
const READY_TIMEOUT_MS = 120_000;

export function startEnginePool(directory: string, size = 1): EnginePool {
  mkdirSync(join(directory, 'ready'), { recursive: true });
  mkdirSync(join(directory, 'claimed'), { recursive: true });
  mkdirSync(join(directory, 'returned'), { recursive: true });
  let starting: Promise<void> | undefined;
  let recycling: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (!stopped && !recycling) {
      recycling = recycle(directory).finally(() => {
        recycling = undefined;
      });
    }
    if (stopped || starting || !existsSync(join(directory, 'wanted'))) return;
    const coming =
      readdirSync(join(directory, 'ready')).length + readdirSync(join(directory, 'returned')).length;
    if (coming >= size) return;
    starting = startDynamoLocal({ readyTimeoutMs: READY_TIMEOUT_MS })
      .then((engine) => {
        if (engine.pid === undefined) return engine.stop();
        writeFileSync(join(directory, String(engine.pid)), '');
        if (stopped) return engine.stop();
        offer(directory, engine.pid, { endpoint: engine.endpoint, files: 0, busyMs: 0 });
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
      await Promise.all([starting, recycling]);
    },
  };
}

/**
 * Takes a ready engine from the pool in `directory`, the warmest first, waiting for one to start if
 * none is.
 */
export async function claimEngine(directory: string, timeoutMs = READY_TIMEOUT_MS): Promise<ClaimedEngine> {
  writeFileSync(join(directory, 'wanted'), '');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const name of warmestFirst(directory)) {
      const claimed = join(directory, 'claimed', name);
      try {
        renameSync(join(directory, 'ready', name), claimed);
      } catch {
        continue; // another worker took it first
      }
      const record = JSON.parse(readFileSync(claimed, 'utf8')) as EngineRecord;
      return { ...record, pid: Number(name), claimedAt: Date.now() };
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

/**
 * The ready engines, those that have served the most files first: a warm engine is quicker than a
 * new one, and the new one then waits for a file that may need all of its budget.
 */
function warmestFirst(directory: string): string[] {
  const files = (name: string): number => {
    try {
      return (JSON.parse(readFileSync(join(directory, 'ready', name), 'utf8')) as EngineRecord).files;
    } catch {
      return -1; // taken meanwhile
    }
  };
  return readdirSync(join(directory, 'ready'))
    .map((name) => ({ name, files: files(name) }))
    .filter((entry) => entry.files >= 0)
    .sort((a, b) => b.files - a.files)
    .map((entry) => entry.name);
}

/** Puts an engine in `ready/` (written aside, then renamed: a worker never reads half a record). */
function offer(directory: string, pid: number, record: EngineRecord): void {
  const staged = join(directory, `staged-${pid}`);
  writeFileSync(staged, JSON.stringify(record));
  renameSync(staged, join(directory, 'ready', String(pid)));
}

/**
 * Called when the file that claimed `engine` ends: hands it back to the pool, which empties it for
 * the next file or kills it (`recycle`). Synchronous, so that it is done before the worker exits.
 */
export function releaseEngine(directory: string, engine: ClaimedEngine): void {
  const record: EngineRecord = {
    endpoint: engine.endpoint,
    files: engine.files + 1,
    busyMs: engine.busyMs + (Date.now() - engine.claimedAt),
  };
  const staged = join(directory, `staged-${engine.pid}`);
  writeFileSync(staged, JSON.stringify(record));
  renameSync(staged, join(directory, 'returned', String(engine.pid)));
  rmSync(join(directory, 'claimed', String(engine.pid)), { force: true });
}

/** The pool's side: every returned engine goes back to `ready/`, emptied, or is killed. */
async function recycle(directory: string): Promise<void> {
  for (const name of readdirSync(join(directory, 'returned'))) {
    const returned = join(directory, 'returned', name);
    const record = JSON.parse(readFileSync(returned, 'utf8')) as EngineRecord;
    const pid = Number(name);
    // The record stays in `returned/` while the engine is emptied, so that the pool does not start
    // another one meanwhile; it goes in the same synchronous step that offers or kills the engine.
    const reuse = reusable(record.files, record.busyMs) && (await emptied(record.endpoint));
    rmSync(returned, { force: true });
    if (reuse) {
      offer(directory, pid, record);
    } else {
      killEngine(pid);
      rmSync(join(directory, name), { force: true });
    }
  }
}

/** Kills an engine's process group, as local/dynamo-local.ts stops it; in memory, nothing is lost. */
function killEngine(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Kills every engine the pool in `directory` started that is still running (those a dead worker
 * left, and those waiting in `ready/`), then removes the directory: the run's teardown.
 */
export function killStartedEngines(directory: string): void {
  for (const name of readdirSync(directory).filter((entry) => /^\d+$/.test(entry))) killEngine(Number(name));
  rmSync(directory, { recursive: true, force: true });
}

/** Drops every table on the engine; false when it does not answer within 2 s. */
async function emptied(endpoint: string): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { requestTimeout: 2_000, connectionTimeout: 1_000 },
  });
  try {
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    for (const TableName of TableNames) await client.send(new DeleteTableCommand({ TableName }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}
