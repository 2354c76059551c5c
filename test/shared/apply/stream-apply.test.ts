// @vitest-environment stream-engine
/**
 * The stream-fed apply against a real table stream and the built-in workspace: what the request
 * path commits reaches the workspace only through it, newer versions supersede older ones, a
 * record delivered twice or out of order changes nothing it should not, and a grant racing a
 * deactivation never outlives it. Every test reads the workspace (and the table) afterwards.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ResourceApply } from '../../../shared/apply/resource-apply';
import { applyStreamRecords } from '../../../shared/apply/stream-apply';
import type { StreamApplyDeps } from '../../../shared/apply/stream-apply';
import type { ChangeRecord } from '../../../shared/apply/stream-trigger';
import type { JsonObject } from '../../../shared/scim/json';
import type { LinkStore } from '../../../shared/store/link-store';
import type { BuiltinWorkspace } from '../../../shared/workspace/builtin/builtin-workspace';
import { createBuiltinWorkspace } from '../../../shared/workspace/builtin/create-builtin-workspace';
import { readAll } from '../../../shared/workspace/port';
import type { WorkspaceConnector } from '../../../shared/workspace/port';
import { StreamPoller } from '../../../local/stream-poller';
import { itemsIn, testDb } from '../../support/db';
import { keys } from '../../../shared/store/keys';
import { addMembers, countingWrites, deactivate, harness, removeMember } from '../provisioning/scim-harness';
import type { Harness } from '../provisioning/scim-harness';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../../../shared/store/client';

async function workspace(): Promise<BuiltinWorkspace> {
  return createBuiltinWorkspace(testDb(), `ws-${randomUUID().slice(0, 12)}`);
}

async function grantsOf(ws: WorkspaceConnector, groupId: string): Promise<string[]> {
  const grants = await readAll((page) => ws.readGrants(page));
  return grants.filter((grant) => grant.groupId === groupId).map((grant) => grant.memberId);
}

/** A poller of its own that captures every record it hands to the apply, for replaying them. */
async function capturing(scim: Harness, deps: StreamApplyDeps) {
  const client = dynamoClient();
  const { Table } = await client.send(new DescribeTableCommand({ TableName: testDb().table }));
  client.destroy();
  const captured: ChangeRecord[] = [];
  const poller = new StreamPoller({
    endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
    streamArn: Table?.LatestStreamArn ?? '',
    handle: async (records) => {
      const mine = records.filter((r) => JSON.stringify(r.dynamodb?.Keys ?? {}).includes(scim.connection.id));
      captured.push(...mine);
      return { batchItemFailures: [] };
    },
  });
  await poller.init();
  return {
    captured,
    /** Reads what was committed since the last call, without applying it. */
    async read(): Promise<ChangeRecord[]> {
      const before = captured.length;
      await poller.drain();
      return captured.slice(before);
    },
    deps,
    stop: () => poller.stop(),
  };
}

function depsOf(scim: Harness, store: LinkStore = scim.store): StreamApplyDeps {
  return {
    store,
    connectorFor: scim.connectorFor,
    connection: async (id) => (id === scim.connection.id ? scim.connection : undefined),
  };
}

async function linkedMember(scim: Harness, userId: string): Promise<string> {
  const memberId = (await scim.store.getUser(scim.connection.id, userId))?.apply.workspaceId;
  if (!memberId) throw new Error('user not linked');
  return memberId;
}

