/**
 * The local instance behind `npm start`: DynamoDB Local (in memory, or on disk with a data
 * directory), the table, the built-in workspace, the default connection and its bearer token, and
 * the HTTP server in front of the Lambda handlers. `stop()` takes all of it down again, JVM included.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NO_PUBLISHER } from '../shared/audit/audit-publisher';
import { AuditStore } from '../shared/audit/audit-store';
import { AuditTrail } from '../shared/audit/audit-trail';
import type { Db } from '../shared/store/client';
import { documentClient, dynamoClient } from '../shared/store/client';
import { ensureTable } from '../shared/store/create-table';
import type { ConnectionSettings } from '../shared/secrets/connection';
import { DynamoConnectionDirectory } from '../shared/secrets/dynamo-connection-directory';
import { SCIM_BASE_PATH } from '../shared/http/base-url';
import { createBuiltinWorkspace } from '../shared/workspace/builtin/create-builtin-workspace';
import { samlOnlySignIn } from '../shared/workspace/sign-in';
import { connectorFor } from '../shared/provisioning/connector-for';
import { DynamoLinkStore } from '../shared/store/dynamo-link-store';
import { ApplyRunner } from './apply-runner';
import { startDynamoLocal } from './dynamo-local';
import { INSTANCE_FILE, readInstance, removeInstance, writeInstance } from './instance';
import type { ScimRoutes } from './server';
import { startServer } from './server';
import { createServer } from 'node:net';

export const DEFAULT_PORT = 8787;
export const LOCAL_TABLE = 'roster-local';
export const DEFAULT_CONNECTION_ID = 'default';
export const DEFAULT_WORKSPACE_ID = 'default';

/**
 * The local workspace signs in with SAML only, as a real workspace must before SCIM may write to
 * it; switching password sign-in on with `roster workspace signin set --password on` shows the refusal.
 */
const LOCAL_SIGN_IN = samlOnlySignIn({
  acsUrl: 'http://127.0.0.1/saml/acs',
  entityId: 'roster-local',
  providerToken: 'local',
});

export interface StartLocalOptions {
  /** Progress lines while it starts (DynamoDB Local takes seconds). */
  progress?: (line: string) => void;
  routes: ScimRoutes;
  /** 0 picks a free port; default `PORT` or 8787. */
  port?: number;
  /** Keep the database (and the default token) in this directory; in memory when omitted. */
  dataDir?: string;
  /** The default connection's bearer token; generated when omitted (or reused from the data dir). */
  token?: string;
  table?: string;
  instanceFile?: string;
}

export interface LocalRuntime {
  /** `http://127.0.0.1:8787/scim/v2` */
  baseUrl: string;
  /**
   * The default connection's bearer token; absent when a kept instance's token was rotated or
   * revoked with `roster token` (only the token that command printed is valid then).
   */
  token?: string;
  connectionId: string;
  workspaceId: string;
  dynamodbEndpoint: string;
  table: string;
  /** Waits until everything committed so far is applied to the workspace (the stream poller's). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const ENV_KEYS = ['DYNAMODB_ENDPOINT', 'ROSTER_TABLE', 'ROSTER_CONNECTION_DIRECTORY', 'AWS_REGION'] as const;

function portInUse(port: number): LocalStartError {
  return new LocalStartError(
    `port ${port} is already in use (another Roster, or another program); start on another one with PORT=<port> npm start`,
  );
}

/** Whether nothing listens on the port of 127.0.0.1 (the server's own address). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => resolvePort(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePort(true)));
  });
}

/** A reason `npm start` cannot start that the person can act on: printed as one line, no stack trace. */
export class LocalStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalStartError';
  }
}

