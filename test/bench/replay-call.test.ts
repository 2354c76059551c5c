import { describe, expect, it } from 'vitest';
import { isConditionFailure, isReplayable, replayOf, retarget } from '../../bench/replay-call';

describe('replaying a recorded call on another table', () => {
  it('points every table reference of the input at the new table, and nothing else', () => {
    expect(retarget({ TableName: 'old', Key: { pk: 'old', TableName: 'old' } }, 'old', 'new')).toEqual({
      TableName: 'new',
      Key: { pk: 'old', TableName: 'old' },
    });
    expect(
      retarget(
        {
          TransactItems: [
            { Put: { TableName: 'old', Item: { pk: 'A' } } },
            { ConditionCheck: { TableName: 'old', Key: { pk: 'B' } } },
            { Update: { TableName: 'other', Key: { pk: 'C' } } },
          ],
        },
        'old',
        'new',
      ),
    ).toEqual({
      TransactItems: [
        { Put: { TableName: 'new', Item: { pk: 'A' } } },
        { ConditionCheck: { TableName: 'new', Key: { pk: 'B' } } },
        { Update: { TableName: 'other', Key: { pk: 'C' } } },
      ],
    });
    expect(
      retarget({ RequestItems: { old: [{ PutRequest: { Item: { pk: 'D' } } }] } }, 'old', 'new'),
    ).toEqual({
      RequestItems: { new: [{ PutRequest: { Item: { pk: 'D' } } }] },
    });
  });

  it('leaves the recorded input as it was', () => {
    const input = { TableName: 'old', Key: { pk: 'A' } };
    retarget(input, 'old', 'new');
    expect(input.TableName).toBe('old');
  });

  it('sends the document client command of the recorded operation, on the new table', async () => {
    const sent: { name: string; input: unknown }[] = [];
    const doc = {
      send: (command: { constructor: { name: string }; input: unknown }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        return Promise.resolve({});
      },
    };
    const replay = replayOf(
      {
        command: 'TransactWriteItemsCommand',
        input: { TransactItems: [{ Put: { TableName: 'old', Item: {} } }] },
      },
      'old',
      'new',
    );
    await replay(doc as unknown as Parameters<typeof replay>[0]);
    expect(sent).toEqual([
      { name: 'TransactWriteCommand', input: { TransactItems: [{ Put: { TableName: 'new', Item: {} } }] } },
    ]);
    expect(isReplayable('GetItemCommand')).toBe(true);
    expect(() => replayOf({ command: 'DescribeTableCommand', input: {} }, 'old', 'new')).toThrow(
      /cannot replay/,
    );
  });

  it('tells a refused condition from any other failure', () => {
    const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name }, extra);
    expect(isConditionFailure(named('ConditionalCheckFailedException'))).toBe(true);
    expect(
      isConditionFailure(
        named('TransactionCanceledException', {
          CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
        }),
      ),
    ).toBe(true);
    expect(
      isConditionFailure(
        named('TransactionCanceledException', { CancellationReasons: [{ Code: 'TransactionConflict' }] }),
      ),
    ).toBe(false);
    expect(isConditionFailure(named('ProvisionedThroughputExceededException'))).toBe(false);
    expect(isConditionFailure('ConditionalCheckFailedException')).toBe(false);
  });
});
