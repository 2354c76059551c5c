import { describe, expect, it } from 'vitest';
import { busiestPartition, busiestPartitions, writtenPartitions } from '../../bench/dynamo-calls';

describe('partition writes (the hot-partition figure)', () => {
  it('names the partition of every item a write writes, and no condition check', () => {
    expect(
      writtenPartitions('TransactWriteItemsCommand', {
        TransactItems: [
          { Put: { Item: { pk: 'A', sk: '1' } } },
          { Update: { Key: { pk: 'B', sk: '#' } } },
          { Delete: { Key: { pk: 'A', sk: '2' } } },
          { ConditionCheck: { Key: { pk: 'C', sk: '#' } } },
        ],
      }),
    ).toEqual(['A', 'B', 'A']);
    expect(
      writtenPartitions('BatchWriteItemCommand', {
        RequestItems: {
          t: [{ PutRequest: { Item: { pk: 'D' } } }, { DeleteRequest: { Key: { pk: 'E' } } }],
        },
      }),
    ).toEqual(['D', 'E']);
    expect(writtenPartitions('PutItemCommand', { Item: { pk: 'F' } })).toEqual(['F']);
    expect(writtenPartitions('UpdateItemCommand', { Key: { pk: 'G' } })).toEqual(['G']);
    expect(writtenPartitions('GetItemCommand', { Key: { pk: 'H' } })).toEqual([]);
  });

  it('finds the busiest key across counters and its share of all their writes', () => {
    const request = {
      partitionWrites: new Map([
        ['A', 3],
        ['B', 1],
      ]),
    };
    const apply = {
      partitionWrites: new Map([
        ['B', 4],
        ['C', 2],
      ]),
    };
    expect(busiestPartition([request, apply])).toEqual({ key: 'B', writes: 5, share: 0.5 });
    expect(busiestPartition([])).toEqual({ key: '', writes: 0, share: 0 });
    expect(busiestPartitions([request, apply], 2)).toEqual([
      { key: 'B', writes: 5, share: 0.5 },
      { key: 'A', writes: 3, share: 0.3 },
    ]);
    expect(busiestPartitions([request, apply], 5).map((p) => p.key)).toEqual(['B', 'A', 'C']);
  });
});
