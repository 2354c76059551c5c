import { describe, expect, it } from 'vitest';
import { syncNoteEvents, syncNoteId } from '../../../shared/sync/sync-audit';
import type { ChangeOutcome, PlannedChange } from '../../../shared/sync/sync-run';

const planned = (change: PlannedChange['change']): PlannedChange => ({ change });

describe("a sync batch's audit note events", () => {
  it('one per change applied or failed, with what it set and why; a superseded removal is none', () => {
    const batch = [
      planned({
        kind: 'provisionMember',
        userId: 'u1',
        email: 'ada@example.com',
        name: 'Ada L',
        admin: false,
        reason: 'new',
      }),
      planned({
        kind: 'revoke',
        groupId: 'g1',
        workspaceGroupId: 'wg1',
        memberId: 'm2',
        reason: 'not in the IdP group',
      }),
      planned({ kind: 'deactivateMember', userId: 'u3', memberId: 'm3', reason: 'inactive in the IdP' }),
      planned({
        kind: 'updateMember',
        userId: 'u4',
        memberId: 'm4',
        admin: false,
        demotes: true,
        reason: 'admin role removed',
      }),
    ];
    const outcomes: ChangeOutcome[] = [
      { status: 'applied', memberId: 'm1' },
      { status: 'unavailable', error: 'workspace unavailable (HTTP 503)' },
      { status: 'superseded' },
      { status: 'applied' },
    ];
    const events = syncNoteEvents(batch, outcomes);
    expect(events).toHaveLength(3);
    expect(events[0]).toEqual({
      type: 'Roster Workspace Changed',
      action: 'applied',
      object: { kind: 'Member', id: 'm1', label: 'ada@example.com' },
      changes: [
        { attribute: 'change', after: 'provisionMember' },
        { attribute: 'name', after: 'Ada L' },
        { attribute: 'admin', after: false },
        { attribute: 'memberId', after: 'm1' },
        { attribute: 'reason', after: 'new' },
        { attribute: 'status', after: 'applied' },
      ],
      related: [{ kind: 'User', id: 'u1' }],
    });
    expect(events[1]).toMatchObject({
      action: 'failed',
      object: { kind: 'WorkspaceGroup', id: 'wg1' },
      related: [{ kind: 'Group', id: 'g1' }],
      changes: expect.arrayContaining([
        { attribute: 'memberId', before: 'm2' },
        { attribute: 'status', after: 'unavailable' },
        { attribute: 'error', after: 'workspace unavailable (HTTP 503)' },
      ]) as unknown,
    });
    expect(events[2]?.changes).toContainEqual({ attribute: 'admin', before: true, after: false });
  });

  it('names a batch by run and index, so a batch applied again writes the same note', () => {
    expect(syncNoteId('20240501T111500000Z-4f3e2a', 3)).toBe('sync:20240501T111500000Z-4f3e2a:3');
  });
});
