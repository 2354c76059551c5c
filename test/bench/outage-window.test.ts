import { describe, expect, it } from 'vitest';
import { outageWindow } from '../../bench/outage-window';

describe('outageWindow', () => {
  it('is the middle third of the answers', () => {
    expect(outageWindow(695)).toEqual({ from: 231, to: 463 });
    expect(outageWindow(14)).toEqual({ from: 4, to: 9 });
  });

  it('always lasts at least one answer, and needs three requests', () => {
    expect(outageWindow(3)).toEqual({ from: 1, to: 2 });
    expect(outageWindow(4)).toEqual({ from: 1, to: 2 });
    expect(() => outageWindow(2)).toThrow(/at least 3/);
  });
});
