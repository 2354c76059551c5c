import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { registerTokenCommands } from '../../cli/token';
import { setDefaultAuditContext } from '../../shared/audit/audit-context';
import { noteEntries, noteItems } from '../support/audit-notes';
import type { Connection } from '../../shared/secrets/connection';
import { DynamoConnectionDirectory } from '../../shared/secrets/dynamo-connection-directory';
import { hashToken } from '../../shared/secrets/token';
import { createBuiltinWorkspace } from '../../shared/workspace/builtin/create-builtin-workspace';
import { samlOnlySignIn } from '../../shared/workspace/sign-in';
import { capturedIo } from '../support/captured-io';
import type { CapturedIo as Captured } from '../support/captured-io';
import { testDb, uniqueConnectionId } from '../support/db';

async function roster(...args: string[]): Promise<Captured> {
  const io = capturedIo();
  const program = new Command('roster').exitOverride();
  registerTokenCommands(program, io);
  await program.parseAsync(args, { from: 'user' });
  return io;
}

const tokenIn = (io: Captured): string => {
  const token = io.lines.map((l) => l.trim()).find((l) => l.startsWith('rst_'));
  if (!token) throw new Error('no token printed');
  return token;
};

describe('roster token, local', () => {
  const local = () => ['--endpoint', process.env.DYNAMODB_ENDPOINT!, '--table', process.env.ROSTER_TABLE!];
  // What `npm start` creates: the built-in workspace new connections are bound to by default.
  beforeAll(async () => {
    // SAML-only, as `npm start` creates it: a new connection's check passes and its first sync runs.
    await createBuiltinWorkspace(testDb(), 'default', {
      signIn: samlOnlySignIn({ acsUrl: 'https://idp.example/acs', entityId: 'e', providerToken: 'p' }),
    });
  });

  it('refuses to bind a connection to a built-in workspace that does not exist, writing nothing', async () => {
    const id = uniqueConnectionId('cli');
    const refused = await roster('token', ...local(), 'issue', id, '--workspace', 'no-such-workspace');
    expect(refused.exitCode).toBe(1);
    expect(refused.errors[0]).toMatch(/no built-in workspace no-such-workspace/);
    expect(refused.lines.join('')).not.toMatch(/rst_/);
    expect(await directory.get(id)).toBeUndefined();
  });
  // The CLI writes from another process: this directory must not answer from its token cache.
  const directory = new DynamoConnectionDirectory(undefined, undefined, { tokenCacheMs: 0 });

  it('issues, rotates, revokes and lists, printing each new token once', async () => {
    const id = uniqueConnectionId('cli');
    const issued = await roster('token', ...local(), 'issue', id, '--name', 'Okta prod');
    expect(issued.exitCode).toBe(0);
    const first = tokenIn(issued);
    expect((await directory.resolveToken(first))?.id).toBe(id);
    expect((await directory.get(id))?.settings).toEqual({
      requireSamlOnly: true,
      workspace: { kind: 'builtin', workspaceId: 'default' },
    });

    const rotated = await roster('token', ...local(), 'rotate', id);
    const second = tokenIn(rotated);
    expect(second).not.toBe(first);
    expect((await directory.resolveToken(first))?.id).toBe(id);

    const listed = await roster('token', ...local(), 'list');
    const row = listed.lines.find((l) => l.startsWith(id));
    expect(row).toMatch(new RegExp(`^${id}\\s+Okta prod\\s+builtin:default\\s+2\\s`));
    const everything = listed.lines.join('\n');
    expect(everything).not.toContain(first);
    expect(everything).not.toContain(hashToken(first));
    expect(everything).not.toContain(hashToken(second));

    await roster('token', ...local(), 'revoke', id, '--previous');
    expect(await directory.resolveToken(first)).toBeUndefined();
    expect((await directory.resolveToken(second))?.id).toBe(id);
    await roster('token', ...local(), 'revoke', id);
    expect(await directory.resolveToken(second)).toBeUndefined();
  });

  it('notes every change in the audit trail, by the operator: counts and settings, never a token or its hash', async () => {
    const id = uniqueConnectionId('cli');
    setDefaultAuditContext({ actor: 'operator', ref: 'roster token' });
    try {
      const first = tokenIn(await roster('token', ...local(), 'issue', id, '--no-check'));
      const second = tokenIn(await roster('token', ...local(), 'rotate', id, '--label', 'okta'));
      await roster('token', ...local(), 'revoke', id, '--previous');
      await roster('token', ...local(), 'set', id, '--allow-non-saml');
      // Setting what is already set changes nothing and notes nothing.
      await roster('token', ...local(), 'set', id, '--allow-non-saml');
      await roster('token', ...local(), 'list');

      const items = await noteItems(testDb(), id);
      const entries = noteEntries(items);
      expect(entries.map((e) => [e.type, e.action, e.actor, e.ref, e.object])).toEqual(
        Array.from({ length: 4 }, (_, n) => [
          'Roster Connection Changed',
          n === 0 ? 'created' : 'updated',
          'operator',
          'roster token',
          { kind: 'Connection', id },
        ]),
      );
      expect(entries.map((e) => e.changes.filter((c) => c.attribute.startsWith('tokens')))).toEqual([
        [{ attribute: 'tokens.count', before: 0, after: 1 }],
        [
          { attribute: 'tokens.count', before: 1, after: 2 },
          { attribute: 'tokens.label', after: 'okta' },
        ],
        [
          { attribute: 'tokens.count', before: 2, after: 1 },
          { attribute: 'tokens.revoked', after: 'previous' },
        ],
        [],
      ]);
      expect(entries[3]?.changes).toEqual([
        { attribute: 'settings.requireSamlOnly', before: true, after: false },
      ]);
      const stored = JSON.stringify(items);
      for (const secret of [first, second, hashToken(first), hashToken(second)])
        expect(stored).not.toContain(secret);
    } finally {
      setDefaultAuditContext({ actor: 'system' });
    }
  });

  it('set changes the SAML-only precondition and nothing else; one choice is required', async () => {
    const id = uniqueConnectionId('cli');
    const issued = tokenIn(await roster('token', ...local(), 'issue', id, '--no-check'));
    const before = await directory.get(id);
    const allowed = await roster('token', ...local(), 'set', id, '--allow-non-saml');
    expect(allowed.exitCode).toBe(0);
    expect(allowed.lines[0]).toMatch(/now accepts SCIM writes whatever/);
    const after = await directory.get(id);
    expect(after?.settings).toEqual({ ...before?.settings, requireSamlOnly: false });
    expect(after?.tokens).toEqual(before?.tokens);
    expect((await directory.resolveToken(issued))?.id).toBe(id);

    expect((await roster('token', ...local(), 'set', id, '--require-saml-only')).exitCode).toBe(0);
    expect((await directory.get(id))?.settings.requireSamlOnly).toBe(true);

    const neither = await roster('token', ...local(), 'set', id);
    expect(neither.exitCode).toBe(1);
    expect(neither.errors[0]).toMatch(/choose one of --allow-non-saml and --require-saml-only/);
    const unknown = await roster('token', ...local(), 'set', uniqueConnectionId('none'), '--allow-non-saml');
    expect(unknown.exitCode).toBe(1);
    expect(unknown.errors[0]).toMatch(/no connection/);
  });

  it('refuses to issue twice, or to rotate an unknown connection, with exit code 1', async () => {
    const id = uniqueConnectionId('cli');
    await roster('token', ...local(), 'issue', id);
    const again = await roster('token', ...local(), 'issue', id);
    expect(again.exitCode).toBe(1);
    expect(again.errors[0]).toMatch(/exists; use `roster token rotate/);
    expect(again.lines.join('')).not.toMatch(/rst_/);
    const unknown = await roster('token', ...local(), 'rotate', uniqueConnectionId('none'));
    expect(unknown.exitCode).toBe(1);
    expect(unknown.errors[0]).toMatch(/no connection/);
    const bad = await roster('token', ...local(), 'issue', 'bad#id');
    expect(bad.exitCode).toBe(1);
    expect(bad.errors[0]).toMatch(/invalid connection id/);
  });
});

describe('roster token, deployed environment', () => {
  const sm = mockClient(SecretsManagerClient);
  // The audit note goes to the table the full-sync function names (cli/audit/operator-note.ts).
  // Created when this block starts, not when the file is collected: the local tests above use the
  // real document client.
  let lambda: AwsClientStub<LambdaClient>;
  let doc: AwsClientStub<DynamoDBDocumentClient>;
  let secret: string;
  beforeAll(() => {
    lambda = mockClient(LambdaClient);
    doc = mockClient(DynamoDBDocumentClient);
  });
  afterAll(() => {
    lambda.restore();
    doc.restore();
  });

  beforeEach(() => {
    sm.reset();
    lambda.reset();
    doc.reset();
    lambda.on(GetFunctionConfigurationCommand).resolves({
      Environment: { Variables: { ROSTER_TABLE: 'roster-prod-links' } },
    });
    doc.on(PutCommand).resolves({});
    const okta: Connection = {
      id: 'okta',
      name: 'Okta',
      tokens: [{ sha256: hashToken('tok-okta'), createdAt: '2024-01-01T00:00:00.000Z' }],
      settings: { requireSamlOnly: true, workspace: { kind: 'mode', secretId: 'roster/prod/workspace' } },
    };
    secret = JSON.stringify({ connections: [okta], nonce: 'x' });
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

  it("writes a new connection into the environment's connections secret, bound to its Mode workspace", async () => {
    const io = await roster(
      'token',
      '--env',
      'prod',
      '--region',
      'eu-west-1',
      'issue',
      'entra',
      '--allow-non-saml',
      // The check of a new Mode connection is tested in test/cli/connection/command.test.ts.
      '--no-check',
    );
    expect(io.exitCode).toBe(0);
    const token = tokenIn(io);
    const stored = JSON.parse(secret) as { connections: Connection[] };
    const entra = stored.connections.find((c) => c.id === 'entra');
    expect(entra?.tokens.map((t) => t.sha256)).toEqual([hashToken(token)]);
    expect(entra?.settings).toEqual({
      requireSamlOnly: false,
      workspace: { kind: 'mode', secretId: 'roster/prod/workspace' },
    });
    expect(secret).not.toContain(token);
    expect(stored.connections.map((c) => c.id)).toEqual(['okta', 'entra']);
  });

  it('uses --secret-id and lists without token material', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'custom' }).resolves({ SecretString: secret });
    const io = await roster('token', '--secret-id', 'custom', '--region', 'eu-west-1', 'list');
    expect(io.lines.join('\n')).toMatch(/okta\s+Okta\s+mode:roster\/prod\/workspace\s+1/);
    expect(io.lines.join('\n')).not.toContain(hashToken('tok-okta'));
    expect(sm.commandCalls(GetSecretValueCommand)[0]?.args[0].input.SecretId).toBe('custom');
  });

  it('issues the first token of a deployed connection that has none, and no second one', async () => {
    const empty: Connection = {
      id: 'default',
      name: 'default',
      tokens: [],
      settings: { requireSamlOnly: true, workspace: { kind: 'builtin', workspaceId: 'default' } },
    };
    secret = JSON.stringify({ connections: [empty] });
    const io = await roster('token', '--env', 'prod', '--region', 'eu-west-1', 'issue', 'default');
    expect(io.exitCode).toBe(0);
    const token = tokenIn(io);
    const stored = JSON.parse(secret) as { connections: Connection[] };
    expect(stored.connections[0]?.tokens.map((t) => t.sha256)).toEqual([hashToken(token)]);
    expect(stored.connections[0]?.settings).toEqual(empty.settings);

    const again = await roster('token', '--env', 'prod', '--region', 'eu-west-1', 'issue', 'default');
    expect(again.exitCode).toBe(1);
    expect(again.errors[0]).toMatch(/exists; use `roster token rotate/);
  });

  it('set writes the precondition into the secret, and keeps the other connections', async () => {
    const io = await roster(
      'token',
      '--env',
      'prod',
      '--region',
      'eu-west-1',
      'set',
      'okta',
      '--allow-non-saml',
    );
    expect(io.exitCode).toBe(0);
    const stored = JSON.parse(secret) as { connections: Connection[] };
    expect(stored.connections.map((c) => [c.id, c.settings.requireSamlOnly])).toEqual([['okta', false]]);
    expect(stored.connections[0]?.tokens.map((t) => t.sha256)).toEqual([hashToken('tok-okta')]);
  });

  it("notes a rotation in the environment's table, which its full-sync function names", async () => {
    lambda.on(GetFunctionConfigurationCommand, { FunctionName: 'roster-prod-full-sync' }).resolves({
      Environment: { Variables: { ROSTER_TABLE: 'roster-prod-links' } },
    });
    doc.on(PutCommand).resolves({});
    const io = await roster('token', '--env', 'prod', '--region', 'eu-west-1', 'rotate', 'okta');
    expect(io.exitCode).toBe(0);
    expect(io.errors).toEqual([]);
    const token = tokenIn(io);
    const puts = doc.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.TableName).toBe('roster-prod-links');
    expect(String(puts[0]?.Item?.pk)).toMatch(/^C#okta#NOTE#op:/);
    expect(puts[0]?.Item?.events).toEqual([
      {
        type: 'Roster Connection Changed',
        action: 'updated',
        object: { kind: 'Connection', id: 'okta' },
        changes: [{ attribute: 'tokens.count', before: 1, after: 2 }],
      },
    ]);
    expect(JSON.stringify(puts)).not.toContain(token);
    expect(JSON.stringify(puts)).not.toContain(hashToken(token));
  });

  it('says loudly when the audit trail could not record a change that was made, and keeps exit code 0', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: lambda:GetFunctionConfiguration'), {
        name: 'AccessDeniedException',
      }),
    );
    const io = await roster('token', '--env', 'prod', '--region', 'eu-west-1', 'revoke', 'okta');
    // The tokens are revoked: a script must not revoke (or rotate) again because the note failed.
    expect(io.exitCode).toBe(0);
    expect((JSON.parse(secret) as { connections: Connection[] }).connections[0]?.tokens).toEqual([]);
    expect(io.errors.join('\n')).toMatch(
      /warning: the change was made, but the audit trail does not record it: .*roster-prod-full-sync/,
    );
    expect(doc.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('revokes on the secret', async () => {
    const io = await roster('token', '--env', 'prod', '--region', 'eu-west-1', 'revoke', 'okta');
    expect(io.exitCode).toBe(0);
    expect((JSON.parse(secret) as { connections: Connection[] }).connections[0]?.tokens).toEqual([]);
    expect(io.lines.join('\n')).toMatch(/within a minute/);
  });
});
