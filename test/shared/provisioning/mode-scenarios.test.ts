// @vitest-environment stream-engine
/**
 * The product's scenarios end to end on Mode: each runs through the SCIM endpoints (the harness,
 * with the real link store on DynamoDB Local) against the Mode test server, and ends by asserting
 * the Mode server's state as the rules say it must be, and the link state Roster recorded (apply
 * state, access incidents). Each scenario has a Mode workspace of its own.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScimError } from '../../../shared/scim/error';
import type { JsonObject } from '../../../shared/scim/json';
import { runSync } from '../../../shared/sync/run-sync';
import { ModeWorkspace } from '../../../shared/workspace/mode/mode-workspace';
import { startModeServer } from '../../fixtures/mode/server';
import type { ModeServer } from '../../fixtures/mode/server';
import { testDb } from '../../support/db';
import type { Harness } from './scim-harness';
import {
  PATCH_SCHEMA,
  addMembers,
  deactivate,
  harness,
  oktaUser,
  reactivate,
  removeMember,
} from './scim-harness';

let server: ModeServer;

beforeEach(async () => {
  server = await startModeServer({ halPageSize: 3 });
});
afterEach(async () => {
  await server.close();
});

function mode(): ModeWorkspace {
  return new ModeWorkspace({
    baseUrl: server.baseUrl,
    credentials: async () => ({
      workspace: server.workspace,
      token: server.token,
      secret: server.secret,
      personal: { token: server.personalToken, secret: server.personalSecret },
    }),
    sleep: async () => undefined,
  });
}

function scimFor(): Harness {
  return harness(mode(), { workspace: { kind: 'mode', secretId: `roster/mode-${server.baseUrl}` } });
}

const idOf = (response: { body?: unknown }) => (response.body as JsonObject).id as string;

async function applyOfUser(scim: Harness, userId: string) {
  return (await scim.store.getUser(scim.connection.id, userId))?.apply;
}

async function applyOfGroup(scim: Harness, groupId: string) {
  return (await scim.store.getGroup(scim.connection.id, groupId))?.apply;
}

function memberTokensOf(groupToken: string): string[] {
  return [...(server.groups.get(groupToken)?.memberships.values() ?? [])].sort();
}

function groupsHolding(memberToken: string): string[] {
  return [...server.groups.values()]
    .filter((group) => [...group.memberships.values()].includes(memberToken))
    .map((group) => group.name);
}

/** A Mode member who joined, with the IdP's name, in two groups and Everyone, pushed and linked. */
async function linkedMember(scim: Harness, email: string) {
  const everyone = server.addGroup('Everyone', { groupType: 'everyone' });
  // The name the IdP sends (createUser's given and family names), so the profile needs no change.
  const member = server.addMember({ email, name: (email.split('@')[0] ?? '').split('.').join(' ') });
  everyone.memberships.set('gm-everyone-1', member.token);
  const userId = await scim.createUser(email);
  const analysts = await scim.call('POST', '/Groups', {
    displayName: 'Analysts',
    members: [{ value: userId }],
  });
  const finance = await scim.call('POST', '/Groups', {
    displayName: 'Finance',
    members: [{ value: userId }],
  });
  expect(groupsHolding(member.token).sort()).toEqual(['Analysts', 'Everyone', 'Finance']);
  return { member, everyone, userId, groupIds: [idOf(analysts), idOf(finance)] };
}

