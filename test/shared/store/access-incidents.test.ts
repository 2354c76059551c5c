/**
 * The incident store: one item per object and connection, written again in place (attempts
 * counted, first seen kept, ids a later writer does not know kept), resolved only under its guard,
 * and listed with one Query per connection.
 */
import { describe, expect, it } from 'vitest';
import type { AccessIncidentReport } from '../../../shared/store/access-incidents';
import { listIncidents, recordIncident, resolveIncident } from '../../../shared/store/access-incidents';
import { countingDb } from '../../../shared/store/counting-db';
import { keys } from '../../../shared/store/keys';
import { itemsIn, testDb, uniqueConnectionId } from '../../support/db';

const revoke: AccessIncidentReport = {
  kind: 'grant',
  workspaceGroupId: 'wg-1',
  memberId: 'm-1',
  change: 'revoke',
  userId: 'u-1',
  groupId: 'g-1',
  status: 'unavailable',
  error: 'workspace unavailable for revoke (HTTP 503)',
};

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

describe('access incidents in the table', () => {
  it('writes one item per object; writing it again counts an attempt and keeps what it knew', async () => {
    const db = testDb();
    const connectionId = uniqueConnectionId('inc');
    await recordIncident(db, connectionId, revoke, at(1));
    // The sync names the grant by workspace ids only, and the workspace now refuses.
    const { userId: _u, groupId: _g, ...bare } = revoke;
    const again = await recordIncident(
      db,
      connectionId,
      { ...bare, status: 'rejected', error: 'workspace refused revoke: forbidden (HTTP 403)' },
      at(2),
    );

    expect(again).toMatchObject({ attempts: 2, userId: 'u-1', groupId: 'g-1', status: 'rejected' });
    const items = await itemsIn([keys.accessPartition(connectionId)]);
    expect(items).toEqual([
      {
        pk: `C#${connectionId}#ACCESS`,
        sk: 'grant#wg-1#m-1',
        connectionId,
        kind: 'grant',
        change: 'revoke',
        workspaceGroupId: 'wg-1',
        memberId: 'm-1',
        userId: 'u-1',
        groupId: 'g-1',
        status: 'rejected',
        error: 'workspace refused revoke: forbidden (HTTP 403)',
        firstSeenAt: at(1).toISOString(),
        lastSeenAt: at(2).toISOString(),
        attempts: 2,
        // Who wrote it last, for the audit trail (outside any entry point: system).
        audit: { actor: 'system', at: at(2).toISOString() },
      },
    ]);
  });

  it('resolves only under its guard: last seen before an instant, or still the version listed', async () => {
    const db = testDb();
    const connectionId = uniqueConnectionId('inc');
    const listed = await recordIncident(db, connectionId, revoke, at(5));

    expect(await resolveIncident(db, connectionId, revoke, { seenBefore: at(5).toISOString() })).toBe(false);
    await recordIncident(db, connectionId, revoke, at(6));
    expect(await resolveIncident(db, connectionId, revoke, { seen: listed })).toBe(false);
    expect(await listIncidents(db, connectionId)).toHaveLength(1);

    expect(await resolveIncident(db, connectionId, revoke, { seenBefore: at(7).toISOString() })).toBe(true);
    expect(await itemsIn([keys.accessPartition(connectionId)])).toEqual([]);
    // Resolving what is not there is not an error.
    expect(await resolveIncident(db, connectionId, revoke, { seenBefore: at(7).toISOString() })).toBe(false);
  });

  it("lists a connection's incidents with one Query, and never another connection's", async () => {
    const connectionId = uniqueConnectionId('inc');
    const other = uniqueConnectionId('inc');
    await recordIncident(testDb(), connectionId, revoke, at(1));
    await recordIncident(
      testDb(),
      connectionId,
      { kind: 'member', memberId: 'm-2', change: 'deactivateMember', status: 'unsupported', error: 'e' },
      at(1),
    );
    await recordIncident(
      testDb(),
      other,
      { kind: 'group', workspaceGroupId: 'wg-2', change: 'deleteGroup', status: 'unsupported', error: 'e' },
      at(1),
    );
    const counting = countingDb(testDb());

    const listed = await listIncidents(counting.db, connectionId);

    expect(counting.stats.byCommand).toEqual({ QueryCommand: 1 });
    expect(listed.map((i) => i.kind).sort()).toEqual(['grant', 'member']);
    expect(listed.every((i) => i.connectionId === connectionId)).toBe(true);
  });
});
