import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { LocalStartError, startLocal } from '../../local/local-runtime';
import { writeInstance } from '../../local/instance';
import type { LocalInstance } from '../../local/instance';
import { DISCOVERY_ROUTE } from '../../shared/http/route-methods';
import { scimHandler } from '../../shared/http/scim-handler';
import { DynamoConnectionDirectory } from '../../shared/secrets/dynamo-connection-directory';
import { documentClient, dynamoClient } from '../../shared/store/client';

// Every DynamoDB Local this file starts (five by startLocal, two by the `npm start` children, who
// inherit the environment) answers a handful of requests: the JVM's C1 compiler alone starts it in
// well under the time (on the loaded 2-core machine 5.3 s against 8.8 s, median of four), and its
// throughput does not matter here. The engines of the other files keep the default (C1 and C2).
const javaOptions = process.env.JAVA_TOOL_OPTIONS;
beforeAll(() => {
  process.env.JAVA_TOOL_OPTIONS = [javaOptions, '-XX:TieredStopAtLevel=1'].filter(Boolean).join(' ');
});
afterAll(() => {
  if (javaOptions === undefined) delete process.env.JAVA_TOOL_OPTIONS;
  else process.env.JAVA_TOOL_OPTIONS = javaOptions;
});

/** Real scimHandler (auth against the local table) around endpoints that name their connection. */
function authenticatedRoutes(endpoint: () => string) {
  const directory = () =>
    new DynamoConnectionDirectory(() => ({
      doc: documentClient(dynamoClient(endpoint())),
      table: 'roster-local',
    }));
  const echo = scimHandler(
    async ({ connection, request }) => ({
      status: 200,
      body: { connection: connection.id, baseUrl: request.baseUrl },
    }),
    {
      directory,
    },
  );
  return {
    users: echo,
    groups: echo,
    discovery: scimHandler(async () => ({ status: 200, body: {} }), { methods: DISCOVERY_ROUTE, directory }),
  };
}

