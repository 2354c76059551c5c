// @vitest-environment stream-engine
/**
 * Two connections bound to one built-in workspace (two IdPs, or a second connection issued with
 * `roster token issue`): neither can take over, change, deactivate, delete, promote, grant on or
 * revoke from what the other manages, over SCIM, through the connector, or by a full sync. Every
 * refusal is proved by reading the table: the link state of the refused connection, the claims
 * and the workspace are exactly as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import { runSync } from '../../shared/sync/run-sync';
import { BuiltinWorkspace } from '../../shared/workspace/builtin/builtin-workspace';
import { WorkspaceRejectedError } from '../../shared/workspace/workspace-error';
import { testDb } from '../support/db';
import { useOwnTable } from '../support/own-table';
import { newTenant, startScimApp } from '../support/scim-app';
import type { Tenant } from '../support/scim-app';
import {
  GROUP_SCHEMA,
  createGroup,
  createUser,
  linkState,
  scimClient,
  snapshot,
  userBody,
} from './scim-client';
import type { ScimClient } from './scim-client';

let app: Awaited<ReturnType<typeof startScimApp>>;
let a: Tenant;
let b: Tenant;
let clientA: ScimClient;
let clientB: ScimClient;

beforeAll(async () => {
  await useOwnTable('ownership');
  app = await startScimApp();
  a = await newTenant();
  b = await newTenant({ workspaceId: a.workspaceId });
  clientA = scimClient(app.baseUrl, a.token);
  clientB = scimClient(app.baseUrl, b.token);
});
afterAll(async () => {
  await app.close();
});

/** What B's refused request must leave untouched: B's link state, every claim, the workspace. */
async function world(): Promise<string[]> {
  return [
    ...(await linkState(b.connectionId)),
    ...(await snapshot(`O#${encodeURIComponent(`builtin:${a.workspaceId}`)}#`)),
    ...(await snapshot(`W#${a.workspaceId}#`)),
  ];
}

const workspace = () => new BuiltinWorkspace(testDb(), a.workspaceId);

