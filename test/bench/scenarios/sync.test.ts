import { describe, expect, it } from 'vitest';
import { extrapolate } from '../../../bench/scenarios/sync';

const MIB = 1024 ** 2;

describe('extrapolate', () => {
  it('multiplies the cost per user beyond the smaller run, not the fixed cost', () => {
    // 150 MiB at 10k, 270 MiB at 100k: 120 MiB for 90k more users, 1.365 KiB each.
    const small = { users: 10_000, seconds: 5, readAndPlanSeconds: 3, maxRssBytes: 150 * MIB };
    const large = { users: 100_000, seconds: 41, readAndPlanSeconds: 30, maxRssBytes: 270 * MIB };
    expect(extrapolate(small, large, 1_000_000)).toEqual({
      users: 1_000_000,
      perUserRssKiB: 1.37,
      peakRssMiB: 1470,
      seconds: 401,
      readAndPlanSeconds: 300,
    });
    // At a measured size it gives the measurement back.
    expect(extrapolate(small, large, 100_000).peakRssMiB).toBe(270);
  });

  it('needs the second run to be the larger', () => {
    const run = { users: 10, seconds: 1, readAndPlanSeconds: 1, maxRssBytes: MIB };
    expect(() => extrapolate(run, run, 100)).toThrow(/larger second run/);
  });
});
