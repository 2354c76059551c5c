import { describe, expect, it } from 'vitest';
import { etagMatches, etagOf } from '../../../shared/scim/etag';

describe('etagOf', () => {
  it('derives a weak ETag from the version', () => {
    expect(etagOf(3)).toBe('W/"3"');
  });
});

describe('etagMatches', () => {
  it('matches weak and strong forms of the same version', () => {
    expect(etagMatches('W/"3"', 3)).toBe(true);
    expect(etagMatches('"3"', 3)).toBe(true);
    expect(etagMatches('w/"3"', 3)).toBe(true);
    expect(etagMatches('3', 3)).toBe(true);
  });

  it('does not match another version or a missing header', () => {
    expect(etagMatches('W/"2"', 3)).toBe(false);
    expect(etagMatches('W/"33"', 3)).toBe(false);
    expect(etagMatches(undefined, 3)).toBe(false);
    expect(etagMatches('', 3)).toBe(false);
  });

  it('matches * and lists', () => {
    expect(etagMatches('*', 9)).toBe(true);
    expect(etagMatches('W/"1", W/"3"', 3)).toBe(true);
    expect(etagMatches('W/"1", "2"', 3)).toBe(false);
  });

  it('round-trips its own output', () => {
    expect(etagMatches(etagOf(42), 42)).toBe(true);
  });
});
