// @vitest-environment stream-engine
/**
 * Access that could not be removed is an incident: on the request path, a deactivation, deletion,
 * revoke or group deletion the workspace does not apply (it lacks the capability, refuses, or is
 * unavailable) is answered from the desired state as before, and leaves one item per object in the
 * connection's ACCESS partition, read back here as stored; a later success deletes it.
 */
import { describe, expect, it, vi } from 'vitest';
import { logger } from '../../../shared/http/logger';
import { ACCESS_NOT_REMOVED } from '../../../shared/provisioning/access-alarm';
import { reconcilePending } from '../../../shared/apply/reconcile-pending';
import { ResourceApply } from '../../../shared/apply/resource-apply';
import type { JsonObject } from '../../../shared/scim/json';
import type { DynamoLinkStore } from '../../../shared/store/dynamo-link-store';
import {
  CapabilityMissingError,
  WorkspaceRejectedError,
  WorkspaceUnavailableError,
} from '../../../shared/workspace/workspace-error';
import { accessWorld } from './access-world';
import { deactivate, removeMember } from './scim-harness';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+/;

/** An adapter reason that quotes an email, as a careless adapter's might: it must not be stored. */
const cannot = (capability: 'deactivateMember' | 'deleteGroup') => () =>
  new CapabilityMissingError(capability, 'this test workspace cannot do it (ask admin@example.com)');

