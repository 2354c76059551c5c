import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  GetSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  parseConnectionsSecret,
  SecretsManagerConnectionDirectory,
} from '../../../shared/secrets/secrets-manager-connection-directory';
import type { Connection } from '../../../shared/secrets/connection';
import { hashToken } from '../../../shared/secrets/token';
import { fakeSecretsManager } from '../../support/fake-secrets-manager';
import type { FakeSecret } from '../../support/fake-secrets-manager';

const settings = { requireSamlOnly: true, workspace: { kind: 'mode' as const, secretId: 'mode-sa' } };
const connection = (id: string, ...tokens: string[]): Connection => ({
  id,
  name: id,
  tokens: tokens.map((t) => ({ sha256: hashToken(t), createdAt: '2024-01-01T00:00:00.000Z' })),
  settings,
});

describe('SecretsManagerConnectionDirectory', () => {
  let fake: FakeSecret;
  const secretText = () => fake.current();

  beforeEach(() => {
    fake = fakeSecretsManager(
      'roster/connections',
      JSON.stringify({
        connections: [connection('okta', 'tok-okta'), connection('entra', 'tok-entra-1', 'tok-entra-2')],
      }),
    );
  });
  afterEach(() => fake.mock.restore());
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
    expect(fake.mock.commandCalls(GetSecretValueCommand)).toHaveLength(1);

    fake.set(JSON.stringify({ connections: [connection('okta', 'tok-okta-new')] }));
    vi.advanceTimersByTime(30_000);
    expect((await d.resolveToken('tok-okta'))?.id).toBe('okta');
    vi.advanceTimersByTime(31_000);
    expect(await d.resolveToken('tok-okta')).toBeUndefined();
    expect((await d.resolveToken('tok-okta-new'))?.id).toBe('okta');
    expect(fake.mock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('issues, rotates and revokes by writing the secret, never the plain token', async () => {
    const d = directory();
    const issued = await d.create({ id: 'onelogin', settings, token: 'tok-ol-1' });
    const stored = JSON.parse(secretText()) as { connections: Connection[] };
    expect(stored.connections.map((c) => c.id)).toEqual(['okta', 'entra', 'onelogin']);
    expect(secretText()).not.toContain(issued.token);

    const rotated = await d.rotate('onelogin');
    expect(secretText()).not.toContain(rotated.token);
    expect(JSON.parse(secretText()).connections[2].tokens).toHaveLength(2);
    await d.revoke('onelogin', 'previous');
    expect(
      (JSON.parse(secretText()) as { connections: Connection[] }).connections[2]?.tokens.map((t) => t.sha256),
    ).toEqual([hashToken(rotated.token)]);
    await expect(d.create({ id: 'okta', settings })).rejects.toThrow(/already exists/);
    await expect(d.revoke('nobody', 'all')).rejects.toThrow(/no connection/);
  });

  it('loses no update when commands race: a revoke racing two rotations stays revoked, both rotations kept', async () => {
    const d = () => directory();
    const [first, second, revoked] = await Promise.all([
      d().rotate('okta', { token: 'tok-okta-2' }),
      d().rotate('entra', { token: 'tok-entra-3' }),
      d().revoke('entra', 'all'),
    ]);
    expect(first.token).toBe('tok-okta-2');
    expect(second.token).toBe('tok-entra-3');
    const stored = (JSON.parse(secretText()) as { connections: Connection[] }).connections;
    const okta = stored.find((c) => c.id === 'okta');
    const entra = stored.find((c) => c.id === 'entra');
    // The okta rotation is never lost to the entra writes.
    expect(okta?.tokens.map((t) => t.sha256)).toContain(hashToken('tok-okta-2'));
    // Whichever order the entra writes took, tok-entra-1 and tok-entra-2 never come back.
    const entraHashes = entra?.tokens.map((t) => t.sha256) ?? [];
    expect(entraHashes).not.toContain(hashToken('tok-entra-1'));
    expect(entraHashes).not.toContain(hashToken('tok-entra-2'));
    if (revoked.tokens.length === 0 && entraHashes.length > 0) {
      // The revoke ran first, then the rotation: only the new token.
      expect(entraHashes).toEqual([hashToken('tok-entra-3')]);
    }
    // Every write that lost its swap was re-read and re-applied, not dropped.
    expect(fake.mock.commandCalls(UpdateSecretVersionStageCommand).length).toBeGreaterThanOrEqual(3);
  });

  it('never overwrites a newer version: a swap it keeps losing ends in a clear error, nothing written over', async () => {
    const d = directory();
    let interfered = false;
    // Every read answers a version that is no longer current: each swap is lost, and after its
    // bounded retries the command says so instead of overwriting.
    fake.mock.on(GetSecretValueCommand, { SecretId: 'roster/connections' }).callsFake(async () => {
      const current = fake.current();
      if (!interfered) {
        interfered = true;
        fake.set(
          JSON.stringify({ connections: [connection('okta', 'tok-okta'), connection('entra', 'tok-x')] }),
        );
      }
      return { SecretString: current, VersionId: 'stale-version' };
    });
    await expect(d.revoke('entra', 'all')).rejects.toThrow(/changed by others/);
    // The value written by the other party is still current.
    expect(fake.current()).toContain(hashToken('tok-x'));
  });

  it('reads an empty secret as no connections and refuses malformed ones without echoing them', () => {
    expect(parseConnectionsSecret('')).toEqual([]);
    expect(() => parseConnectionsSecret('{"connections": tok-secret')).toThrow(/not valid JSON$/);
    expect(() => parseConnectionsSecret('{"connections": tok-secret')).not.toThrow(/tok-secret/);
    expect(() => parseConnectionsSecret('{}')).toThrow(/no "connections" array/);
  });
});
