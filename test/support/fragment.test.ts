import { describe, expect, it } from 'vitest';
import { fragmentMismatches, valueAt } from './fragment';

describe('fragmentMismatches', () => {
  it('matches objects by the keys the fragment names', () => {
    expect(fragmentMismatches({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).toEqual([]);
    expect(fragmentMismatches({ a: 1 }, { a: 2 })).toEqual(['$.a: expected 2, got 1']);
  });

  it('matches array elements in any order, each actual element at most once', () => {
    expect(fragmentMismatches([{ v: 'x' }, { v: 'y' }], [{ v: 'y' }, { v: 'x' }])).toEqual([]);
    expect(fragmentMismatches([{ v: 'x' }], [{ v: 'x' }, { v: 'x' }])).toHaveLength(1);
  });

  it('tells types apart', () => {
    expect(fragmentMismatches('1', 1)).toHaveLength(1);
    expect(fragmentMismatches({}, [])).toHaveLength(1);
  });

  it('reads dotted paths with indexes', () => {
    expect(valueAt({ Resources: [{ members: [1] }] }, 'Resources.0.members')).toEqual([1]);
    expect(valueAt({ Resources: [] }, 'Resources.0.members')).toBeUndefined();
  });
});
