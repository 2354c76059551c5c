import { describe, expect, it } from 'vitest';
import { touchedWorkspace, WorkspaceOutage } from '../../bench/workspace-outage';

describe('the workspace outage switch', () => {
  it('finds the workspace whose items a call names, anywhere in its input', () => {
    const input = {
      TransactItems: [
        { Put: { TableName: 't', Item: { pk: 'C#conn#users', sk: 'u1' } } },
        { Update: { TableName: 't', Key: { pk: 'W#ws-1#members', sk: 'm1' } } },
      ],
    };
    expect(touchedWorkspace(input, ['ws-2', 'ws-1'])).toBe('ws-1');
    expect(touchedWorkspace(input, ['ws-2'])).toBeUndefined();
    // A prefix of another workspace's id is not that workspace.
    expect(touchedWorkspace({ Key: { pk: 'W#ws-10#meta' } }, ['ws-1'])).toBeUndefined();
  });

  it('fails only the workspaces that are down, and counts the connector calls it refused', () => {
    const outage = new WorkspaceOutage();
    const call = { Key: { pk: 'W#a#meta', sk: 'workspace' } };
    expect(outage.touched(call)).toBeUndefined();
    outage.begin('a');
    expect(outage.touched(call)).toBe('a');
    expect(outage.failing('a')).toBe(true);
    expect(outage.failing('b')).toBe(false);
    outage.end('a');
    expect(outage.failing('a')).toBe(false);
    expect(outage.refusedConnectorCalls).toBe(1);
  });
});
