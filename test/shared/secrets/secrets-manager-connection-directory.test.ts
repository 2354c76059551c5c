import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  parseConnectionsSecret,
  SecretsManagerConnectionDirectory,
} from '../../../shared/secrets/secrets-manager-connection-directory';
import type { Connection } from '../../../shared/secrets/connection';
import { hashToken } from '../../../shared/secrets/token';

const settings = { requireSamlOnly: true, workspace: { kind: 'mode' as const, secretId: 'mode-sa' } };
const connection = (id: string, ...tokens: string[]): Connection => ({
  id,
  name: id,
  tokens: tokens.map((t) => ({ sha256: hashToken(t), createdAt: '2024-01-01T00:00:00.000Z' })),
  settings,
});

describe('SecretsManagerConnectionDirectory', () => {
  const sm = mockClient(SecretsManagerClient);
  let secret: string;

  beforeEach(() => {
    sm.reset();
    secret = JSON.stringify({
      connections: [connection('okta', 'tok-okta'), connection('entra', 'tok-entra-1', 'tok-entra-2')],
    });
    sm.on(GetSecretValueCommand, { SecretId: 'roster/connections' }).callsFake(() => ({
      SecretString: secret,
    }));
    sm.on(PutSecretValueCommand).callsFake((input: { SecretString: string }) => {
      secret = input.SecretString;
      return {};
    });
  });
  afterEach(() => vi.useRealTimers());

  const directory = () =>
    new SecretsManagerConnectionDirectory({
      secretId: 'roster/connections',
      client: new SecretsManagerClient({ region: 'eu-west-1' }),
    });

  it('resolves each token only to its own connection', async () => {
    const d = directory();
    expect((await d.resolveToken('tok-okta'))?.id).toBe('okta');
    expect((await d.resolveToken('tok-entra-1'))?.id).toBe('entra');
    expect((await d.resolveToken('tok-entra-2'))?.id).toBe('entra');
    expect(await d.resolveToken('tok-nobody')).toBeUndefined();
    expect((await d.list()).map((c) => c.id)).toEqual(['okta', 'entra']);
  });

  it('caches the secret, so a revoked token stops working within the max age', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const d = directory();
    expect((await d.resolveToken('tok-okta'))?.id).toBe('okta');
    expect((await d.resolveToken('tok-entra-1'))?.id).toBe('entra');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);

    secret = JSON.stringify({ connections: [connection('okta', 'tok-okta-new')] });
    vi.advanceTimersByTime(30_000);
    expect((await d.resolveToken('tok-okta'))?.id).toBe('okta');
    vi.advanceTimersByTime(31_000);
    expect(await d.resolveToken('tok-okta')).toBeUndefined();
    expect((await d.resolveToken('tok-okta-new'))?.id).toBe('okta');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('issues, rotates and revokes by writing the secret, never the plain token', async () => {
    const d = directory();
    const issued = await d.create({ id: 'onelogin', settings, token: 'tok-ol-1' });
    const stored = JSON.parse(secret) as { connections: Connection[] };
    expect(stored.connections.map((c) => c.id)).toEqual(['okta', 'entra', 'onelogin']);
    expect(secret).not.toContain(issued.token);

    const rotated = await d.rotate('onelogin');
    expect(secret).not.toContain(rotated.token);
    expect(JSON.parse(secret).connections[2].tokens).toHaveLength(2);
    await d.revoke('onelogin', 'previous');
    expect(
      (JSON.parse(secret) as { connections: Connection[] }).connections[2]?.tokens.map((t) => t.sha256),
    ).toEqual([hashToken(rotated.token)]);
    await expect(d.create({ id: 'okta', settings })).rejects.toThrow(/already exists/);
    await expect(d.revoke('nobody', 'all')).rejects.toThrow(/no connection/);
  });

  it('reads an empty secret as no connections and refuses malformed ones without echoing them', () => {
    expect(parseConnectionsSecret('')).toEqual([]);
    expect(() => parseConnectionsSecret('{"connections": tok-secret')).toThrow(/not valid JSON$/);
    expect(() => parseConnectionsSecret('{"connections": tok-secret')).not.toThrow(/tok-secret/);
    expect(() => parseConnectionsSecret('{}')).toThrow(/no "connections" array/);
  });
});