describe('Mode scenarios through SCIM', () => {
  it('1. push: an Okta POST /Users invites the email; an email that already has a member is linked, not invited', async () => {
    const scim = scimFor();
    const response = await scim.call('POST', '/Users', oktaUser('kay.lu@example.com', 'Kay', 'Lu'));
    expect(response.status).toBe(201);
    expect([...server.state.invites.keys()]).toEqual(['kay.lu@example.com']);
    const invited = server.state.memberByEmail('kay.lu@example.com');
    expect(invited).toMatchObject({ invited: true, state: 'active', admin: false });
    expect((await applyOfUser(scim, idOf(response)))?.workspaceId).toBe(invited?.token);

    const existing = server.addMember({ email: 'Max.Ng@example.com' });
    const invitesBefore = server.requests.filter((r) => r.startsWith('POST /api/acme/invites')).length;
    const linked = await scim.call('POST', '/Users', oktaUser('max.ng@example.com', 'Max', 'Ng'));
    expect(linked.status).toBe(201);
    expect(server.requests.filter((r) => r.startsWith('POST /api/acme/invites'))).toHaveLength(invitesBefore);
    expect(server.state.invites.has('max.ng@example.com')).toBe(false);
    expect(server.members.size).toBe(2);
    expect(server.members.get(existing.token)).toMatchObject({ state: 'active', invited: false });
    expect((await applyOfUser(scim, idOf(linked)))?.workspaceId).toBe(existing.token);
  });

  it('2. profile: a PATCH of name and admin answers the desired state; Mode is not written and the apply fails with the reason', async () => {
    const scim = scimFor();
    const member = server.addMember({ email: 'lea.mo@example.com', name: 'Lea Mo' });
    const userId = await scim.createUser('lea.mo@example.com');
    const writes = server.writes.length;

    const response = await scim.call('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [
        { op: 'replace', value: { name: { givenName: 'Leah', familyName: 'Moore' } } },
        { op: 'add', path: 'roles', value: [{ value: 'admin', primary: true }] },
      ],
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: { givenName: 'Leah', familyName: 'Moore' } });
    expect(server.writes.slice(writes)).toEqual([]);
    expect(server.members.get(member.token)).toMatchObject({ name: 'Lea Mo', admin: false });
    const apply = await applyOfUser(scim, userId);
    expect(apply?.status).toBe('failed');
    expect(apply?.lastError).toMatch(
      /cannot updateMember: Mode's API has no call to change a member's admin flag/,
    );
  });

  it('3. deactivate: PATCH active=false strips every group and deletes the membership; no incident', async () => {
    const scim = scimFor();
    const { member, everyone, userId } = await linkedMember(scim, 'ann.lee@example.com');

    const response = await scim.call('PATCH', `/Users/${userId}`, deactivate);

    expect(response.status).toBe(200);
    expect((response.body as JsonObject).active).toBe(false);
    expect(server.members.get(member.token)?.state).toBe('deactivated');
    expect(groupsHolding(member.token)).toEqual([]);
    expect(server.requests).toContain(`DELETE /api/acme/memberships/${member.username}`);
    // Mode takes a removed member out of Everyone itself; Roster never wrote to it.
    expect(server.writes.filter((w) => w.includes(everyone.token))).toEqual([]);
    expect(await scim.store.listAccessIncidents(scim.connection.id)).toEqual([]);
    expect((await applyOfUser(scim, userId))?.status).toBe('applied');
  });

  it('4. reactivate: PATCH active=true answers 200; Mode cannot reactivate, the apply fails with the reason, groups stay stripped', async () => {
    const scim = scimFor();
    const { member, userId } = await linkedMember(scim, 'bo.chen@example.com');
    await scim.call('PATCH', `/Users/${userId}`, deactivate);
    const writes = server.writes.length;

    const response = await scim.call('PATCH', `/Users/${userId}`, reactivate);

    expect(response.status).toBe(200);
    expect((response.body as JsonObject).active).toBe(true);
    expect(server.members.get(member.token)?.state).toBe('deactivated');
    expect(groupsHolding(member.token)).toEqual([]);
    expect(server.writes.slice(writes)).toEqual([]);
    const apply = await applyOfUser(scim, userId);
    expect(apply?.status).toBe('failed');
    expect(apply?.lastError).toMatch(/cannot reactivateMember: Mode's API has no call to reactivate/);
  });

  it('5. group push: members, add and remove, rename, delete (soft), and a re-create under the deleted name', async () => {
    const scim = scimFor();
    const [a, b, c] = ['ann', 'bo', 'cy'].map((n) => server.addMember({ email: `${n}@example.com` }));
    const ids: string[] = [];
    for (const n of ['ann', 'bo', 'cy']) ids.push(await scim.createUser(`${n}@example.com`));
    const [ua = '', ub = '', uc = ''] = ids;

    const created = await scim.call('POST', '/Groups', {
      displayName: 'Data',
      members: [{ value: ua }, { value: ub }],
    });
    expect(created.status).toBe(201);
    const groupId = idOf(created);
    const token = (await applyOfGroup(scim, groupId))?.workspaceId as string;
    expect(server.groups.get(token)).toMatchObject({ name: 'Data', state: 'active' });
    expect(memberTokensOf(token)).toEqual([a?.token, b?.token].sort());

    await scim.call('PATCH', `/Groups/${groupId}`, addMembers([uc]));
    await scim.call('PATCH', `/Groups/${groupId}`, removeMember(ua));
    expect(memberTokensOf(token)).toEqual([b?.token, c?.token].sort());

    await scim.call('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'replace', value: { displayName: 'Data Science' } }],
    });
    expect(server.groups.get(token)?.name).toBe('Data Science');
    expect(await applyOfGroup(scim, groupId)).toMatchObject({ status: 'applied', workspaceId: token });

    expect((await scim.call('DELETE', `/Groups/${groupId}`)).status).toBe(204);
    expect(server.groups.get(token)).toMatchObject({ state: 'soft_deleted' });
    expect(memberTokensOf(token)).toEqual([]);
    expect(await scim.store.listAccessIncidents(scim.connection.id)).toEqual([]);

    const again = await scim.call('POST', '/Groups', {
      displayName: 'Data Science',
      members: [{ value: ub }],
    });
    expect(again.status).toBe(201);
    const newToken = (await applyOfGroup(scim, idOf(again)))?.workspaceId as string;
    expect(newToken).not.toBe(token);
    expect(server.groups.get(newToken)).toMatchObject({ name: 'Data Science', state: 'active' });
    expect(memberTokensOf(newToken)).toEqual([b?.token]);
    expect(server.state.liveGroups().map((g) => g.name)).toEqual(['Data Science']);
  });

  it('6. admin: a user pushed with the admin role is invited, not made admin, and the reason is recorded', async () => {
    const scim = scimFor();
    const response = await scim.call(
      'POST',
      '/Users',
      oktaUser('ida.ro@example.com', 'Ida', 'Ro', { roles: [{ value: 'admin', primary: true }] }),
    );
    expect(response.status).toBe(201);
    const member = server.state.memberByEmail('ida.ro@example.com');
    expect(member).toMatchObject({ invited: true, admin: false });
    const apply = await applyOfUser(scim, idOf(response));
    expect(apply?.workspaceId).toBe(member?.token);
    expect(apply?.status).toBe('failed');
    expect(apply?.lastError).toMatch(
      /cannot updateMember: Mode's API has no call to change a member's admin flag/,
    );
  });

  it("7. Everyone: the IdP's Everyone group is refused before Mode, never linked, and Mode's Everyone is untouched, by a sync too", async () => {
    const scim = scimFor();
    const everyone = server.addGroup('Everyone', { groupType: 'everyone' });
    const member = server.addMember({ email: 'eve@example.com' });
    everyone.memberships.set('gm-e1', member.token);
    const userId = await scim.createUser('eve@example.com');
    const writes = server.writes.length;

    const error = await scim
      .call('POST', '/Groups', { displayName: 'Everyone', members: [{ value: userId }] })
      .catch((e: unknown) => e);
    expect((error as ScimError).status).toBe(409);
    expect((await scim.store.listGroups(scim.connection.id, 1, 10)).totalResults).toBe(0);
    const run = await runSync({
      db: testDb(),
      store: scim.store,
      connectionId: scim.connection.id,
      connector: mode(),
    });
    expect(run.status).toBe('completed');

    expect(server.writes.slice(writes)).toEqual([]);
    expect(server.groups.get(everyone.token)).toMatchObject({ name: 'Everyone', state: 'active' });
    expect(memberTokensOf(everyone.token)).toEqual([member.token]);
  });

  it('8. delete: DELETE /Users strips the groups and removes the membership', async () => {
    const scim = scimFor();
    const { member, userId } = await linkedMember(scim, 'cy.do@example.com');

    expect((await scim.call('DELETE', `/Users/${userId}`)).status).toBe(204);

    expect(server.members.get(member.token)?.state).toBe('deactivated');
    expect(groupsHolding(member.token)).toEqual([]);
    expect(await scim.store.getUser(scim.connection.id, userId)).toBeUndefined();
    expect(await scim.store.listAccessIncidents(scim.connection.id)).toEqual([]);
  });

  it('9. access not removed: a DELETE of the membership failing past the retries answers inactive and leaves an incident; the sync removes it after recovery', async () => {
    const scim = scimFor();
    const { member, userId } = await linkedMember(scim, 'dee.fox@example.com');
    server.failNext(4, 500, /^DELETE \/api\/acme\/memberships\//);

    const response = await scim.call('PATCH', `/Users/${userId}`, deactivate);

    expect(response.status).toBe(200);
    expect((response.body as JsonObject).active).toBe(false);
    expect(server.members.get(member.token)?.state).toBe('active');
    expect(groupsHolding(member.token)).toEqual(['Everyone']);
    const incidents = await scim.store.listAccessIncidents(scim.connection.id);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      kind: 'member',
      change: 'deactivateMember',
      memberId: member.token,
      userId,
      status: 'unavailable',
      attempts: 1,
    });

    const run = await runSync({
      db: testDb(),
      store: scim.store,
      connectionId: scim.connection.id,
      connector: mode(),
    });
    expect(run.status).toBe('completed');
    expect(server.members.get(member.token)?.state).toBe('deactivated');
    expect(groupsHolding(member.token)).toEqual([]);
    expect(await scim.store.listAccessIncidents(scim.connection.id)).toEqual([]);
  });
});
