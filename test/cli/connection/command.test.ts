/**
 * `roster connection check` and the check and first sync that follow `roster token issue`: the
 * probes against the Mode test server (credentials, rights, plan features, optional credentials),
 * the built-in workspace, the SAML-only precondition, exit codes, and that a check writes nothing
 * and prints no secret.
 */
import { Command } from 'commander';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { registerConnectionCommands } from '../../../cli/connection/command';
import type { ConnectorFactory } from '../../../cli/connection/connection-target';
import { connectorOf } from '../../../cli/connection/connection-target';
import { registerTokenCommands } from '../../../cli/token';
import type { Connection } from '../../../shared/secrets/connection';
import { DynamoConnectionDirectory } from '../../../shared/secrets/dynamo-connection-directory';
import { lastRun } from '../../../shared/sync/run-store';
import { createBuiltinWorkspace } from '../../../shared/workspace/builtin/create-builtin-workspace';
import type { ConnectionCheck } from '../../../shared/workspace/connection-check';
import type { ModeCredentials } from '../../../shared/workspace/mode/mode-credentials';
import { ModeWorkspace } from '../../../shared/workspace/mode/mode-workspace';
import { samlOnlySignIn } from '../../../shared/workspace/sign-in';
import { startModeServer } from '../../fixtures/mode/server';
import type { ModeServer, ModeServerOptions } from '../../fixtures/mode/server';
import { capturedIo as capture } from '../../support/captured-io';
import type { CapturedIo as Captured } from '../../support/captured-io';
import { testDb, uniqueConnectionId } from '../../support/db';

let server: ModeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Setup {
  server?: ModeServerOptions;
  /** Which credentials the secret holds beyond the workspace token. */
  member?: boolean;
  signature?: boolean;
  wrongToken?: boolean;
}

/** Mode connections are pointed at the test server; built-in ones use the real factory. */
async function modeFactory(
  setup: Setup = {},
): Promise<{ fixture: ModeServer; connectorFor: ConnectorFactory }> {
  const fixture = await startModeServer(setup.server);
  server = fixture;
  const credentials: ModeCredentials = {
    workspace: fixture.workspace,
    token: setup.wrongToken ? 'not-the-token' : fixture.token,
    secret: fixture.secret,
    ...(setup.member === false
      ? {}
      : { personal: { token: fixture.personalToken, secret: fixture.personalSecret } }),
    ...(setup.signature ? { signature: fixture.signature } : {}),
  };
  const connectorFor: ConnectorFactory = (connection, db, region) =>
    connection.settings.workspace.kind === 'mode'
      ? new ModeWorkspace({
          baseUrl: fixture.baseUrl,
          credentials: async () => credentials,
          sleep: async () => undefined,
        })
      : connectorOf(connection, db, region);
  return { fixture, connectorFor };
}

const directory = new DynamoConnectionDirectory(undefined, undefined, { tokenCacheMs: 0 });

async function modeConnection(requireSamlOnly = false): Promise<Connection> {
  const id = uniqueConnectionId('check');
  return (
    await directory.create({
      id,
      settings: { requireSamlOnly, workspace: { kind: 'mode', secretId: 'roster/test/workspace' } },
    })
  ).connection;
}

async function check(connectorFor: ConnectorFactory, ...args: string[]): Promise<Captured> {
  const io = capture();
  const program = new Command('roster').exitOverride();
  registerConnectionCommands(program, io, { connectorFor });
  await program.parseAsync(['connection', 'check', ...args], { from: 'user' });
  return io;
}

function parsed(io: Captured): ConnectionCheck & { connectionId: string } {
  return JSON.parse(io.lines.join('\n')) as ConnectionCheck & { connectionId: string };
}

const outcome = (result: ConnectionCheck, name: string) =>
  result.probes.find((probe) => probe.name === name)?.outcome;
const available = (result: ConnectionCheck, capability: string) =>
  result.capabilities.find((verdict) => verdict.capability === capability);

