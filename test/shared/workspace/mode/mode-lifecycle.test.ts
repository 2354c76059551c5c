/**
 * The Mode connector's lifecycle calls against the Mode test server: what is sent (method, path,
 * body, which credential) and what the server holds afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { membershipState, ModeWorkspace } from '../../../../shared/workspace/mode/mode-workspace';
import { readAll } from '../../../../shared/workspace/port';
import { CapabilityMissingError, WorkspaceRejectedError } from '../../../../shared/workspace/workspace-error';
import { startModeServer } from '../../../fixtures/mode/server';
import type { ModeServer } from '../../../fixtures/mode/server';

let server: ModeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connect(options: { personal?: boolean } = {}) {
  server = await startModeServer({ halPageSize: 3 });
  const fixture = server;
  const connector = new ModeWorkspace({
    baseUrl: fixture.baseUrl,
    credentials: async () => ({
      workspace: fixture.workspace,
      token: fixture.token,
      secret: fixture.secret,
      ...(options.personal === false
        ? {}
        : { personal: { token: fixture.personalToken, secret: fixture.personalSecret } }),
    }),
    sleep: async () => {},
  });
  return { server: fixture, connector };
}

const writes = (fixture: ModeServer) =>
  fixture.writes.map((line) => line.replace(/gr[0-9a-f]{12}/g, 'GROUP'));

describe('Mode connector lifecycle', () => {
  it('invites with the personal API token and the invite body, once per email', async () => {
    const { server, connector } = await connect();
    const created = await connector.provisionMember({
      email: 'Kay@Example.com',
      name: 'Kay Lu',
      admin: false,
    });
    const again = await connector.provisionMember({ email: 'kay@example.com', name: 'Kay Lu', admin: false });

    expect(again).toEqual({ kind: 'exists', memberId: created.memberId });
    expect(server.writes).toEqual([
      `POST /api/${server.workspace}/invites {"invite":{"invitee":{"email":"Kay@Example.com"},"message":""}}`,
    ]);
    const member = server.state.members.get(created.memberId);
    expect(member).toMatchObject({ email: 'Kay@Example.com', invited: true });
    const listed = await readAll((page) => connector.readMembers(page));
    expect(listed.map((m) => m.state)).toEqual(['invited']);
  });

  it('without a personal API token, provisioning is a missing capability that names the fix, and nothing is sent', async () => {
    const { server, connector } = await connect({ personal: false });
    const error = await connector
      .provisionMember({ email: 'kay@example.com', name: 'Kay Lu', admin: false })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CapabilityMissingError);
    expect((error as Error).message).toMatch(/memberToken, memberSecret/);
    expect(server.writes).toEqual([]);
    expect(server.state.members.size).toBe(0);
  });

  it('the Mode test server refuses an invite signed with the workspace token (as Mode does)', async () => {
    const { server } = await connect();
    const response = await fetch(`${server.baseUrl}/api/${server.workspace}/invites`, {
      method: 'POST',
      headers: {
        authorization: 'Basic ' + Buffer.from(`${server.token}:${server.secret}`).toString('base64'),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ invite: { invitee: 'x@example.com' } }),
    });
    expect(response.status).toBe(403);
    expect(server.state.members.size).toBe(0);
  });

  it('the Mode test server refuses an invite whose invitee is not an object or that has no message', async () => {
    const { server } = await connect();
    const post = (invite: unknown) =>
      fetch(`${server.baseUrl}/api/${server.workspace}/invites`, {
        method: 'POST',
        headers: {
          authorization:
            'Basic ' + Buffer.from(`${server.personalToken}:${server.personalSecret}`).toString('base64'),
          'content-type': 'application/json',
        },
        body: JSON.stringify({ invite }),
      });
    expect((await post({ invitee: 'x@example.com', message: '' })).status).toBe(400);
    expect((await post({ invitee: { email: 'x@example.com' } })).status).toBe(400);
    expect(server.state.members.size).toBe(0);
    expect((await post({ invitee: { email: 'x@example.com' }, message: '' })).status).toBe(200);
    expect([...server.state.members.values()].map((m) => [m.email, m.invited])).toEqual([
      ['x@example.com', true],
    ]);
  });

  it('deactivation strips every group, then removes the membership; an invitation is withdrawn', async () => {
    const { server, connector } = await connect();
    const ada = server.addMember({ email: 'ada@example.com', name: 'Ada' });
    const kay = server.addMember({ email: 'kay@example.com', invited: true });
    const eng = server.addGroup('Engineering');
    const ops = server.addGroup('Ops');
    for (const group of [eng, ops]) await connector.grantMembers(group.token, [ada.token, kay.token]);

    await connector.deactivateMember(ada.token);
    await connector.deactivateMember(ada.token);
    await connector.deactivateMember(kay.token);

    expect(server.state.members.get(ada.token)?.state).toBe('deactivated');
    expect(server.state.members.has(kay.token)).toBe(false);
    expect([...eng.memberships.values(), ...ops.memberships.values()]).toEqual([]);
    expect(server.writes.filter((line) => line.startsWith('DELETE /api/acme/memberships/'))).toEqual([
      `DELETE /api/acme/memberships/${ada.username} {}`,
      `DELETE /api/acme/memberships/${kay.username} {}`,
    ]);
    const listed = await readAll((page) => connector.readMembers(page));
    expect(listed.map((m) => [m.id, m.state])).toEqual([[ada.token, 'deactivated']]);
  });

  it('reactivation and profile changes are declared missing unless nothing would change', async () => {
    const { server, connector } = await connect();
    const ada = server.addMember({ email: 'ada@example.com', name: 'Ada Lovelace' });
    await connector.reactivateMember(ada.token);
    await connector.updateMember(ada.token, { name: 'Ada Lovelace', admin: false, email: 'ADA@example.com' });
    await expect(connector.updateMember(ada.token, { admin: true })).rejects.toBeInstanceOf(
      CapabilityMissingError,
    );
    await expect(connector.updateMember(ada.token, { name: 'Ada King' })).rejects.toBeInstanceOf(
      CapabilityMissingError,
    );
    await connector.deactivateMember(ada.token);
    await expect(connector.reactivateMember(ada.token)).rejects.toBeInstanceOf(CapabilityMissingError);
    expect(server.writes.some((line) => line.startsWith('PATCH'))).toBe(false);
  });

  it('sends user_group and membership bodies, and the server refuses the old ones', async () => {
    const { server, connector } = await connect();
    const ada = server.addMember({ email: 'ada@example.com' });
    const { groupId } = await connector.createGroup('Data');
    await connector.renameGroup(groupId, 'Data Science');
    await connector.grant(groupId, ada.token);
    expect(writes(server)).toEqual([
      'POST /api/acme/groups {"user_group":{"name":"Data"}}',
      'PATCH /api/acme/groups/GROUP {"user_group":{"name":"Data Science"}}',
      `POST /api/acme/groups/GROUP/memberships {"membership":{"member_token":"${ada.token}"}}`,
    ]);
    const auth = 'Basic ' + Buffer.from(`${server.token}:${server.secret}`).toString('base64');
    const old = await fetch(`${server.baseUrl}/api/acme/groups`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ group: { name: 'Old' } }),
    });
    expect(old.status).toBe(400);
  });

  it('never finds a soft-deleted group, and re-creates a deleted name as a new group', async () => {
    const { server, connector } = await connect();
    const first = await connector.createGroup('Sales');
    await connector.deleteGroup(first.groupId);
    expect(server.state.groups.get(first.groupId)?.state).toBe('soft_deleted');

    const again = await connector.createGroup('sales');
    expect(again.kind).toBe('created');
    expect(again.groupId).not.toBe(first.groupId);
    const live = (await readAll((page) => connector.readEntitlements(page))).filter(
      (e) => e.kind === 'group',
    );
    expect(live.map((group) => group.id)).toEqual([again.groupId]);
    await expect(connector.grant(first.groupId, 'anyone')).rejects.toBeInstanceOf(WorkspaceRejectedError);
  });

  it('deletes a group named like a deleted one by renaming it first, and confirms the deletion', async () => {
    const { server, connector } = await connect();
    const first = await connector.createGroup('Sales');
    await connector.deleteGroup(first.groupId);
    const second = await connector.createGroup('Sales');

    await connector.deleteGroup(second.groupId);

    expect(server.state.groups.get(second.groupId)?.state).toBe('soft_deleted');
    expect(server.state.liveGroups()).toEqual([]);
    expect(writes(server).filter((line) => line.startsWith('PATCH'))).toHaveLength(1);
  });

  it('reads invited members as their own state, never as deactivated', () => {
    expect(membershipState({ state: 'active', invited: true })).toBe('invited');
    expect(membershipState({ state: 'invited' })).toBe('invited');
    expect(membershipState({ state: 'deactivated', invited: true })).toBe('deactivated');
    expect(membershipState({ state: 'active', banned_at: '2024-01-01' })).toBe('deactivated');
    expect(membershipState({ state: 'active' })).toBe('active');
  });
});
