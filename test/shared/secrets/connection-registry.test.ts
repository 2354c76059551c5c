import { describe, expect, it } from 'vitest';
import {
  assertConnectionId,
  newConnection,
  withRevokedTokens,
  withRotatedToken,
} from '../../../shared/secrets/connection-registry';
import { hashToken } from '../../../shared/secrets/token';

const settings = { requireSamlOnly: false, workspace: { kind: 'builtin' as const, workspaceId: 'w' } };
const t = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, s));

describe('connection tokens', () => {
  it('keeps only hashes, never the token', () => {
    const { connection, token } = newConnection({ id: 'c1', settings, token: 'rst_x' }, t(0));
    expect(connection.tokens).toEqual([{ sha256: hashToken('rst_x'), createdAt: t(0).toISOString() }]);
    expect(JSON.stringify(connection)).not.toContain(token);
  });

  it('keeps two tokens valid during a rotation, never three', () => {
    const first = newConnection({ id: 'c1', settings, token: 'one' }, t(0));
    const second = withRotatedToken(first.connection, t(1), { token: 'two' });
    const third = withRotatedToken(second.connection, t(2), { token: 'three' });
    expect(second.connection.tokens.map((x) => x.sha256)).toEqual([hashToken('one'), hashToken('two')]);
    expect(third.connection.tokens.map((x) => x.sha256)).toEqual([hashToken('two'), hashToken('three')]);
  });

  it('revokes the previous tokens or all of them', () => {
    const rotated = withRotatedToken(
      newConnection({ id: 'c1', settings, token: 'one' }, t(0)).connection,
      t(1),
      {
        token: 'two',
      },
    ).connection;
    expect(withRevokedTokens(rotated, 'previous').tokens.map((x) => x.sha256)).toEqual([hashToken('two')]);
    expect(withRevokedTokens(rotated, 'all').tokens).toEqual([]);
  });

  it('refuses ids that cannot be part of a key', () => {
    expect(() => assertConnectionId('a#b')).toThrow(/invalid connection id/);
    expect(() => assertConnectionId('')).toThrow(/invalid connection id/);
    expect(() => assertConnectionId('okta-prod_1')).not.toThrow();
  });
});
