import { describe, expect, it } from 'vitest';
import { RequestCalls } from '../../bench/request-calls';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('RequestCalls (the push calls the engine replay makes again)', () => {
  it('keeps each request’s calls together, in order, even when requests interleave', async () => {
    const calls = new RequestCalls();
    calls.armed = true;
    calls.start();
    const request = (name: string) =>
      calls.run(async () => {
        calls.note('GetItemCommand', { name, step: 1 });
        await tick();
        calls.note('PutItemCommand', { name, step: 2 });
      });
    await Promise.all([request('a'), request('b')]);
    calls.note('QueryCommand', { outside: true }); // no request's scope: not recorded
    calls.stop();
    expect(calls.recorded).toEqual([
      [
        { command: 'GetItemCommand', input: { name: 'a', step: 1 } },
        { command: 'PutItemCommand', input: { name: 'a', step: 2 } },
      ],
      [
        { command: 'GetItemCommand', input: { name: 'b', step: 1 } },
        { command: 'PutItemCommand', input: { name: 'b', step: 2 } },
      ],
    ]);
  });

  it('copies each input, so a later change to it is not replayed', async () => {
    const calls = new RequestCalls();
    calls.armed = true;
    calls.start();
    const input = { Key: { pk: 'A' } };
    await calls.run(async () => {
      calls.note('GetItemCommand', input);
      input.Key.pk = 'B';
    });
    calls.stop();
    expect(calls.recorded?.[0]?.[0]?.input).toEqual({ Key: { pk: 'A' } });
  });

  it('records nothing unless armed', async () => {
    const calls = new RequestCalls();
    calls.start();
    await calls.run(async () => calls.note('GetItemCommand', {}));
    calls.stop();
    expect(calls.recorded).toBeUndefined();
  });
});