describe('roster connection check, Mode', () => {
  it('a complete service account: every probe passes, the capabilities Mode has are listed, nothing is written', async () => {
    const { fixture, connectorFor } = await modeFactory({ signature: true });
    fixture.addGroup('Everyone', { groupType: 'everyone' });
    const connection = await modeConnection();
    const io = await check(connectorFor, connection.id, '--json');
    expect(io.exitCode).toBe(0);
    const result = parsed(io);
    expect(result.connectionId).toBe(connection.id);
    expect(result.ok).toBe(true);
    for (const name of [
      'credentials',
      'members',
      'groups',
      'everyone',
      'permissions',
      'memberToken',
      'discovery',
    ])
      expect(outcome(result, name)).toBe('ok');
    // The SAML-only check is off for this connection: allowed, and said.
    expect(outcome(result, 'samlOnly')).toBe('warn');
    expect(available(result, 'provisionMember')?.available).toBe(true);
    expect(available(result, 'grant')?.available).toBe(true);
    expect(available(result, 'readPermissions')?.available).toBe(true);
    expect(available(result, 'reactivateMember')).toMatchObject({
      available: false,
      reason: expect.stringMatching(/web_self_unban/),
    });
    expect(available(result, 'updateMember')?.available).toBe(false);
    expect(fixture.writes).toEqual([]);
    const text = io.lines.join('\n');
    for (const secret of [
      fixture.token,
      fixture.secret,
      fixture.personalToken,
      fixture.personalSecret,
      fixture.signature.accessSecret,
    ])
      expect(text).not.toContain(secret);
  });

  it('a workspace without groups (Business plan) is usable, with group capabilities missing and the reason', async () => {
    const { connectorFor } = await modeFactory({ server: { groups: false } });
    const connection = await modeConnection();
    const io = await check(connectorFor, connection.id);
    expect(io.exitCode).toBe(0);
    const text = io.lines.join('\n');
    expect(text).toMatch(/warn\s+groups\s+groups were refused \(403\): Mode groups need the Business plan/);
    expect(text).toMatch(/no {3}grant: this workspace's Mode plan has no groups \(Business plan\)/);
    expect(text).toMatch(/no {3}createGroup/);
    expect(text).toMatch(/yes {2}deactivateMember/);
    expect(text).toMatch(/^Usable \(\d+ warnings\)\.$/m);
  });

  it('a refused workspace token fails the check with the fix and exit code 1', async () => {
    const { fixture, connectorFor } = await modeFactory({ wrongToken: true });
    const connection = await modeConnection();
    const io = await check(connectorFor, connection.id, '--json');
    expect(io.exitCode).toBe(1);
    const result = parsed(io);
    expect(result.ok).toBe(false);
    expect(result.probes).toEqual([
      expect.objectContaining({
        name: 'credentials',
        outcome: 'fail',
        detail: expect.stringMatching(/refused the workspace API token/),
      }),
    ]);
    expect(result.capabilities.every((verdict) => !verdict.available)).toBe(true);
    expect(io.lines.join('\n')).not.toContain('not-the-token');
    expect(fixture.writes).toEqual([]);
  });

  it('without a member API token, provisioning is missing; without Discovery, emails come from user reads', async () => {
    const { connectorFor } = await modeFactory({
      member: false,
      signature: true,
      server: { discovery: false },
    });
    const connection = await modeConnection();
    const result = parsed(await check(connectorFor, connection.id, '--json'));
    expect(result.ok).toBe(true);
    expect(outcome(result, 'memberToken')).toBe('warn');
    expect(available(result, 'provisionMember')).toMatchObject({
      available: false,
      reason: expect.stringMatching(/memberToken/),
    });
    expect(outcome(result, 'discovery')).toBe('warn');
    expect(result.probes.find((probe) => probe.name === 'discovery')?.detail).toMatch(/Enterprise plan/);
    expect(outcome(result, 'everyone')).toBe('warn');
  });

  it('a refused collections listing leaves the export without permissions, and says so', async () => {
    const { fixture, connectorFor } = await modeFactory();
    fixture.failNext(1, 403, /^GET \/api\/[^/]+\/spaces$/);
    const connection = await modeConnection();
    const result = parsed(await check(connectorFor, connection.id, '--json'));
    expect(result.ok).toBe(true);
    expect(outcome(result, 'permissions')).toBe('warn');
    expect(available(result, 'readPermissions')).toMatchObject({ available: false });
    expect(available(result, 'grant')?.available).toBe(true);
  });

  it('a connection that requires SAML-only sign-in on Mode fails: Mode cannot report sign-in settings', async () => {
    const { connectorFor } = await modeFactory();
    const connection = await modeConnection(true);
    const io = await check(connectorFor, connection.id);
    expect(io.exitCode).toBe(1);
    expect(io.lines.join('\n')).toMatch(
      /FAIL\s+samlOnly\s+this connection requires SAML-only sign-in, which this workspace cannot report/,
    );
    expect(io.lines.at(-1)).toMatch(/NOT usable/);
  });

  it('an unknown connection is one line and exit code 1', async () => {
    const { connectorFor } = await modeFactory();
    const io = await check(connectorFor, uniqueConnectionId('none'));
    expect(io.exitCode).toBe(1);
    expect(io.errors).toEqual([expect.stringMatching(/^roster: no connection /)]);
  });
});

describe('roster connection check, built-in workspace', () => {
  const workspaceId = `check-${Date.now().toString(36)}`;
  beforeAll(async () => {
    await createBuiltinWorkspace(testDb(), workspaceId, {
      signIn: samlOnlySignIn({ acsUrl: 'https://idp.example/acs', entityId: 'e', providerToken: 'p' }),
    });
  });

  it('passes on a SAML-only workspace and fails on a missing one', async () => {
    const good = await directory.create({
      id: uniqueConnectionId('check'),
      settings: { requireSamlOnly: true, workspace: { kind: 'builtin', workspaceId } },
    });
    const io = await check(connectorOf, good.connection.id, '--json');
    expect(io.exitCode).toBe(0);
    const result = parsed(io);
    expect(outcome(result, 'workspace')).toBe('ok');
    expect(outcome(result, 'samlOnly')).toBe('ok');
    // Every capability but permissions: the built-in workspace has no resource permissions.
    expect(result.capabilities.filter((verdict) => !verdict.available).map((v) => v.capability)).toEqual([
      'readPermissions',
    ]);

    const missing = await directory.create({
      id: uniqueConnectionId('check'),
      settings: { requireSamlOnly: true, workspace: { kind: 'builtin', workspaceId: 'no-such-workspace' } },
    });
    const refused = await check(connectorOf, missing.connection.id);
    expect(refused.exitCode).toBe(1);
    expect(refused.lines.join('\n')).toMatch(/FAIL\s+workspace\s+no built-in workspace no-such-workspace/);
  });
});

describe('roster token issue: check, then the first full sync', () => {
  const sm = mockClient(SecretsManagerClient);
  let secret: string;
  beforeEach(() => {
    sm.reset();
    secret = JSON.stringify({ connections: [] });
    sm.on(GetSecretValueCommand, { SecretId: 'roster/prod/connections' }).callsFake(() => ({
      SecretString: secret,
    }));
    sm.on(PutSecretValueCommand, { SecretId: 'roster/prod/connections' }).callsFake(
      (input: { SecretString: string }) => {
        secret = input.SecretString;
        return {};
      },
    );
  });

  async function issue(
    connectorFor: ConnectorFactory,
    invoked: string[],
    ...args: string[]
  ): Promise<Captured> {
    const io = capture();
    const program = new Command('roster').exitOverride();
    registerTokenCommands(program, io, {
      connectorFor,
      invoke: async (functionName, connectionId) => {
        invoked.push(`${functionName} ${connectionId}`);
      },
    });
    await program.parseAsync(['token', '--env', 'prod', '--region', 'eu-west-1', 'issue', ...args], {
      from: 'user',
    });
    return io;
  }

  it('a new Mode connection is checked, then its first full sync is started on the environment', async () => {
    const { fixture, connectorFor } = await modeFactory();
    const invoked: string[] = [];
    const io = await issue(connectorFor, invoked, 'entra', '--allow-non-saml');
    expect(io.exitCode).toBe(0);
    expect(io.lines.join('\n')).toMatch(/rst_/);
    expect(io.lines.join('\n')).toMatch(/ok {4}credentials/);
    expect(invoked).toEqual(['roster-prod-full-sync entra']);
    expect(io.lines.at(-1)).toMatch(/First full sync started on roster-prod-full-sync/);
    expect(fixture.writes).toEqual([]);
  });

  it('--no-sync checks only; a failed check starts nothing, keeps the connection and exits 1', async () => {
    const { connectorFor } = await modeFactory();
    const invoked: string[] = [];
    const quiet = await issue(connectorFor, invoked, 'okta', '--allow-non-saml', '--no-sync');
    expect(quiet.exitCode).toBe(0);
    expect(invoked).toEqual([]);

    // Requires SAML-only, which Mode cannot report: the check fails.
    const failing = await issue(connectorFor, invoked, 'onelogin');
    expect(failing.exitCode).toBe(1);
    expect(invoked).toEqual([]);
    expect(failing.errors.join('\n')).toMatch(/onelogin was created, but its check failed/);
    expect((JSON.parse(secret) as { connections: Connection[] }).connections.map((c) => c.id)).toEqual([
      'okta',
      'onelogin',
    ]);
  });
});

describe('roster token issue, local: the first full sync runs in this process', () => {
  const workspaceId = `first-${Date.now().toString(36)}`;
  beforeAll(async () => {
    await createBuiltinWorkspace(testDb(), workspaceId, {
      signIn: samlOnlySignIn({ acsUrl: 'https://idp.example/acs', entityId: 'e', providerToken: 'p' }),
    });
  });

  it('records a completed run for the new connection', async () => {
    const io = capture();
    const program = new Command('roster').exitOverride();
    registerTokenCommands(program, io);
    const id = uniqueConnectionId('first');
    await program.parseAsync(
      [
        'token',
        '--endpoint',
        process.env.DYNAMODB_ENDPOINT!,
        '--table',
        process.env.ROSTER_TABLE!,
        'issue',
        id,
        '--workspace',
        workspaceId,
      ],
      { from: 'user' },
    );
    expect(io.errors).toEqual([]);
    expect(io.exitCode).toBe(0);
    expect(io.lines.join('\n')).toMatch(/First full sync:/);
    const run = await lastRun(testDb(), id);
    expect(run?.status).toBe('completed');
    expect(run?.dryRun).toBe(false);
  });
});
