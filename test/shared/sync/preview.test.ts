// @vitest-environment stream-engine
/**
 * The impact preview on DynamoDB Local, one case per category it reports, each read back from the
 * plan the full sync itself makes; every case checks afterwards that the preview wrote nothing
 * (no run, no rollout item) and changed nothing on the workspace.
 */
import { describe, expect, it } from 'vitest';
import { rolloutKey } from '../../../shared/provisioning/rollout-store';
import { updateRollout } from '../../../shared/provisioning/rollout-store';
import { previewOf } from '../../../shared/sync/preview';
import type { PersonPreview, Preview } from '../../../shared/sync/preview';
import { readAndPlanSync } from '../../../shared/sync/read-and-plan';
import { syncKeys } from '../../../shared/sync/sync-keys';
import { readAll } from '../../../shared/workspace/port';
import { itemsIn, testDb } from '../../support/db';
import { deactivate } from '../provisioning/scim-harness';
import { syncWorld } from './sync-world';
import type { SyncWorld } from './sync-world';

async function preview(world: SyncWorld): Promise<Preview> {
  const connector = world.workspace.as(world.connectionId);
  const before = await snapshot(world);
  const { observed, desired, plan } = await readAndPlanSync({
    db: testDb(),
    store: world.h.store,
    connector,
    connectionId: world.connectionId,
  });
  const result = previewOf(plan, observed, desired);
  // Read-only: the workspace is as it was, and no run or setting was written.
  expect(await snapshot(world)).toEqual(before);
  expect(await itemsIn([syncKeys.runs(world.connectionId)])).toEqual([]);
  return result;
}

async function snapshot(world: SyncWorld): Promise<unknown> {
  const connector = world.workspace.as(world.connectionId);
  return {
    members: await readAll((p) => connector.readMembers(p)),
    groups: await readAll((p) => connector.readEntitlements(p)),
    grants: await readAll((p) => connector.readGrants(p)),
  };
}

function person(result: Preview, userId: string): PersonPreview {
  const found = result.people.find((p) => p.userId === userId);
  if (!found) throw new Error(`no person ${userId}`);
  return found;
}

describe('impact preview: per person', () => {
  it('links by email an account that has the IdP user’s email', async () => {
    const world = await syncWorld();
    const account = await world.workspace.insertMember(
      { email: 'ada.lovelace@example.com', name: 'Ada L', admin: false },
      false,
    );
    world.setDown(true);
    const userId = await world.h.createUser('ada.lovelace@example.com');
    world.setDown(false);

    const result = await preview(world);

    expect(person(result, userId).link).toEqual({ status: 'link', memberId: account.memberId });
    expect(person(result, userId).update).toEqual(['name']);
    expect(result.totals.link).toBe(1);
    expect(await world.linkOf(userId)).toBeUndefined();
  });

  it('provisions when no account has the email, and says so when one has the same name under another email', async () => {
    const world = await syncWorld();
    const other = await world.workspace.insertMember(
      { email: 'ada@personal.example', name: 'ada lovelace', admin: false },
      false,
    );
    world.setDown(true);
    const ada = await world.h.createUser('ada.lovelace@example.com');
    const grace = await world.h.createUser('grace.hopper@example.com');
    world.setDown(false);

    const result = await preview(world);

    expect(person(result, ada).link).toEqual({
      status: 'provision',
      why: 'emailDiffers',
      similarMemberId: other.memberId,
    });
    expect(person(result, grace).link).toEqual({ status: 'provision', why: 'noAccount' });
    expect(result.totals.provision).toBe(2);
    expect(await world.workspace.findMemberByEmail('grace.hopper@example.com')).toBeUndefined();
  });

  it('does not link an account another connection owns', async () => {
    const world = await syncWorld();
    const theirs = await world.workspace.insertMember(
      { email: 'taken@example.com', name: 'Taken One', admin: false },
      true,
      'another-connection',
    );
    world.setDown(true);
    const userId = await world.h.createUser('taken@example.com');
    world.setDown(false);

    const result = await preview(world);

    expect(person(result, userId).link).toEqual({
      status: 'notLinked',
      why: 'otherConnection',
      memberId: theirs.memberId,
    });
    expect(result.totals.notLinked).toBe(1);
  });

  it('deactivates a user the IdP deactivated while the workspace was down', async () => {
    const world = await syncWorld();
    const userId = await world.h.createUser('alan.turing@example.com');
    world.setDown(true);
    expect((await world.h.call('PATCH', `/Users/${userId}`, deactivate)).status).toBe(200);
    world.setDown(false);

    const result = await preview(world);

    expect(person(result, userId).deactivate).toBe(true);
    expect(result.totals.deactivate).toBe(1);
    expect((await world.memberByEmail('alan.turing@example.com')).state).toBe('active');
  });

  it('gains admin with a new admin account, and loses admin the workspace gave on its side', async () => {
    const world = await syncWorld();
    const plain = await world.h.createUser('plain.user@example.com');
    await world.workspace.updateMember((await world.memberByEmail('plain.user@example.com')).id, {
      admin: true,
    });
    world.setDown(true);
    const boss = await world.h.createUser('boss.person@example.com', { roles: [{ value: 'admin' }] });
    world.setDown(false);

    const result = await preview(world);

    expect(person(result, boss).admin).toBe('gain');
    expect(person(result, plain).admin).toBe('lose');
    expect(result.totals).toMatchObject({ adminGain: 1, adminLose: 1 });
    expect((await world.memberByEmail('plain.user@example.com')).admin).toBe(true);
  });

  it('gains the groups the IdP lists and loses the ones granted only on the workspace side', async () => {
    const world = await syncWorld();
    const userId = await world.h.createUser('ann.member@example.com');
    const linked = await world.createGroup('Linked', []);
    const linkedWs = (await world.groupLinkOf(linked)) ?? '';
    const memberId = (await world.memberByEmail('ann.member@example.com')).id;
    await world.workspace.grant(linkedWs, memberId);
    world.setDown(true);
    await world.createGroup('Engineering', [userId]);
    world.setDown(false);

    const result = await preview(world);

    expect(person(result, userId).groupsGained.map((g) => g.name)).toEqual(['Engineering']);
    expect(person(result, userId).groupsLost.map((g) => g.name)).toEqual(['Linked']);
    expect(await world.groupMembers(linkedWs)).toEqual([memberId]);
  });
});