describe('access incidents on the request path', () => {
  it('a deactivation the workspace cannot apply answers 200 inactive and records a member incident', async () => {
    const world = await accessWorld({ deactivateMember: cannot('deactivateMember') });
    const userId = await world.h.createUser('ann.lee@example.com');
    const memberId = await world.memberOf(userId);

    const response = await world.h.call('PATCH', `/Users/${userId}`, deactivate);

    expect(response.status).toBe(200);
    expect((response.body as JsonObject).active).toBe(false);
    expect(await world.workspace.getMember(memberId)).toMatchObject({ state: 'active' });
    const items = await world.items();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      pk: `C#${world.connectionId}#ACCESS`,
      sk: `member#${memberId}`,
      connectionId: world.connectionId,
      kind: 'member',
      change: 'deactivateMember',
      memberId,
      userId,
      status: 'unsupported',
      error: 'workspace cannot deactivateMember: this test workspace cannot do it (ask [redacted])',
      attempts: 1,
    });
    expect(items[0]?.firstSeenAt).toBe(items[0]?.lastSeenAt);
    expect(JSON.stringify(items)).not.toMatch(EMAIL);
    expect(world.raised).toEqual([{ incident: expect.objectContaining({ memberId }), open: 1 }]);

    // Tried again and failing again: the same item, one more attempt, first seen kept.
    await reconcilePending(world.h, world.h.connection);
    const again = await world.items();
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ attempts: 2, firstSeenAt: items[0]?.firstSeenAt });
    expect(String(again[0]?.lastSeenAt) > String(items[0]?.lastSeenAt)).toBe(true);

    // The connector fixed, the reconcile deactivates the member and resolves the incident.
    world.fix();
    expect(await reconcilePending(world.h, world.h.connection)).toMatchObject({ applied: 1 });
    expect(await world.workspace.getMember(memberId)).toMatchObject({ state: 'deactivated' });
    expect(await world.items()).toEqual([]);
  });

  it('a DELETE /Users the workspace is unavailable for records a member incident; the sync deletes the member and resolves it', async () => {
    const world = await accessWorld({
      deleteMember: () => new WorkspaceUnavailableError('retries exhausted', 503),
    });
    const userId = await world.h.createUser('bo.chen@example.com');
    const memberId = await world.memberOf(userId);

    expect((await world.h.call('DELETE', `/Users/${userId}`)).status).toBe(204);

    const items = await world.items();
    expect(items).toEqual([
      expect.objectContaining({
        sk: `member#${memberId}`,
        kind: 'member',
        change: 'deleteMember',
        memberId,
        userId,
        status: 'unavailable',
        error: 'workspace unavailable for deleteMember (HTTP 503)',
        attempts: 1,
      }),
    ]);
    expect(JSON.stringify(items)).not.toMatch(EMAIL);

    world.fix();
    const run = await world.run();
    expect(run.counts.deleteMember).toMatchObject({ applied: 1 });
    expect(run.access).toEqual({ recorded: 0, resolved: 1, open: 0 });
    expect(await world.workspace.getMember(memberId)).toBeUndefined();
    expect(await world.items()).toEqual([]);
  });

  it('a group PATCH removing a member the workspace refuses to revoke records a grant incident', async () => {
    const world = await accessWorld({
      revoke: () => new WorkspaceRejectedError('no: cy.diaz@example.com is protected', 403, 'forbidden'),
    });
    const userId = await world.h.createUser('cy.diaz@example.com');
    const other = await world.h.createUser('di.eng@example.com');
    const groupId = await world.createGroup('Finance', [userId, other]);
    const memberId = await world.memberOf(userId);
    const workspaceGroupId = await world.groupLinkOf(groupId);

    const response = await world.h.call('PATCH', `/Groups/${groupId}`, removeMember(userId));

    expect(response.status).toBeLessThan(300);
    const items = await world.items();
    expect(items).toEqual([
      expect.objectContaining({
        sk: `grant#${workspaceGroupId}#${memberId}`,
        kind: 'grant',
        change: 'revoke',
        memberId,
        workspaceGroupId,
        userId,
        groupId,
        status: 'rejected',
        error: 'workspace refused revoke: forbidden (HTTP 403)',
        attempts: 1,
      }),
    ]);
    expect(JSON.stringify(items)).not.toMatch(EMAIL);
    expect(world.raised.map((r) => r.open)).toEqual([1]);

    // Fixed: the full sync sees the grant the IdP no longer wants, revokes it, resolves the incident.
    world.fix();
    const run = await world.run();
    expect(run.counts.revoke).toMatchObject({ applied: 1 });
    expect(await world.items()).toEqual([]);
    expect(world.metrics.at(-1)).toMatchObject({ AccessNotRemoved: 0 });
  });

  it('a DELETE /Groups the workspace cannot apply records a group incident; each failing sync counts an attempt', async () => {
    const world = await accessWorld({ deleteGroup: cannot('deleteGroup') });
    const groupId = await world.createGroup('Temporary', []);
    const workspaceGroupId = await world.groupLinkOf(groupId);

    expect((await world.h.call('DELETE', `/Groups/${groupId}`)).status).toBe(204);

    expect(await world.items()).toEqual([
      expect.objectContaining({
        sk: `group#${workspaceGroupId}`,
        kind: 'group',
        change: 'deleteGroup',
        workspaceGroupId,
        groupId,
        status: 'unsupported',
        attempts: 1,
      }),
    ]);

    // The sync plans the orphan's deletion again, fails again: still one incident, two attempts.
    const failing = await world.run();
    expect(failing.counts.deleteGroup).toMatchObject({ failed: 1 });
    expect(failing.access).toEqual({ recorded: 1, resolved: 0, open: 1 });
    expect(world.metrics.at(-1)).toMatchObject({ AccessNotRemoved: 1 });
    const [item] = await world.items();
    expect(item).toMatchObject({ attempts: 2, groupId });

    world.fix();
    await world.run();
    expect(await world.items()).toEqual([]);
    expect(world.metrics.at(-1)).toMatchObject({ AccessNotRemoved: 0 });
  });

  it('records nothing when every removal applies', async () => {
    const world = await accessWorld({});
    const userId = await world.h.createUser('eve.fox@example.com');
    const other = await world.h.createUser('fay.gil@example.com');
    const groupId = await world.createGroup('Ops', [userId, other]);

    expect((await world.h.call('PATCH', `/Groups/${groupId}`, removeMember(other))).status).toBeLessThan(300);
    expect((await world.h.call('PATCH', `/Users/${userId}`, deactivate)).status).toBe(200);
    expect((await world.h.call('DELETE', `/Users/${other}`)).status).toBe(204);
    expect((await world.h.call('DELETE', `/Groups/${groupId}`)).status).toBe(204);

    expect(await world.items()).toEqual([]);
    expect(world.raised).toEqual([]);
  });

  it('a deactivation while the workspace is down is an incident; the full sync applies it and resolves it', async () => {
    const world = await accessWorld({});
    const userId = await world.h.createUser('gus.ho@example.com');
    const memberId = await world.memberOf(userId);

    world.setDown(true);
    expect((await world.h.call('PATCH', `/Users/${userId}`, deactivate)).status).toBe(200);
    world.setDown(false);

    expect(await world.items()).toEqual([
      expect.objectContaining({
        sk: `member#${memberId}`,
        change: 'deactivateMember',
        status: 'unavailable',
        error: 'workspace unavailable for deactivateMember (HTTP 503)',
      }),
    ]);
    const run = await world.run();
    expect(run.counts.deactivateMember).toMatchObject({ applied: 1 });
    expect(await world.workspace.getMember(memberId)).toMatchObject({ state: 'deactivated' });
    expect(await world.items()).toEqual([]);
  });

  it('never fails the request when the incident cannot be written: the alarm line says what was not removed', async () => {
    const world = await accessWorld({ deleteMember: () => new WorkspaceUnavailableError('down', 503) });
    const userId = await world.h.createUser('hu.ir@example.com');
    const user = await world.h.store.getUser(world.connectionId, userId);
    if (!user) throw new Error('user missing');
    const store = Object.create(world.h.store) as DynamoLinkStore;
    store.recordAccessIncident = () => Promise.reject(new Error('throttled'));
    const apply = new ResourceApply({ store, connectorFor: world.h.connectorFor });
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    await expect(apply.userDeleted(world.h.connection, user)).resolves.toBeUndefined();

    expect(logged).toHaveBeenCalledWith(
      ACCESS_NOT_REMOVED,
      expect.objectContaining({ change: 'deleteMember', outcome: 'unavailable', recorded: false }),
    );
    expect(await world.items()).toEqual([]);
    logged.mockRestore();
  });
});

