/**
 * The stream-fed apply's view of the rollout settings (rollout-gate.ts), on DynamoDB Local: a
 * linked resource is judged by settings at most `ttlMs` old; an unlinked one (which the apply would
 * link) always by fresh settings, so an object just released is never linked again from the cache;
 * a takeover is always read fresh; the version names what a hold was decided under.
 */
import { describe, expect, it } from 'vitest';
import { tableRolloutGate } from '../../../shared/provisioning/rollout-gate';
import { readRollout, updateRollout } from '../../../shared/provisioning/rollout-store';
import { testDb, uniqueConnectionId } from '../../support/db';
import { aGroup, aUser } from '../store/records';

describe('tableRolloutGate', () => {
  it('trusts cached settings for a linked user until the TTL passes, and reads fresh ones for an unlinked one', async () => {
    const db = testDb();
    const connectionId = uniqueConnectionId('gate');
    let clock = 1_000;
    const gate = tableRolloutGate(
      () => db,
      5_000,
      () => clock,
    );
    const linked = aUser(connectionId, { apply: { status: 'applied', attempts: 0, workspaceId: 'm-1' } });
    const unlinked = aUser(connectionId);

    expect(await gate.userHeld(connectionId, linked)).toBeUndefined();
    expect(await gate.version(connectionId)).toBe(0);
    await updateRollout(db, connectionId, (s) => ({
      ...s,
      pilot: { users: ['someone@example.com'], groups: [] },
    }));

    // Within the TTL the linked user is judged by what was read; the unlinked one by the table.
    clock += 4_999;
    expect(await gate.userHeld(connectionId, linked)).toBeUndefined();
    expect(await gate.userHeld(connectionId, unlinked)).toBe('outsidePilot');
    // The fresh read refreshed the cache: the version is the table's.
    expect(await gate.version(connectionId)).toBe((await readRollout(db, connectionId)).version);

    await updateRollout(db, connectionId, (s) => ({ ...s, released: { users: [linked.id], groups: [] } }));
    clock += 5_001;
    expect(await gate.userHeld(connectionId, linked)).toBe('released');
  });

  it('reads a takeover fresh, so an approval reaches the next revoke at once', async () => {
    const db = testDb();
    const connectionId = uniqueConnectionId('gate');
    const gate = tableRolloutGate(
      () => db,
      60_000,
      () => 0,
    );
    const group = aGroup(connectionId, { apply: { status: 'applied', attempts: 0, workspaceId: 'wg-1' } });
    await gate.linkedByName(connectionId, group.id, 'wg-1', new Date('2026-12-04T00:00:00Z'));
    expect(await gate.takeoverHeld(connectionId, group.id, 'wg-1')).toBe(true);
    expect(await gate.takeoverHeld(connectionId, group.id, 'wg-2')).toBe(false);
    await updateRollout(db, connectionId, (s) => ({
      ...s,
      takeovers: {
        [group.id]: {
          workspaceGroupId: 'wg-1',
          linkedAt: '2026-12-04T00:00:00Z',
          approvedAt: '2026-12-04T01:00:00Z',
        },
      },
    }));
    expect(await gate.takeoverHeld(connectionId, group.id, 'wg-1')).toBe(false);
  });
});