describe('impact preview: groups that lose members the IdP does not list', () => {
  async function takeoverWorld() {
    const world = await syncWorld();
    const local = await world.workspace.insertMember(
      { email: 'local.only@example.com', name: 'Local Only', admin: false },
      false,
    );
    const existing = await world.workspace.insertGroup('Analysts', false);
    await world.workspace.grant(existing.groupId, local.memberId);
    world.setDown(true);
    const userId = await world.h.createUser('idp.user@example.com');
    const groupId = await world.createGroup('Analysts', [userId]);
    world.setDown(false);
    return { world, local, existing, userId, groupId };
  }

  it('holds them (policy hold, the default): shown as kept until the takeover is approved', async () => {
    const { world, local, existing, groupId } = await takeoverWorld();

    const result = await preview(world);

    const group = result.groups.find((g) => g.groupId === groupId);
    expect(group).toMatchObject({ action: 'link', workspaceGroupId: existing.groupId, loses: [] });
    expect(group?.kept).toEqual([
      { memberId: local.memberId, email: 'local.only@example.com', name: 'Local Only' },
    ]);
    const account = result.accounts.find((a) => a.memberId === local.memberId);
    expect(account?.groupsKept.map((g) => g.name)).toEqual(['Analysts']);
    expect(await itemsIn([rolloutKey(world.connectionId).pk])).toEqual([]);
  });

  it('revokes them under the policy mirror, and says who', async () => {
    const { world, local, groupId } = await takeoverWorld();
    await updateRollout(testDb(), world.connectionId, (s) => ({ ...s, takeover: 'mirror' }));

    const result = await preview(world);

    const group = result.groups.find((g) => g.groupId === groupId);
    expect(group?.loses).toEqual([
      { memberId: local.memberId, email: 'local.only@example.com', name: 'Local Only' },
    ]);
    expect(group?.kept).toEqual([]);
    expect(result.accounts.find((a) => a.memberId === local.memberId)?.groupsLost.map((g) => g.name)).toEqual(
      ['Analysts'],
    );
  });

  it('answers from the same plan as the full sync’s dry run', async () => {
    const { world } = await takeoverWorld();
    await updateRollout(testDb(), world.connectionId, (s) => ({ ...s, takeover: 'mirror' }));

    const result = await preview(world);
    const run = await world.run({ dryRun: true });

    expect(run.counts.grant?.planned ?? 0).toBe(result.totals.grants);
    expect(run.counts.revoke?.planned ?? 0).toBe(result.totals.revokes);
    expect(run.counts.provisionMember?.planned ?? 0).toBe(result.totals.provision);
  });
});
