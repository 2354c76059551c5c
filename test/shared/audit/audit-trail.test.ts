// @vitest-environment stream-engine
/**
 * The audit trail end to end on DynamoDB Local: SCIM writes, a sync and an operator's commands
 * commit with their stamp, the table's stream carries them to the apply handler (the stream
 * poller), which writes the entries to the table and publishes them (EventBridge, mocked).
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAudited, setDefaultAuditContext } from '../../../shared/audit/audit-context';
import { recordIncident, resolveIncident } from '../../../shared/store/access-incidents';
import type { AuditEntry } from '../../../shared/audit/audit-entry';
import { EventBridgePublisher } from '../../../shared/audit/audit-publisher';
import { AuditStore } from '../../../shared/audit/audit-store';
import { AuditTrail } from '../../../shared/audit/audit-trail';
import { updateRollout } from '../../../shared/provisioning/rollout-store';
import { unlink } from '../../../shared/provisioning/unlink';
import type { JsonObject } from '../../../shared/scim/json';
import { createBuiltinWorkspace } from '../../../shared/workspace/builtin/create-builtin-workspace';
import { testDb } from '../../support/db';
import { addMembers, harness } from '../provisioning/scim-harness';
import { syncWorld } from '../sync/sync-world';

const eventBridge = mockClient(EventBridgeClient);
const store = new AuditStore(testDb(), 30);
const trail = () =>
  new AuditTrail(
    store,
    new EventBridgePublisher({
      busName: 'roster-test-audit',
      source: 'roster.test',
      client: new EventBridgeClient({ region: 'eu-west-1' }),
      sleep: async () => undefined,
    }),
  );
const since = new Date(Date.now() - 60_000);

/** A connection on a built-in workspace of its own, whose apply records the audit trail. */
async function auditedHarness() {
  const workspace = await createBuiltinWorkspace(testDb(), `ws-${randomUUID().slice(0, 12)}`);
  const h = harness((id) => workspace.as(id), {
    workspace: { kind: 'builtin', workspaceId: workspace.workspaceId },
    audit: trail(),
  });
  return { workspace, h };
}

function published(): { detailType: string; detail: AuditEntry }[] {
  return eventBridge.commandCalls(PutEventsCommand).flatMap((call) =>
    (call.args[0].input.Entries ?? []).map((entry) => ({
      detailType: entry.DetailType ?? '',
      detail: JSON.parse(entry.Detail ?? '{}') as AuditEntry,
    })),
  );
}

