/**
 * The full-sync function bounds its heap's growth: the setting is read from the environment, bad
 * values are refused, and the bound holds the heap of a sync-like workload well below V8's own.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, heapGrowingPercent } from '../../../functions/full-sync/heap-growth';

const workload = fileURLToPath(new URL('./fixtures/heap-workload.ts', import.meta.url));

async function largestHeap(percent: number): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    workload,
    String(percent),
  ]);
  return (JSON.parse(stdout) as { largest: number }).largest;
}

describe('heapGrowingPercent', () => {
  it('is 30 unless SYNC_HEAP_GROWING_PERCENT says otherwise, and 0 leaves V8 its own growth', () => {
    expect(HEAP_GROWING_PERCENT).toBe(30);
    expect(heapGrowingPercent({})).toBe(30);
    expect(heapGrowingPercent({ SYNC_HEAP_GROWING_PERCENT: ' ' })).toBe(30);
    expect(heapGrowingPercent({ SYNC_HEAP_GROWING_PERCENT: '0' })).toBe(0);
    expect(heapGrowingPercent({ SYNC_HEAP_GROWING_PERCENT: '50' })).toBe(50);
  });

  it.each(['-1', '1.5', 'lots', '401'])('refuses %s, naming the setting', (value) => {
    expect(() => heapGrowingPercent({ SYNC_HEAP_GROWING_PERCENT: value })).toThrow(
      /SYNC_HEAP_GROWING_PERCENT/,
    );
  });
});

describe('boundHeapGrowth', () => {
  it(
    'holds the heap of a sync-like workload to well under what V8 grows it to',
    { timeout: 60_000 },
    async () => {
      // Measured: about 300 MiB with V8's own growth, 135 MiB bounded at 30%.
      const [own, bounded] = await Promise.all([largestHeap(0), largestHeap(HEAP_GROWING_PERCENT)]);
      expect(bounded).toBeLessThan(own * 0.7);
    },
  );
});
