import { describe, expect, it } from 'vitest';
import { generateToken, hashToken, matchTokenHash, TOKEN_PREFIX } from '../../../shared/secrets/token';

describe('bearer tokens', () => {
  it('are prefixed, 256-bit, URL-safe and unique', () => {
    const tokens = new Set(Array.from({ length: 100 }, generateToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
      expect(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url')).toHaveLength(32);
      expect(token).toMatch(/^rst_[A-Za-z0-9_-]{43}$/);
    }
  });

  it('hash to hex SHA-256', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('match only their own hash, wherever it sits among the candidates', () => {
    const [a, b] = [generateToken(), generateToken()];
    const candidates = ['not-hex', hashToken(b), hashToken(a)];
    expect(matchTokenHash(a, candidates)).toBe(2);
    expect(matchTokenHash(b, candidates)).toBe(1);
    expect(matchTokenHash(generateToken(), candidates)).toBe(-1);
    expect(matchTokenHash(a, [])).toBe(-1);
  });
});
