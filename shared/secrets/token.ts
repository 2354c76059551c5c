/**
 * Bearer tokens: generated with 256 bits of entropy, stored only as SHA-256 hashes, and checked in
 * constant time so that neither the comparison nor which connection matched leaks through timing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Recognisable by secret scanners and by people: a Roster token in a log is easy to spot. */
export const TOKEN_PREFIX = 'rst_';

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The index of the candidate hash the token matches, or -1. Every candidate is compared, even after
 * a match, so the time taken depends only on the number of candidates.
 */
export function matchTokenHash(token: string, candidates: readonly string[]): number {
  const presented = Buffer.from(hashToken(token), 'hex');
  let found = -1;
  candidates.forEach((candidate, index) => {
    const expected = Buffer.from(candidate, 'hex');
    // A malformed stored hash has the wrong length; compare against itself to keep the timing flat.
    const same =
      expected.length === presented.length
        ? timingSafeEqual(presented, expected)
        : timingSafeEqual(presented, presented) && false;
    if (same && found === -1) found = index;
  });
  return found;
}
