// @vitest-environment stream-engine
/**
 * The access rules under concurrency, through the real handlers on DynamoDB Local: parallel
 * DELETEs and DELETE racing PATCH never answer 500; and a bounded stress run that races member
 * adds, deactivations, reactivations, deletions and full syncs on the same users and groups, then
 * reads the table to prove the invariants: no deleted user is listed in a group, no inactive user
 * holds a group in the desired state or the workspace, reactivation restores no group, and the
 * workspace grants exactly what the desired state holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import { runSync } from '../../shared/sync/run-sync';
import { readAll } from '../../shared/workspace/port';
import { testDb } from '../support/db';
import { useOwnTable } from '../support/own-table';
import { newTenant, startScimApp } from '../support/scim-app';
import type { Tenant } from '../support/scim-app';
import { createGroup, createUser, linkState, scimClient, snapshot } from './scim-client';
import type { ScimClient } from './scim-client';
import { seededRandom } from '../support/seeded-random';

let app: Awaited<ReturnType<typeof startScimApp>>;

beforeAll(async () => {
  await useOwnTable('races');
  app = await startScimApp();
});
afterAll(async () => {
  await app.close();
});

async function tenantClient(): Promise<{ tenant: Tenant; client: ScimClient }> {
  const tenant = await newTenant();
  return { tenant, client: scimClient(app.baseUrl, tenant.token) };
}

describe('conflicts are never 500s', () => {
  it('8 parallel DELETEs of one user: one 204, the rest 404, and nothing of the user is left', async () => {
    const { tenant, client } = await tenantClient();
    const id = await createUser(client, 'gone.twice@example.com');
    const groupId = await createGroup(client, 'Left Behind?', [id]);
    const statuses = await Promise.all(Array.from({ length: 8 }, () => client.del(`/Users/${id}`)));
    expect(statuses.map((r) => r.status).sort()).toEqual([204, 404, 404, 404, 404, 404, 404, 404]);
    const state = await linkState(tenant.connectionId);
    expect(state.filter((item) => item.includes(id))).toEqual([]);
    expect((await client.get(`/Groups/${groupId}`)).json.members ?? []).toEqual([]);
    // Its email claim is released: the address can be provisioned again.
    expect(
      (await snapshot(`O#${encodeURIComponent(`builtin:${tenant.workspaceId}`)}#EMAIL#`)).join(),
    ).not.toContain(id);
    expect(
      (
        await client.post('/Users', {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: 'gone.twice@example.com',
        })
      ).status,
    ).toBe(201);
  });

  it('8 parallel DELETEs of one group: one 204, the rest 404', async () => {
    const { client } = await tenantClient();
    const id = await createGroup(client, 'Deleted Often');
    const statuses = await Promise.all(Array.from({ length: 8 }, () => client.del(`/Groups/${id}`)));
    expect(statuses.map((r) => r.status).sort()).toEqual([204, 404, 404, 404, 404, 404, 404, 404]);
  });

  it('DELETE racing PATCH answers 204/404/200/412 as the order dictates, never 500', async () => {
    const { tenant, client } = await tenantClient();
    // Every round's user and group first, side by side: each round races on its own pair only.
    const rounds = Array.from({ length: 10 }, (_, round) => round);
    const ids = await Promise.all(rounds.map((round) => createUser(client, `race.${round}@example.com`)));
    const groupIds = await Promise.all(
      rounds.map((round) => createGroup(client, `Race ${round}`, [ids[round] as string])),
    );
    for (const round of rounds) {
      const id = ids[round] as string;
      const groupId = groupIds[round] as string;
      const replies = await Promise.all([
        client.patch(`/Users/${id}`, [{ op: 'replace', path: 'name.givenName', value: 'Renamed' }]),
        client.del(`/Users/${id}`),
        client.patch(`/Users/${id}`, [{ op: 'replace', value: { active: false } }], { 'If-Match': 'W/"1"' }),
        client.patch(`/Groups/${groupId}`, [{ op: 'replace', value: { displayName: `Race ${round}b` } }]),
        client.del(`/Groups/${groupId}`),
      ]);
      for (const reply of replies) expect([200, 204, 404, 412]).toContain(reply.status);
      expect(replies[1]?.status).toBe(204);
      expect(replies[4]?.status).toBe(204);
    }
    const state = await linkState(tenant.connectionId);
    expect(state.filter((item) => item.includes('"kind":"User"') || item.includes('"kind":"Group"'))).toEqual(
      [],
    );
  });
});

describe('access invariants under racing adds, deactivations, reactivations, deletions and syncs', () => {
  it('hold after 200 rounds, in the desired state and in the workspace', async () => {
    const { tenant, client } = await tenantClient();
    const store = new DynamoLinkStore(testDb());
    const next = seededRandom(20261202);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    let serial = 0;
    const users = await Promise.all(
      Array.from({ length: 6 }, () => createUser(client, `stress.${serial++}@example.com`)),
    );
    const groups = await Promise.all(Array.from({ length: 3 }, (_, i) => createGroup(client, `Stress ${i}`)));
    const connector = tenant.workspace.as(tenant.connectionId);
    const sync = () => runSync({ db: testDb(), store, connectionId: tenant.connectionId, connector });
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

    for (let round = 0; round < 200; round++) {
      const user = pick(users);
      const group = pick(groups);
      const ops: Promise<unknown>[] = [
        client
          .patch(`/Groups/${group}`, [{ op: 'add', path: 'members', value: [{ value: user }] }])
          .then((r) => count(r.status)),
      ];
      const race = next();
      if (race < 0.35) {
        ops.push(
          client
            .patch(`/Users/${user}`, [{ op: 'replace', value: { active: false } }])
            .then((r) => count(r.status)),
        );
      } else if (race < 0.6) {
        ops.push(
          client
            .patch(`/Users/${user}`, [{ op: 'replace', value: { active: true } }])
            .then((r) => count(r.status)),
        );
      } else if (race < 0.72) {
        ops.push(
          client.del(`/Users/${user}`).then(async (r) => {
            count(r.status);
            if (r.status === 204) {
              users.splice(
                users.indexOf(user),
                1,
                await createUser(client, `stress.${serial++}@example.com`),
              );
            }
          }),
        );
      } else if (race < 0.85) {
        ops.push(sync().then((r) => count(r.status === 'completed' || r.status === 'overlapping' ? 1 : 0)));
      } else {
        ops.push(
          client
            .patch(`/Groups/${pick(groups)}`, [
              { op: 'add', path: 'members', value: [{ value: pick(users) }] },
            ])
            .then((r) => count(r.status)),
        );
      }
      await Promise.all(ops);
    }
    expect(statuses.get(500) ?? 0).toBe(0);
    expect(statuses.get(0) ?? 0).toBe(0);
    for (const status of statuses.keys()) expect([1, 200, 204, 400, 404]).toContain(status);

    // Let everything settle: a final sync converges the workspace on the desired state.
    const final = await sync();
    expect(final.status).toBe('completed');

    // Desired state: every member of every group exists and is active; inactive users hold nothing.
    const linkedMember = new Map<string, string>();
    const desiredGrants = new Set<string>();
    for (const groupId of groups) {
      const group = await store.getGroup(tenant.connectionId, groupId);
      const members = await store.listMembers(tenant.connectionId, groupId, { limit: 1000 });
      expect(group?.memberCount).toBe(members.members.length);
      for (const member of members.members) {
        const user = await store.getUser(tenant.connectionId, member.userId);
        expect(user, `deleted user ${member.userId} listed in ${groupId}`).toBeDefined();
        expect(user?.active, `inactive user ${member.userId} in ${groupId}`).toBe(true);
        desiredGrants.add(`${group?.apply.workspaceId}#${user?.apply.workspaceId}`);
      }
    }
    for (const userId of users) {
      const user = await store.getUser(tenant.connectionId, userId);
      if (user?.apply.workspaceId) linkedMember.set(user.apply.workspaceId, userId);
      if (user && !user.active) expect(await store.groupsOfUser(tenant.connectionId, userId)).toEqual([]);
    }

    // Workspace: no grant to a deleted or deactivated member, and exactly the desired grants.
    const workspace = tenant.workspace;
    const grants = await readAll((page) => workspace.readGrants(page));
    for (const grant of grants) {
      const member = await workspace.getMember(grant.memberId);
      expect(member?.state, `grant of ${grant.groupId} to ${grant.memberId}`).toBe('active');
    }
    expect(new Set(grants.map((g) => `${g.groupId}#${g.memberId}`))).toEqual(desiredGrants);
    // And a second sync has nothing left to do.
    const again = await sync();
    expect(again.status === 'completed' ? again.run.changeCount : -1).toBe(0);
  }, 120_000);
});
