// @vitest-environment stream-engine
/**
 * The full sync confirms every removal with a strongly consistent read before it applies it: a
 * user missing from an eventually consistent listing (simulated here by a store whose listing
 * leaves one user out) never costs that user its account or its groups.
 */
import { describe, expect, it } from 'vitest';
import type { LinkStore } from '../../../shared/store/link-store';
import { DynamoLinkStore } from '../../../shared/store/dynamo-link-store';
import { staleRemoval } from '../../../shared/sync/confirm-removal';
import { testDb } from '../../support/db';
import { syncWorld } from './sync-world';

/** The link state as a lagging listing shows it: one user is not listed (yet). */
function lagging(store: DynamoLinkStore, hidden: string): LinkStore {
  const proxy = Object.create(store) as DynamoLinkStore;
  proxy.listUsers = async (connectionId, startIndex, count) => {
    const page = await store.listUsers(connectionId, startIndex, count);
    return { items: page.items.filter((user) => user.id !== hidden), totalResults: page.totalResults - 1 };
  };
  return proxy;
}

describe('removals confirmed with consistent reads', () => {
  it('keeps the account and the groups of a user the listing did not show', async () => {
    const world = await syncWorld();
    const kept = await world.h.createUser('listed.late@example.com');
    const other = await world.h.createUser('listed@example.com');
    const groupId = await world.createGroup('Late Listing', [kept, other]);
    const memberId = (await world.linkOf(kept)) as string;
    const wsGroup = (await world.groupLinkOf(groupId)) as string;

    const run = await world.run({ store: lagging(world.h.store, kept) });
    // The plan took the account for an orphan (its grant goes with it); the delete was not applied.
    expect(run.counts.deleteMember).toMatchObject({ planned: 1, applied: 0, failed: 0, superseded: 1 });
    expect(await world.workspace.getMember(memberId)).toMatchObject({ state: 'active' });
    expect(await world.groupMembers(wsGroup)).toContain(memberId);
    // With the listing caught up, there is nothing to do.
    expect((await world.run()).changeCount).toBe(0);
  });

  it('confirms a true orphan, and a deactivation only while the user is still inactive', async () => {
    const world = await syncWorld();
    const store = new DynamoLinkStore(testDb());
    const userId = await world.h.createUser('orphan.check@example.com');
    const memberId = (await world.linkOf(userId)) as string;
    const groupId = await world.createGroup('Confirmed', [userId]);
    const workspaceGroupId = (await world.groupLinkOf(groupId)) as string;
    const c = world.connectionId;
    const revoke = { kind: 'revoke' as const, groupId, workspaceGroupId, memberId, reason: 't' };
    expect(await staleRemoval(revoke, store, c)).toMatch(/member on the IdP side/);
    await world.h.call('PATCH', `/Groups/${groupId}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }],
    });
    expect(await staleRemoval(revoke, store, c)).toBeUndefined();
    expect(await staleRemoval({ kind: 'deleteMember', memberId, reason: 't' }, store, c)).toMatch(
      /not an orphan/,
    );
    expect(await staleRemoval({ kind: 'deactivateMember', userId, memberId, reason: 't' }, store, c)).toMatch(
      /active again/,
    );
    expect(await world.h.call('DELETE', `/Users/${userId}`)).toMatchObject({ status: 204 });
    expect(await staleRemoval({ kind: 'deleteMember', memberId, reason: 't' }, store, c)).toBeUndefined();
  });
});
