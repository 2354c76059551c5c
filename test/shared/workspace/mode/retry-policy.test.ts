import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelay } from '../../../../shared/workspace/mode/retry-policy';

describe('retry policy', () => {
  const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('draws a full-jitter delay below an exponential ceiling capped at the maximum', () => {
    expect(retryDelay(policy, 1, undefined, () => 0.999)).toBe(99);
    expect(retryDelay(policy, 3, undefined, () => 0.999)).toBe(399);
    expect(retryDelay(policy, 10, undefined, () => 0.999)).toBe(999);
    expect(retryDelay(policy, 3, undefined, () => 0)).toBe(0);
  });

  it('never retries sooner than Retry-After', () => {
    expect(retryDelay(policy, 1, 4000, () => 0.5)).toBe(4000);
  });
});