describe('the admin role taken away', () => {
  it('is an access incident when the workspace does not apply it, raised loudly, and settled when it applies', async () => {
    const world = await accessWorld({
      demoteMember: () => new CapabilityMissingError('updateMember', 'this test workspace keeps admins'),
    });
    const userId = await world.h.createUser('root.admin@example.com', { roles: [{ value: 'admin' }] });
    const memberId = await world.memberOf(userId);
    expect(await world.workspace.getMember(memberId)).toMatchObject({ admin: true });

    const response = await world.h.call('PATCH', `/Users/${userId}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'roles', value: [] }],
    });
    expect(response.status).toBe(200);
    expect(await world.workspace.getMember(memberId)).toMatchObject({ admin: true });
    const items = await world.items();
    expect(items).toEqual([
      expect.objectContaining({
        sk: `admin#${memberId}`,
        kind: 'admin',
        change: 'updateMember',
        memberId,
        userId,
        status: 'unsupported',
        attempts: 1,
      }),
    ]);
    expect(world.raised).toEqual([
      { incident: expect.objectContaining({ kind: 'admin', memberId }), open: 1 },
    ]);

    // The workspace can do it now: the retry pass demotes the account and settles the incident.
    world.fix();
    await reconcilePending(world.h, world.h.connection);
    expect(await world.workspace.getMember(memberId)).toMatchObject({ admin: false, state: 'active' });
    expect(await world.items()).toEqual([]);
  });

  it('is not an incident when nothing says the account was an admin (the retry pass asserting a profile)', async () => {
    const world = await accessWorld({
      demoteMember: () => new CapabilityMissingError('updateMember', 'this test workspace keeps admins'),
    });
    const userId = await world.h.createUser('plain.member@example.com');
    world.setDown(true);
    const renamed = await world.h.call('PATCH', `/Users/${userId}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'name.familyName', value: 'Renamed' }],
    });
    expect(renamed.status).toBe(200);
    world.setDown(false);
    // The retry pass asserts the whole profile, `admin: false` included, and the workspace refuses.
    await reconcilePending(world.h, world.h.connection);
    expect((await world.h.store.getUser(world.connectionId, userId))?.apply).toMatchObject({
      lastError: expect.stringContaining('keeps admins'),
    });
    expect(await world.items()).toEqual([]);
    expect(world.raised).toEqual([]);
  });
});