describe('the stream-fed apply', () => {
  it('a user written five times before the apply runs is applied once, at its newest version', async () => {
    const ws = await workspace();
    const counted = countingWrites(ws);
    const scim = harness(() => counted.connector, { settle: false });
    const userId = await scim.createUser('ana.ruiz@example.com');
    for (const given of ['Ann', 'Anna', 'Annie', 'Ania']) {
      const reply = await scim.call('PATCH', `/Users/${userId}`, {
        Operations: [{ op: 'replace', path: 'name.givenName', value: given }],
      });
      expect(reply.status).toBe(200);
    }
    expect(counted.writes()).toBe(0);

    await scim.settle();
    const user = await scim.store.getUser(scim.connection.id, userId);
    expect(user?.meta.version).toBe(5);
    expect(user?.apply).toMatchObject({ status: 'applied', appliedVersion: 5 });
    expect(await ws.getMember(user?.apply.workspaceId ?? '')).toMatchObject({ name: 'Ania ruiz' });
    // Provisioned once and marked managed; no update per intermediate version.
    expect(counted.writes()).toBe(2);
    expect(await itemsIn([keys.pendingPartition(scim.connection.id)])).toEqual([]);
  });

  it('records delivered again change nothing: no second account, group or incident, one idempotent re-grant', async () => {
    const ws = await workspace();
    const counted = countingWrites(ws);
    const scim = harness(() => counted.connector, { settle: false });
    const stream = await capturing(scim, depsOf(scim));
    const userId = await scim.createUser('bo.chen@example.com');
    const group = await scim.call('POST', '/Groups', { displayName: 'Ops', members: [{ value: userId }] });
    const records = await stream.read();
    expect(records.length).toBeGreaterThan(0);

    await applyStreamRecords(stream.deps, records);
    const afterFirst = counted.writes();
    expect(afterFirst).toBeGreaterThan(0);
    const groupId = (group.body as JsonObject).id as string;
    const workspaceGroupId =
      (await scim.store.getGroup(scim.connection.id, groupId))?.apply.workspaceId ?? '';
    expect(await grantsOf(ws, workspaceGroupId)).toEqual([await linkedMember(scim, userId)]);

    const again = await applyStreamRecords(stream.deps, records);
    expect(again.batchItemFailures).toEqual([]);
    // User and group are applied at their versions and skipped; the membership is asserted again
    // (a grant of a held grant), which is the one call a replay costs.
    expect(counted.writes()).toBe(afterFirst + 1);
    expect(await grantsOf(ws, workspaceGroupId)).toEqual([await linkedMember(scim, userId)]);
    expect(await readAll((page) => ws.readMembers(page))).toHaveLength(1);
    expect(await scim.store.listAccessIncidents(scim.connection.id)).toEqual([]);
    await stream.stop();
  });

  it('a membership record that arrives after the deactivation grants nothing', async () => {
    const ws = await workspace();
    const scim = harness((id) => ws.as(id), { settle: false });
    const stream = await capturing(scim, depsOf(scim));
    const userId = await scim.createUser('cy.diaz@example.com');
    const group = await scim.call('POST', '/Groups', { displayName: 'Finance', members: [] });
    const groupId = (group.body as JsonObject).id as string;
    await applyStreamRecords(stream.deps, await stream.read());
    const memberId = await linkedMember(scim, userId);

    expect((await scim.call('PATCH', `/Groups/${groupId}`, addMembers([userId]))).status).toBe(204);
    const add = await stream.read();
    expect((await scim.call('PATCH', `/Users/${userId}`, deactivate)).status).toBe(200);
    const deactivation = await stream.read();
    // Out of order across items: the deactivation first, the member add after it.
    await applyStreamRecords(stream.deps, deactivation);
    await applyStreamRecords(stream.deps, add);

    const workspaceGroupId =
      (await scim.store.getGroup(scim.connection.id, groupId))?.apply.workspaceId ?? '';
    expect(await grantsOf(ws, workspaceGroupId)).toEqual([]);
    expect(await ws.getMember(memberId)).toMatchObject({ state: 'deactivated' });
    await stream.stop();
  });

  it('a grant that lands after a removal committed and applied does not stay: the later record revokes it', async () => {
    const ws = await workspace();
    let race: (() => Promise<void>) | undefined;
    // While the grant is in flight, the IdP removes the member and that removal is applied (as a
    // retry pass running beside the stream would); the grant then lands after the revoke.
    const racing = (connector: WorkspaceConnector): WorkspaceConnector => {
      const wrapped = Object.create(connector) as WorkspaceConnector & { grantMembers?: unknown };
      wrapped.grant = async (groupId, memberId) => {
        const run = race;
        race = undefined;
        if (run) await run();
        return connector.grant(groupId, memberId);
      };
      // One grant at a time, so the race sits exactly before it.
      wrapped.grantMembers = undefined;
      return wrapped;
    };
    const h = harness((id) => racing(ws.as(id)), { settle: false });
    const userId = await h.createUser('di.fox@example.com');
    const group = await h.call('POST', '/Groups', { displayName: 'Legal', members: [] });
    const groupId = (group.body as JsonObject).id as string;
    await h.settle();

    race = async () => {
      expect((await h.call('PATCH', `/Groups/${groupId}`, removeMember(userId))).status).toBe(204);
      await new ResourceApply({ store: h.store, connectorFor: h.connectorFor }).members(
        h.connection,
        groupId,
        [userId],
      );
    };
    expect((await h.call('PATCH', `/Groups/${groupId}`, addMembers([userId]))).status).toBe(204);
    await h.settle();

    expect(race).toBeUndefined();
    const workspaceGroupId = (await h.store.getGroup(h.connection.id, groupId))?.apply.workspaceId ?? '';
    expect(await h.store.membersAmong(h.connection.id, groupId, [userId])).toEqual(new Set());
    expect(await grantsOf(ws, workspaceGroupId)).toEqual([]);
  });

  it('a grant landing after a deactivation was applied is revoked by the post-check (a workspace that allows it)', async () => {
    const ws = await workspace();
    let race: (() => Promise<void>) | undefined;
    // A workspace whose deactivation only takes the member out of its groups and that still
    // accepts grants afterwards: the built-in workspace refuses them, a remote one may not.
    const permissive = (connector: WorkspaceConnector): WorkspaceConnector => {
      const wrapped = Object.create(connector) as WorkspaceConnector & { grantMembers?: unknown };
      wrapped.deactivateMember = async (memberId) => {
        for (const grant of await readAll((page) => connector.readGrants(page))) {
          if (grant.memberId === memberId) await connector.revoke(grant.groupId, memberId);
        }
      };
      wrapped.grant = async (groupId, memberId) => {
        const run = race;
        race = undefined;
        if (run) await run();
        return connector.grant(groupId, memberId);
      };
      wrapped.grantMembers = undefined;
      return wrapped;
    };
    const h = harness((id) => permissive(ws.as(id)), { settle: false });
    const userId = await h.createUser('flo.gee@example.com');
    const group = await h.call('POST', '/Groups', { displayName: 'Treasury', members: [] });
    const groupId = (group.body as JsonObject).id as string;
    await h.settle();

    race = async () => {
      expect((await h.call('PATCH', `/Users/${userId}`, deactivate)).status).toBe(200);
      await new ResourceApply({ store: h.store, connectorFor: h.connectorFor }).user(h.connection, userId);
    };
    expect((await h.call('PATCH', `/Groups/${groupId}`, addMembers([userId]))).status).toBe(204);
    await h.settle();

    expect(race).toBeUndefined();
    const workspaceGroupId = (await h.store.getGroup(h.connection.id, groupId))?.apply.workspaceId ?? '';
    expect(await grantsOf(ws, workspaceGroupId)).toEqual([]);
    expect((await h.store.getUser(h.connection.id, userId))?.active).toBe(false);
  });

  it('a grant racing a deactivation: the built-in workspace refuses it, nothing is left granted', async () => {
    const ws = await workspace();
    let race: (() => Promise<void>) | undefined;
    const racing = (connector: WorkspaceConnector): WorkspaceConnector => {
      const wrapped = Object.create(connector) as WorkspaceConnector & { grantMembers?: unknown };
      wrapped.grant = async (groupId, memberId) => {
        const run = race;
        race = undefined;
        if (run) await run();
        return connector.grant(groupId, memberId);
      };
      wrapped.grantMembers = undefined;
      return wrapped;
    };
    const h = harness((id) => racing(ws.as(id)), { settle: false });
    const userId = await h.createUser('dee.fox@example.com');
    const group = await h.call('POST', '/Groups', { displayName: 'Audit', members: [] });
    const groupId = (group.body as JsonObject).id as string;
    await h.settle();
    const memberId = await linkedMember(h, userId);

    race = async () => {
      expect((await h.call('PATCH', `/Users/${userId}`, deactivate)).status).toBe(200);
      await new ResourceApply({ store: h.store, connectorFor: h.connectorFor }).user(h.connection, userId);
    };
    expect((await h.call('PATCH', `/Groups/${groupId}`, addMembers([userId]))).status).toBe(204);
    await h.settle();

    expect(race).toBeUndefined();
    const workspaceGroupId = (await h.store.getGroup(h.connection.id, groupId))?.apply.workspaceId ?? '';
    expect(await grantsOf(ws, workspaceGroupId)).toEqual([]);
    expect(await ws.getMember(memberId)).toMatchObject({ state: 'deactivated' });
  });

  it('a member pushed before its account exists is granted when the user is linked', async () => {
    const ws = await workspace();
    const scim = harness((id) => ws.as(id), { settle: false });
    const stream = await capturing(scim, depsOf(scim));
    const userId = await scim.createUser('ed.gray@example.com');
    const group = await scim.call('POST', '/Groups', { displayName: 'Design', members: [{ value: userId }] });
    const groupId = (group.body as JsonObject).id as string;
    const records = await stream.read();
    // The group and its membership first (the user not linked yet), the user's own record last.
    const isUser = (r: ChangeRecord) => r.dynamodb?.Keys?.pk?.S === keys.user(scim.connection.id, userId).pk;
    await applyStreamRecords(
      stream.deps,
      records.filter((r) => !isUser(r)),
    );
    const workspaceGroupId =
      (await scim.store.getGroup(scim.connection.id, groupId))?.apply.workspaceId ?? '';
    expect(await grantsOf(ws, workspaceGroupId)).toEqual([]);
    await applyStreamRecords(stream.deps, records.filter(isUser));

    expect(await grantsOf(ws, workspaceGroupId)).toEqual([await linkedMember(scim, userId)]);
    await stream.stop();
  });

  it('a unit whose table read fails is a partial batch failure; the other units are applied', async () => {
    const ws = await workspace();
    const scim = harness((id) => ws.as(id), { settle: false });
    const stream = await capturing(scim, depsOf(scim));
    const good = await scim.createUser('fay.hu@example.com');
    const bad = await scim.createUser('gil.ito@example.com');
    const records = await stream.read();
    const store = Object.create(scim.store) as LinkStore;
    store.getUser = (connectionId, id) =>
      id === bad ? Promise.reject(new Error('throttled')) : scim.store.getUser(connectionId, id);

    const result = await applyStreamRecords(depsOf(scim, store), records);

    const badRecord = records.find((r) => r.dynamodb?.Keys?.pk?.S === keys.user(scim.connection.id, bad).pk);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: badRecord?.dynamodb?.SequenceNumber }]);
    expect((await scim.store.getUser(scim.connection.id, good))?.apply.status).toBe('applied');
    expect((await scim.store.getUser(scim.connection.id, bad))?.apply.status).toBe('pending');
    await stream.stop();
  });

  it('a removal through the stream: the revoked member loses the grant, the group keeps the others', async () => {
    const ws = await workspace();
    const scim = harness((id) => ws.as(id));
    const a = await scim.createUser('hal.jay@example.com');
    const b = await scim.createUser('ivy.kim@example.com');
    const group = await scim.call('POST', '/Groups', {
      displayName: 'Sales',
      members: [{ value: a }, { value: b }],
    });
    const groupId = (group.body as JsonObject).id as string;
    expect((await scim.call('PATCH', `/Groups/${groupId}`, removeMember(a))).status).toBe(204);

    const workspaceGroupId =
      (await scim.store.getGroup(scim.connection.id, groupId))?.apply.workspaceId ?? '';
    expect(await grantsOf(ws, workspaceGroupId)).toEqual([await linkedMember(scim, b)]);
    expect(await itemsIn([keys.pendingPartition(scim.connection.id)])).toEqual([]);
  });
});