describe('startLocal', () => {
  it('serves the routes with the default connection token and cleans up on stop', async () => {
    const home = mkdtempSync(join(tmpdir(), 'roster-'));
    const instanceFile = join(home, 'local.json');
    let endpoint = '';
    const runtime = await startLocal({
      routes: authenticatedRoutes(() => endpoint),
      port: 0,
      token: 'rst_local-test',
      instanceFile,
    });
    endpoint = runtime.dynamodbEndpoint;
    try {
      expect(runtime.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
      expect(process.env.ROSTER_CONNECTION_DIRECTORY).toBe('dynamo');
      const ok = await fetch(`${runtime.baseUrl}/Users`, {
        headers: { Authorization: 'Bearer rst_local-test' },
      });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ connection: 'default', baseUrl: runtime.baseUrl });
      const refused = await fetch(`${runtime.baseUrl}/Users`, {
        headers: { Authorization: 'Bearer rst_other' },
      });
      expect(refused.status).toBe(401);
      const instance = JSON.parse(readFileSync(instanceFile, 'utf8')) as LocalInstance;
      expect(instance).toMatchObject({
        baseUrl: runtime.baseUrl,
        token: 'rst_local-test',
        connectionId: 'default',
        workspaceId: 'default',
        pid: process.pid,
      });
    } finally {
      await runtime.stop();
    }
    expect(existsSync(instanceFile)).toBe(false);
    await expect(fetch(`${runtime.baseUrl}/Users`)).rejects.toThrow();
    await expect(fetch(runtime.dynamodbEndpoint)).rejects.toThrow();
  }, 90_000);

  it('keeps data and the token across restarts with a data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'roster-data-'));
    const instanceFile = join(dataDir, 'local.json');
    let endpoint = '';
    const routes = authenticatedRoutes(() => endpoint);
    const first = await startLocal({ routes, port: 0, dataDir, instanceFile });
    const token = first.token;
    let rotatedToken: string | undefined;
    await first.stop();

    const second = await startLocal({ routes, port: 0, dataDir, instanceFile });
    endpoint = second.dynamodbEndpoint;
    try {
      expect(second.token).toBe(token);
      const res = await fetch(`${second.baseUrl}/Users`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
    } finally {
      await second.stop();
    }

    // A restart never changes which tokens are valid: an explicit SCIM_TOKEN the connection does
    // not know is not adopted, and the stored token keeps working.
    const third = await startLocal({ routes, port: 0, dataDir, instanceFile, token: 'rst_explicit' });
    endpoint = third.dynamodbEndpoint;
    try {
      expect(third.token).toBeUndefined();
      expect(
        (await fetch(`${third.baseUrl}/Users`, { headers: { Authorization: 'Bearer rst_explicit' } })).status,
      ).toBe(401);
      expect(
        (await fetch(`${third.baseUrl}/Users`, { headers: { Authorization: `Bearer ${token}` } })).status,
      ).toBe(200);

      // `roster token rotate default`, then `token revoke default --previous`, against the running instance.
      const directory = new DynamoConnectionDirectory(
        () => ({ doc: documentClient(dynamoClient(third.dynamodbEndpoint)), table: third.table }),
        () => new Date(),
        { tokenCacheMs: 0 },
      );
      const rotated = await directory.rotate(third.connectionId);
      await directory.revoke(third.connectionId, 'previous');
      rotatedToken = rotated.token;
    } finally {
      await third.stop();
    }

    // After a restart the revoked token stays revoked and the new one works.
    const fourth = await startLocal({ routes, port: 0, dataDir, instanceFile });
    endpoint = fourth.dynamodbEndpoint;
    try {
      expect(fourth.token).toBeUndefined();
      const status = async (bearer: string) =>
        (await fetch(`${fourth.baseUrl}/Users`, { headers: { Authorization: `Bearer ${bearer}` } })).status;
      expect(await status(token as string)).toBe(401);
      expect(await status(rotatedToken as string)).toBe(200);
      expect(existsSync(join(dataDir, 'default-connection.token'))).toBe(false);
    } finally {
      await fourth.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('npm start as a process', () => {
  it('a second start leaves the running instance alone: its file stays, nothing is started', async () => {
    const home = mkdtempSync(join(tmpdir(), 'roster-twice-'));
    const instanceFile = join(home, 'local.json');
    // Another live process owns the recorded instance.
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const recorded: LocalInstance = {
        baseUrl: 'http://127.0.0.1:8787/scim/v2',
        connectionId: 'default',
        workspaceId: 'default',
        dynamodbEndpoint: 'http://127.0.0.1:8000',
        table: 'roster-local',
        pid: other.pid!,
      };
      writeInstance(recorded, instanceFile);
      const before = readFileSync(instanceFile, 'utf8');
      const start = startLocal({ routes: authenticatedRoutes(() => ''), port: 0, instanceFile });
      await expect(start).rejects.toBeInstanceOf(LocalStartError);
      await expect(start).rejects.toThrow(`Roster is already running here (pid ${other.pid}`);
      expect(readFileSync(instanceFile, 'utf8')).toBe(before);
    } finally {
      other.kill();
    }
  });

  it('a port in use is one clear refusal before DynamoDB Local starts, and writes no instance file', async () => {
    const home = mkdtempSync(join(tmpdir(), 'roster-port-'));
    const instanceFile = join(home, 'local.json');
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', () => done()));
    const port = (taken.address() as { port: number }).port;
    try {
      const progress: string[] = [];
      const start = startLocal({
        routes: authenticatedRoutes(() => ''),
        port,
        instanceFile,
        progress: (line) => progress.push(line),
      });
      await expect(start).rejects.toThrow(`port ${port} is already in use`);
      // Refused before the JVM: no DynamoDB Local was started and stopped for nothing.
      expect(progress).toEqual([]);
      expect(existsSync(instanceFile)).toBe(false);
    } finally {
      await new Promise<void>((done) => taken.close(() => done()));
    }
  });

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`prints the URL and token, and ${signal} leaves no process or instance file behind`, async () => {
      const home = mkdtempSync(join(tmpdir(), 'roster-home-'));
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', resolve('test/local/fixtures/start-fake.ts')],
        {
          env: { ...process.env, ROSTER_HOME: home, SCIM_TOKEN: '' },
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));

      const deadline = Date.now() + 45_000;
      while (!/Press Ctrl-C/.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`npm start did not come up:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const baseUrl = /SCIM base URL: (\S+)/.exec(output)?.[1];
      const token = /Bearer token: +(rst_\S+)/.exec(output)?.[1];
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
      expect(token).toMatch(/^rst_[A-Za-z0-9_-]{43}$/);
      expect(output).toContain(`curl -H "Authorization: Bearer ${token}" ${baseUrl}/Users`);
      const instance = JSON.parse(readFileSync(join(home, 'local.json'), 'utf8')) as LocalInstance;
      expect(instance.token).toBe(token);
      const dynamoPort = new URL(instance.dynamodbEndpoint).port;
      expect(javaProcessesOnPort(dynamoPort)).not.toHaveLength(0);

      child.kill(signal);
      expect(await exited).toBe(0);
      expect(existsSync(join(home, 'local.json'))).toBe(false);
      // tsx's esbuild service (in the same group) exits when its parent's pipe closes, a moment later.
      expect(await groupGoneWithin(child.pid!, 5_000)).toBe(true);
      expect(javaProcessesOnPort(dynamoPort)).toHaveLength(0);
      await expect(fetch(`${baseUrl}/Users`)).rejects.toThrow();
    }, 90_000);
  }
});

async function groupGoneWithin(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function javaProcessesOnPort(port: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps
    .split('\n')
    .filter(
      (line) =>
        /java/.test(line) && line.includes('DynamoDBLocal') && new RegExp(`-port\\s+${port}\\b`).test(line),
    );
}