export async function startLocal(options: StartLocalOptions): Promise<LocalRuntime> {
  const instanceFile = options.instanceFile ?? INSTANCE_FILE;
  // A second start must leave the running instance alone: its file, its port, its data.
  const running = readInstance(instanceFile);
  if (running && running.pid !== process.pid) {
    throw new LocalStartError(
      `Roster is already running here (pid ${running.pid}, ${running.baseUrl}); stop it with Ctrl-C in its terminal, or start another with its own ROSTER_HOME and PORT`,
    );
  }
  const port = options.port ?? DEFAULT_PORT;
  // Before DynamoDB Local's ten seconds of start-up, not after them.
  if (port !== 0 && !(await portFree(port))) throw portInUse(port);
  const progress = options.progress ?? (() => undefined);
  const table = options.table ?? LOCAL_TABLE;
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  progress('Starting DynamoDB Local (Java; about ten seconds)…');
  const dynamo = await startDynamoLocal(dataDir ? { dbPath: dataDir } : {});
  progress(`DynamoDB Local is up at ${dynamo.endpoint}; creating the table and the built-in workspace…`);
  const client = dynamoClient(dynamo.endpoint);
  const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let apply: ApplyRunner | undefined;

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // Only this instance's own record: never the file of another one that started meanwhile.
    if (readInstance(instanceFile)?.pid === process.pid) removeInstance(instanceFile);
    await server?.close();
    await apply?.stop();
    client.destroy();
    await dynamo.stop();
    for (const key of ENV_KEYS) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
  };

  try {
    await ensureTable(client, table);
    // The handlers find the table and the connections through the environment, as on AWS.
    process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
    process.env.ROSTER_TABLE = table;
    process.env.ROSTER_CONNECTION_DIRECTORY = 'dynamo';
    process.env.AWS_REGION ??= 'local';

    const db: Db = { doc: documentClient(client), table };
    // The one call that sets up the built-in workspace the default connection is bound to.
    await createBuiltinWorkspace(db, DEFAULT_WORKSPACE_ID, {
      signIn: LOCAL_SIGN_IN,
      name: 'Local workspace',
    });
    const directory = new DynamoConnectionDirectory(() => db);
    const token = await defaultConnectionToken(directory, options.token, dataDir);
    // The apply function as on AWS: the same handler, fed by the table's stream.
    apply = new ApplyRunner({
      dynamodbEndpoint: dynamo.endpoint,
      table,
      deps: {
        store: new DynamoLinkStore(db),
        connectorFor,
        connection: (id) => directory.get(id),
        // The trail is in the table (`roster audit` reads it); locally no events are published.
        audit: new AuditTrail(new AuditStore(db), NO_PUBLISHER),
      },
      connections: () => directory.list(),
    });
    await apply.start();
    const runner = apply;

    try {
      server = await startServer(options.routes, { port });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw portInUse(port);
      throw error;
    }
    const runtime: LocalRuntime = {
      baseUrl: `${server.origin}${SCIM_BASE_PATH}`,
      token,
      connectionId: DEFAULT_CONNECTION_ID,
      workspaceId: DEFAULT_WORKSPACE_ID,
      dynamodbEndpoint: dynamo.endpoint,
      table,
      settle: () => runner.settle(),
      stop,
    };
    writeInstance(
      {
        baseUrl: runtime.baseUrl,
        ...(token ? { token } : {}),
        connectionId: runtime.connectionId,
        workspaceId: runtime.workspaceId,
        dynamodbEndpoint: runtime.dynamodbEndpoint,
        table,
        pid: process.pid,
      },
      instanceFile,
    );
    return runtime;
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Creates the default connection, or reuses it when the data is on disk. Only hashes are stored in
 * the table, so the plain token of a persistent instance is kept beside its data (owner-only) to
 * survive restarts. A restart never changes which tokens are valid: when the saved (or requested)
 * token no longer resolves, because it was rotated or revoked with `roster token`, nothing is
 * rotated back; the banner says so and the token that command printed keeps working.
 */
async function defaultConnectionToken(
  directory: DynamoConnectionDirectory,
  requested: string | undefined,
  dataDir: string | undefined,
): Promise<string | undefined> {
  const tokenFile = dataDir ? join(dataDir, 'default-connection.token') : undefined;
  const candidate = requested ?? (tokenFile ? readToken(tokenFile) : undefined);
  const settings: ConnectionSettings = {
    requireSamlOnly: true,
    workspace: { kind: 'builtin', workspaceId: DEFAULT_WORKSPACE_ID },
  };
  let token: string | undefined;
  if (!(await directory.get(DEFAULT_CONNECTION_ID))) {
    token = (await directory.create({ id: DEFAULT_CONNECTION_ID, name: 'Local', settings, token: candidate }))
      .token;
  } else if (
    candidate !== undefined &&
    (await directory.resolveToken(candidate))?.id === DEFAULT_CONNECTION_ID
  ) {
    token = candidate;
  }
  if (tokenFile) {
    // A token that no longer works is not kept: it would only mislead the next start.
    if (token) writeFileSync(tokenFile, token + '\n', { mode: 0o600 });
    else rmSync(tokenFile, { force: true });
  }
  return token;
}

function readToken(file: string): string | undefined {
  try {
    const token = readFileSync(file, 'utf8').trim();
    return token === '' ? undefined : token;
  } catch {
    return undefined;
  }
}

/** Starts the instance, prints how to reach it, and stops everything on Ctrl-C, SIGTERM or SIGHUP. */
export async function runLocal(
  options: StartLocalOptions,
  print: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Promise<LocalRuntime> {
  const runtime = await startLocal({ progress: print, ...options });
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    print(`\n${signal}: stopping Roster and DynamoDB Local…`);
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  // Closing the terminal: the JVM must not outlive it.
  process.once('SIGHUP', shutdown);
  print('');
  print('Roster is running (built-in workspace, DynamoDB Local).');
  print(`  SCIM base URL: ${runtime.baseUrl}`);
  print(
    `  Bearer token:  ${runtime.token ?? 'the one `roster token rotate default` printed (the saved token was rotated or revoked)'}`,
  );
  print(`  Data:          ${options.dataDir ? resolve(options.dataDir) : 'in memory (gone when stopped)'}`);
  print('');
  print(`  curl -H "Authorization: Bearer ${runtime.token ?? '<token>'}" ${runtime.baseUrl}/Users`);
  print('');
  print('Press Ctrl-C to stop.');
  return runtime;
}