describe('the audit trail through the real stream', () => {
  beforeEach(() => {
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
  });
  afterEach(() => setDefaultAuditContext({ actor: 'system' }));

  it('a SCIM push: the user created and the membership PATCH, by the IdP with their request ids, and their apply', async () => {
    const { h } = await auditedHarness();
    const userId = await h.createUser('ada.lovelace@example.com');
    const created = await h.call('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Engineers',
    });
    const groupId = (created.body as JsonObject).id as string;
    const patched = await h.call('PATCH', `/Groups/${groupId}`, addMembers([userId]));
    expect(patched.status).toBeLessThan(300);
    await h.settle();
    const [createRequest, , patchRequest] = h.requestIds;

    const ofUser = await store.query({
      connectionId: h.connection.id,
      object: { kind: 'User', id: userId },
      since,
    });
    const userCreated = ofUser.find((e) => e.action === 'created');
    expect(userCreated).toMatchObject({
      type: 'Roster User Changed',
      actor: 'idp',
      ref: createRequest,
      object: { kind: 'User', id: userId, label: 'ada.lovelace@example.com' },
    });
    // The password the IdP sent is never stored, so never recorded.
    expect(JSON.stringify(ofUser)).not.toContain('S3cret-pa55');
    const membership = ofUser.find((e) => e.type === 'Roster Group Membership Changed');
    expect(membership).toMatchObject({
      actor: 'idp',
      ref: patchRequest,
      object: { kind: 'Group', id: groupId, label: 'Engineers' },
      members: { added: [userId], removed: [], addedCount: 1, removedCount: 0 },
    });
    const applied = ofUser.find((e) => e.type === 'Roster Change Applied' && e.object.kind === 'User');
    expect(applied).toMatchObject({ actor: 'apply', action: 'applied' });
    expect(applied?.changes.map((c) => c.attribute)).toContain('apply.workspaceId');
    // The grant the apply made in the workspace, found by the user it is for.
    const memberId = applied?.changes.find((c) => c.attribute === 'apply.workspaceId')?.after;
    const grant = ofUser.filter((e) => e.type === 'Roster Workspace Changed');
    expect(grant).toHaveLength(1);
    expect(grant[0]).toMatchObject({
      actor: 'apply',
      action: 'applied',
      object: { kind: 'WorkspaceGroup' },
      related: expect.arrayContaining([
        { kind: 'User', id: userId },
        { kind: 'Group', id: groupId },
      ]) as unknown,
      changes: expect.arrayContaining([
        { attribute: 'change', after: 'grant' },
        { attribute: 'memberId', after: memberId },
      ]) as unknown,
    });

    // The same entries went to EventBridge, once each.
    const events = published();
    const ids = events.map((e) => e.detail.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(events.find((e) => e.detail.id === userCreated?.id)?.detailType).toBe('Roster User Changed');
    expect(events.find((e) => e.detail.id === membership?.id)?.detail).toEqual(membership);

    // A batch delivered again writes the same entries: nothing is duplicated.
    const all = await store.query({ connectionId: h.connection.id, since });
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  });

  it('a full sync repairing drift: the re-provisioned member is recorded as applied by the run', async () => {
    const world = await syncWorld(undefined, { audit: trail() });
    const userId = await world.h.createUser('grace.hopper@example.com');
    const before = await world.memberByEmail('grace.hopper@example.com');
    await world.workspace.deleteMember(before.id);

    const run = await world.run();
    await world.h.settle();

    const after = await world.memberByEmail('grace.hopper@example.com');
    const ofUser = await store.query({
      connectionId: world.connectionId,
      object: { kind: 'User', id: userId },
      since,
    });
    expect(ofUser.find((e) => e.actor === 'sync')).toMatchObject({
      type: 'Roster Change Applied',
      ref: run.runId,
      changes: expect.arrayContaining([
        { attribute: 'apply.workspaceId', before: before.id, after: after.id },
      ]) as unknown,
    });
  });

  it('a full sync revoking a grant made by hand in the workspace: the revoke is recorded by the run, found by the group and by the user', async () => {
    const world = await syncWorld(undefined, { audit: trail() });
    const ada = await world.h.createUser('ada.byron@example.com');
    const bobUser = await world.h.createUser('bob.drift@example.com');
    const groupId = await world.createGroup('Drifters', [ada]);
    await world.h.settle();
    const workspaceGroupId = (await world.groupLinkOf(groupId)) as string;
    const bob = await world.memberByEmail('bob.drift@example.com');
    // Someone grants the IdP's group in the workspace by hand: no desired state changes.
    await world.workspace.grant(workspaceGroupId, bob.id);

    const run = await world.run();
    await world.h.settle();

    expect(await world.groupMembers(workspaceGroupId)).not.toContain(bob.id);
    const ofGroup = await store.query({
      connectionId: world.connectionId,
      object: { kind: 'Group', id: groupId },
      since,
    });
    const revoke = ofGroup.find((e) => e.type === 'Roster Workspace Changed' && e.actor === 'sync');
    expect(revoke).toMatchObject({
      action: 'applied',
      actor: 'sync',
      ref: run.runId,
      object: { kind: 'WorkspaceGroup', id: workspaceGroupId },
      // The IdP user linked to the member, so `roster audit --user` finds what the sync did to them.
      related: [
        { kind: 'User', id: bobUser },
        { kind: 'Group', id: groupId },
      ],
      changes: expect.arrayContaining([
        { attribute: 'change', after: 'revoke' },
        { attribute: 'memberId', before: bob.id },
        { attribute: 'status', after: 'applied' },
      ]) as unknown,
    });
    // Exactly one by the run (nothing doubled); the apply's grant of ada when she joined is the other.
    expect(
      ofGroup.filter((e) => e.type === 'Roster Workspace Changed').map((e) => [e.actor, e.changes[0]?.after]),
    ).toEqual([
      ['sync', 'revoke'],
      ['apply', 'grant'],
    ]);
    expect(published().find((e) => e.detail.id === revoke?.id)?.detailType).toBe('Roster Workspace Changed');
    const ofBob = await store.query({
      connectionId: world.connectionId,
      object: { kind: 'User', id: bobUser },
      since,
    });
    expect(ofBob.filter((e) => e.actor === 'sync').map((e) => e.id)).toEqual([revoke?.id]);
  });

  it('an access incident: opened by the apply, resolved by the sync that removed the access, each with its writer', async () => {
    const { h } = await auditedHarness();
    // The stream reader starts where the stream ends: start it before writing.
    await h.settle();
    const db = testDb();
    const subject = {
      kind: 'grant' as const,
      change: 'revoke' as const,
      workspaceGroupId: 'wg-9',
      memberId: 'm-9',
      status: 'unavailable' as const,
      error: 'http_503',
    };
    const opened = await runAudited({ actor: 'apply' }, () =>
      recordIncident(db, h.connection.id, subject, new Date()),
    );
    expect(
      await runAudited({ actor: 'sync', ref: 'run-resolves' }, () =>
        resolveIncident(db, h.connection.id, subject, { seen: opened }),
      ),
    ).toBe(true);
    await h.settle();

    const access = (await store.query({ connectionId: h.connection.id, since })).filter(
      (e) => e.object.kind === 'Access',
    );
    expect(access.map((e) => [e.type, e.actor, e.ref])).toEqual([
      ['Roster Access Removed', 'sync', 'run-resolves'],
      ['Roster Access Not Removed', 'apply', undefined],
    ]);
    expect(access[0]?.changes).toContainEqual({ attribute: 'memberId', before: 'm-9' });
  });

  it('an operator edit: the pilot scope set and a user unlinked, by the operator with the command', async () => {
    const { workspace, h } = await auditedHarness();
    const userId = await h.createUser('linus.t@example.com');
    const db = testDb();

    // What cli/main.ts sets before a command's action.
    setDefaultAuditContext({ actor: 'operator', ref: 'roster connection pilot set' });
    await updateRollout(db, h.connection.id, (s) => ({
      ...s,
      pilot: { users: ['linus.t@example.com'], groups: [] },
    }));
    setDefaultAuditContext({ actor: 'operator', ref: 'roster unlink' });
    await unlink(
      { db, store: h.store, connector: workspace.as(h.connection.id), connectionId: h.connection.id },
      'user',
      userId,
      { deleteInWorkspace: false },
    );
    await h.settle();
    await h.settle();

    const all = await store.query({ connectionId: h.connection.id, since });
    expect(all.find((e) => e.ref === 'roster connection pilot set')).toMatchObject({
      type: 'Roster Rollout Changed',
      actor: 'operator',
      ref: 'roster connection pilot set',
      changes: expect.arrayContaining([
        { attribute: 'settings.pilot', after: { users: ['linus.t@example.com'], groups: [] } },
      ]) as unknown,
    });
    // The unlink releases the user (rollout settings) and removes its link (apply state).
    expect(all.find((e) => e.ref === 'roster unlink' && e.type === 'Roster Rollout Changed')).toMatchObject({
      actor: 'operator',
      changes: [
        {
          attribute: 'settings.released',
          before: { users: [], groups: [] },
          after: { users: [userId], groups: [] },
        },
      ],
    });
    const unlinked = all.find((e) => e.ref === 'roster unlink' && e.type === 'Roster Change Applied');
    expect(unlinked).toMatchObject({
      type: 'Roster Change Applied',
      actor: 'operator',
      object: { kind: 'User', id: userId },
    });
    expect(unlinked?.changes.find((c) => c.attribute === 'apply.workspaceId')?.after).toBeUndefined();
  });
});
