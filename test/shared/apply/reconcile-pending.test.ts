// @vitest-environment stream-engine
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reconcilePending } from '../../../shared/apply/reconcile-pending';
import type { JsonObject } from '../../../shared/scim/json';
import type { LinkStore, PendingRef } from '../../../shared/store/link-store';
import { createBuiltinWorkspace } from '../../../shared/workspace/builtin/create-builtin-workspace';
import { flakyWorkspace } from '../../../shared/workspace/flaky-workspace';
import { readAll } from '../../../shared/workspace/port';
import { testDb } from '../../support/db';
import {
  addMembers,
  countingWrites,
  deactivate,
  harness,
  oktaUser,
  removeMember,
} from '../provisioning/scim-harness';

const ROSTER = 'urn:ietf:params:scim:schemas:extension:roster:2.0:User';

async function allPending(store: LinkStore, connectionId: string): Promise<PendingRef[]> {
  const refs: PendingRef[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listPending(connectionId, { cursor });
    refs.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return refs;
}

describe('acceptance: a workspace outage never fails the IdP, and one reconcile pass catches up', () => {
  it('answers 100 requests 2xx during the outage, then makes the workspace equal the desired state', async () => {
    const workspace = await createBuiltinWorkspace(testDb(), `ws-${randomUUID().slice(0, 12)}`);
    let down = false;
    const counted = countingWrites(flakyWorkspace(workspace, { failing: () => down }));
    const scim = harness(counted.connector);
    const statuses: number[] = [];
    const ok = async (method: 'POST' | 'PATCH' | 'PUT', path: string, body: JsonObject) => {
      const response = await scim.call(method, path, body);
      statuses.push(response.status);
      return response;
    };

    // Before the outage: a group with three members, applied.
    const early = [];
    for (let i = 0; i < 3; i++) early.push(await scim.createUser(`early.${i}@example.com`));
    const g0 = (
      (
        await scim.call('POST', '/Groups', {
          displayName: 'Early',
          members: early.map((value) => ({ value })),
        })
      ).body as JsonObject
    ).id as string;
    expect((await scim.store.getGroup(scim.connection.id, g0))?.apply.status).toBe('applied');

    down = true;
    const users: string[] = [];
    for (let i = 0; i < 60; i++) {
      const extra: JsonObject = i % 10 === 0 ? { [ROSTER]: { role: 'admin' } } : {};
      const response = await ok('POST', '/Users', oktaUser(`user.${i}@example.com`, `User`, `N${i}`, extra));
      users.push((response.body as JsonObject).id as string);
    }
    const groups: string[] = [];
    for (let g = 0; g < 20; g++) {
      const members = users.slice(g * 3, g * 3 + 3).map((value) => ({ value }));
      const response = await ok('POST', '/Groups', { displayName: `Team ${g}`, members });
      groups.push((response.body as JsonObject).id as string);
    }
    const deactivated = users.filter((_, i) => i % 6 === 1).slice(0, 10);
    for (const id of deactivated) await ok('PATCH', `/Users/${id}`, deactivate);
    await ok('PATCH', `/Groups/${g0}`, removeMember(early[0] ?? ''));
    const stillActive = users.filter((id) => !deactivated.includes(id)).reverse();
    for (let g = 0; g < 8; g++) await ok('PATCH', `/Groups/${groups[g]}`, addMembers([stillActive[g] ?? '']));
    await ok('PATCH', `/Users/${early[1]}`, deactivate);

    expect(statuses).toHaveLength(100);
    expect(statuses.every((status) => status >= 200 && status < 300)).toBe(true);
    const pending = await allPending(scim.store, scim.connection.id);
    // Users created and deactivated during the outage need no account, so nothing stays pending for
    // them; the other 50 new users and the deactivated early user wait for the workspace.
    expect(new Set(pending.filter((ref) => ref.kind === 'User').map((ref) => ref.id)).size).toBe(51);
    for (const id of deactivated)
      expect((await scim.store.getUser(scim.connection.id, id))?.apply.status).toBe('applied');
    expect(new Set(pending.filter((ref) => ref.kind === 'Group').map((ref) => ref.id)).size).toBe(21);

    down = false;
    const passStarted = Date.now();
    const first = await reconcilePending(scim, scim.connection);
    expect(first).toMatchObject({ applied: 72, failed: 0, stillPending: 0 });
    // The oldest of those markers waited since the outage began, before this pass.
    expect(Date.parse(first.oldestSince ?? '')).toBeLessThanOrEqual(passStarted);
    // Every resource listed as pending is now applied. (The listing can still hold markers that the
    // store left behind when a deactivation bumped a group's version; they point at applied groups.)
    for (const ref of await allPending(scim.store, scim.connection.id)) {
      const resource =
        ref.kind === 'User'
          ? await scim.store.getUser(scim.connection.id, ref.id)
          : await scim.store.getGroup(scim.connection.id, ref.id);
      expect(resource?.apply.status).toBe('applied');
    }

    // The workspace now equals the desired state.
    const members = new Map((await readAll((page) => workspace.readMembers(page))).map((m) => [m.id, m]));
    const grants = await readAll((page) => workspace.readGrants(page));
    for (const id of [...users, ...early]) {
      const user = await scim.store.getUser(scim.connection.id, id);
      if (!user) throw new Error('user missing');
      const memberId = user.apply.workspaceId;
      if (!user.active && memberId === undefined) {
        // Created and deactivated during the outage: no account was ever needed.
        expect([...members.values()].some((m) => m.email === user.userName)).toBe(false);
        continue;
      }
      const member = members.get(memberId ?? '');
      expect(member).toMatchObject({
        email: user.userName,
        state: user.active ? 'active' : 'deactivated',
        managedByScim: true,
        admin: users.indexOf(id) % 10 === 0,
      });
      const stored = (await scim.store.groupsOfUser(scim.connection.id, id)).map((m) => m.groupId);
      const workspaceGroups = await Promise.all(
        stored.map(
          async (groupId) => (await scim.store.getGroup(scim.connection.id, groupId))?.apply.workspaceId,
        ),
      );
      const granted = grants.filter((grant) => grant.memberId === memberId).map((grant) => grant.groupId);
      expect(granted.sort()).toEqual(workspaceGroups.sort());
    }
    expect(members.size).toBe(3 + 60 - deactivated.filter((id) => users.indexOf(id) >= 0).length);
    const workspaceGroups = (await readAll((page) => workspace.readEntitlements(page))).filter(
      (e) => e.kind === 'group' && !e.everyone,
    );
    expect(workspaceGroups.map((group) => group.name).sort()).toEqual(
      ['Early', ...groups.map((_, g) => `Team ${g}`)].sort(),
    );
    expect(workspaceGroups.every((group) => group.kind === 'group' && group.managed)).toBe(true);
    expect(
      grants.filter((grant) => grant.groupId === (workspaceGroups.find((g) => g.name === 'Early')?.id ?? '')),
    ).toHaveLength(1);

    // A second pass changes nothing.
    const writes = counted.writes();
    expect(await reconcilePending(scim, scim.connection)).toEqual({
      applied: 0,
      failed: 0,
      stillPending: 0,
      held: 0,
    });
    expect(counted.writes()).toBe(writes);
  }, 120_000);
});
