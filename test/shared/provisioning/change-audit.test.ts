import { describe, expect, it } from 'vitest';
import { workspaceChangeEvent } from '../../../shared/provisioning/change-audit';

describe('a workspace change as an audit event', () => {
  it('names the IdP user of a granted member when the caller knows it, and the group', () => {
    const grant = {
      kind: 'grant' as const,
      groupId: 'g1',
      workspaceGroupId: 'wg1',
      memberId: 'm1',
      reason: 'added',
    };
    expect(
      workspaceChangeEvent(grant, { status: 'applied' }, (m) => (m === 'm1' ? 'u1' : undefined)),
    ).toEqual({
      type: 'Roster Workspace Changed',
      action: 'applied',
      object: { kind: 'WorkspaceGroup', id: 'wg1' },
      changes: [
        { attribute: 'change', after: 'grant' },
        { attribute: 'memberId', after: 'm1' },
        { attribute: 'reason', after: 'added' },
        { attribute: 'status', after: 'applied' },
      ],
      related: [
        { kind: 'User', id: 'u1' },
        { kind: 'Group', id: 'g1' },
      ],
    });
    // Without it, the group alone.
    expect(workspaceChangeEvent(grant, { status: 'applied' }).related).toEqual([{ kind: 'Group', id: 'g1' }]);
  });

  it('is a failure, with its error, for anything but applied', () => {
    const revoke = { kind: 'revoke' as const, workspaceGroupId: 'wg1', memberId: 'm1', reason: 'removed' };
    const event = workspaceChangeEvent(revoke, { status: 'rejected', error: 'conflict (HTTP 409)' });
    expect(event.action).toBe('failed');
    expect(event.changes).toContainEqual({ attribute: 'error', after: 'conflict (HTTP 409)' });
    expect(event.related).toBeUndefined();
  });
});