describe('two connections on one workspace', () => {
  it("refuses B's POST of a user whose email A manages (any case), with no email in the detail, writing nothing", async () => {
    const aliceId = await createUser(clientA, 'alice.owned@example.com');
    const alice = await new DynamoLinkStore(testDb()).getUser(a.connectionId, aliceId);
    const memberId = alice?.apply.workspaceId as string;
    expect((await workspace().getMember(memberId))?.owner).toBe(a.connectionId);

    const before = await world();
    for (const userName of ['alice.owned@example.com', 'ALICE.Owned@Example.COM']) {
      const reply = await clientB.post(
        '/Users',
        userBody(userName, { roles: [{ value: 'admin' }], name: { givenName: 'Mallory', familyName: 'M' } }),
      );
      expect(reply.status).toBe(409);
      expect(reply.json.scimType).toBe('uniqueness');
      expect(String(reply.json.detail)).toMatch(/managed by another connection/);
      expect(String(reply.json.detail).toLowerCase()).not.toContain('alice');
    }
    expect(await world()).toEqual(before);
    const member = await workspace().getMember(memberId);
    expect(member).toMatchObject({
      name: 'alice owned',
      admin: false,
      state: 'active',
      owner: a.connectionId,
    });
  });

  it('two connections creating the same person at once: exactly one wins, the other gets 409, one account', async () => {
    for (let round = 0; round < 5; round++) {
      const email = `race.claim.${round}@example.com`;
      const [fromA, fromB] = await Promise.all([
        clientA.post('/Users', userBody(email)),
        clientB.post('/Users', userBody(email, { name: { givenName: 'B', familyName: 'Side' } })),
      ]);
      expect([fromA.status, fromB.status].sort()).toEqual([201, 409]);
      const [winner, winnerId] = fromA.status === 201 ? [a, fromA.json.id] : [b, fromB.json.id];
      const member = await workspace().findMemberByEmail(email);
      expect(member?.owner).toBe(winner.connectionId);
      const user = await new DynamoLinkStore(testDb()).getUser(winner.connectionId, String(winnerId));
      expect(user?.apply.workspaceId).toBe(member?.id);
    }
  });

  it("refuses B's PATCH and PUT that move one of B's users to an email A manages, writing nothing", async () => {
    await createUser(clientA, 'carol.owned@example.com');
    const bobId = await createUser(clientB, 'bob.b@example.com');
    const before = await world();
    const patch = await clientB.patch(`/Users/${bobId}`, [
      { op: 'replace', path: 'emails', value: [{ value: 'Carol.Owned@example.com', primary: true }] },
    ]);
    expect(patch.status).toBe(409);
    expect(patch.json.scimType).toBe('uniqueness');
    const put = await clientB.request('PUT', `/Users/${bobId}`, {
      body: userBody('carol.owned@example.com'),
    });
    expect(put.status).toBe(409);
    expect(await world()).toEqual(before);
  });

  it("refuses B's POST of a group whose name A manages, writing nothing", async () => {
    await createGroup(clientA, 'Owned Engineering');
    const before = await world();
    const reply = await clientB.post('/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'owned engineering',
    });
    expect(reply.status).toBe(409);
    expect(reply.json.scimType).toBe('uniqueness');
    expect(String(reply.json.detail)).toMatch(/managed by another connection/);
    expect(await world()).toEqual(before);
  });

  it('refuses a second user of one connection with the same primary email (other case), writing nothing', async () => {
    await createUser(clientA, 'dave.one@example.com');
    const before = await linkState(a.connectionId);
    const reply = await clientA.post(
      '/Users',
      userBody('dave.two@example.com', { emails: [{ value: 'DAVE.ONE@example.com', primary: true }] }),
    );
    expect(reply.status).toBe(409);
    expect(reply.json.scimType).toBe('uniqueness');
    expect(String(reply.json.detail)).toMatch(/Another user of this connection/);
    expect(await linkState(a.connectionId)).toEqual(before);
  });

  it("B's connector cannot change, deactivate, delete, claim, grant on or revoke from A's objects", async () => {
    const erinId = await createUser(clientA, 'erin.owned@example.com');
    const groupId = await createGroup(clientA, 'Owned Ops', [erinId]);
    const store = new DynamoLinkStore(testDb());
    const memberId = (await store.getUser(a.connectionId, erinId))?.apply.workspaceId as string;
    const wsGroupId = (await store.getGroup(a.connectionId, groupId))?.apply.workspaceId as string;
    const frankId = await createUser(clientB, 'frank.b@example.com');
    const frankMember = (await store.getUser(b.connectionId, frankId))?.apply.workspaceId as string;

    const asB = workspace().as(b.connectionId);
    const before = await snapshot(`W#${a.workspaceId}#`);
    const attempts: [string, () => Promise<unknown>][] = [
      ['updateMember', () => asB.updateMember(memberId, { name: 'Taken', admin: true })],
      ['updateMember email', () => asB.updateMember(memberId, { email: 'taken@example.com' })],
      ['deactivateMember', () => asB.deactivateMember(memberId)],
      ['reactivateMember', () => asB.reactivateMember(memberId)],
      ['deleteMember', () => asB.deleteMember(memberId)],
      ['markMemberManaged', () => asB.markMemberManaged(memberId, true)],
      ['release member', () => asB.markMemberManaged(memberId, false)],
      ['renameGroup', () => asB.renameGroup(wsGroupId, 'Taken')],
      ['deleteGroup', () => asB.deleteGroup(wsGroupId)],
      ['markGroupManaged', () => asB.markGroupManaged(wsGroupId, true)],
      ['grant own member on A group', () => asB.grant(wsGroupId, frankMember)],
      ['revoke', () => asB.revoke(wsGroupId, memberId)],
      ['revokeMembers', () => asB.revokeMembers(wsGroupId, [memberId])],
    ];
    for (const [name, attempt] of attempts) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(WorkspaceRejectedError);
      expect((error as WorkspaceRejectedError).code, name).toBe('owned_by_other_connection');
    }
    expect(await snapshot(`W#${a.workspaceId}#`)).toEqual(before);
    expect(await workspace().readGroupMembers(wsGroupId)).toMatchObject({ items: [memberId] });
  });

  it("each connection's full sync leaves the other's objects untouched", async () => {
    // A user and a group of each, a workspace-side edit of each (drift only its owner may repair).
    const ginaId = await createUser(clientA, 'gina.owned@example.com');
    const groupA = await createGroup(clientA, 'Sync A', [ginaId]);
    const hankId = await createUser(clientB, 'hank.b@example.com');
    const groupB = await createGroup(clientB, 'Sync B', [hankId]);
    const store = new DynamoLinkStore(testDb());
    const gina = (await store.getUser(a.connectionId, ginaId))?.apply.workspaceId as string;
    const hank = (await store.getUser(b.connectionId, hankId))?.apply.workspaceId as string;
    const wsA = (await store.getGroup(a.connectionId, groupA))?.apply.workspaceId as string;
    const wsB = (await store.getGroup(b.connectionId, groupB))?.apply.workspaceId as string;
    const ws = workspace();
    await ws.updateMember(gina, { name: 'Drifted Gina' });
    await ws.updateMember(hank, { name: 'Drifted Hank' });

    const sync = (tenant: Tenant) =>
      runSync({
        db: testDb(),
        store,
        connectionId: tenant.connectionId,
        connector: ws.as(tenant.connectionId),
      });
    const objectsOf = async (ids: string[]) =>
      (await snapshot(`W#${a.workspaceId}#`)).filter((item) => ids.some((id) => item.includes(id)));

    const aObjects = await objectsOf([gina, wsA]);
    const runB = await sync(b);
    expect(runB.status).toBe('completed');
    // B repaired its own drift, and touched nothing of A's (which it reports).
    expect((await ws.getMember(hank))?.name).toBe('hank b');
    expect(await objectsOf([gina, wsA])).toEqual(aObjects);
    const runA = await sync(a);
    expect(runA.status).toBe('completed');
    expect((await ws.getMember(gina))?.name).toBe('gina owned');
    expect((await ws.getMember(hank))?.owner).toBe(b.connectionId);
    expect(await ws.readGroupMembers(wsB)).toMatchObject({ items: [hank] });
    // Neither run planned a change to the other's objects, and neither refused.
    for (const [run, foreignIds] of [
      [runA, [hank, wsB]],
      [runB, [gina, wsA]],
    ] as const) {
      if (!('run' in run)) throw new Error('expected a run');
      expect(run.run.breaker?.tripped).toBe(false);
      expect(run.run.errors).toEqual([]);
      void foreignIds;
    }
  });
});
