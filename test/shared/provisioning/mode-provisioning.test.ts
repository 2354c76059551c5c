// @vitest-environment stream-engine
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcilePending } from '../../../shared/apply/reconcile-pending';
import { ScimError } from '../../../shared/scim/error';
import type { JsonObject } from '../../../shared/scim/json';
import { ModeWorkspace } from '../../../shared/workspace/mode/mode-workspace';
import { startModeServer } from '../../fixtures/mode/server';
import type { ModeServer } from '../../fixtures/mode/server';
import { harness, oktaUser } from './scim-harness';
import { runSync } from '../../../shared/sync/run-sync';
import { testDb } from '../../support/db';

let server: ModeServer;

beforeAll(async () => {
  server = await startModeServer({ halPageSize: 50 });
});
afterAll(async () => {
  await server.close();
});

function mode(): ModeWorkspace {
  return new ModeWorkspace({
    baseUrl: server.baseUrl,
    credentials: async () => ({ workspace: server.workspace, token: server.token, secret: server.secret }),
    sleep: async () => undefined,
  });
}

describe('WorkspaceProvisioning on the Mode connector', () => {
  it('without the personal API token, answers the IdP but records a user push as unsupported, with the fix', async () => {
    const scim = harness(mode(), { workspace: { kind: 'mode', secretId: 'unused' } });
    const before = server.members.size;
    const response = await scim.call('POST', '/Users', oktaUser('kay.lu@example.com', 'Kay', 'Lu'));
    expect(response.status).toBe(201);
    const user = await scim.store.getUser(scim.connection.id, (response.body as JsonObject).id as string);
    expect(user?.apply.status).toBe('failed');
    expect(user?.apply.lastError).toMatch(
      /cannot provisionMember: Mode refuses workspace API tokens for invites: put a member API token of the dedicated admin member/,
    );
    expect(server.members.size).toBe(before);
  });

  it('refuses SCIM writes with the SAML-only check on, since Mode cannot show its sign-in settings', async () => {
    const scim = harness(mode(), { workspace: { kind: 'mode', secretId: 'unused' }, requireSamlOnly: true });
    const error = await scim
      .call('POST', '/Users', oktaUser('lea.mo@example.com', 'Lea', 'Mo'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(403);
  });

  it('a group push onto an existing group of the same name links it; the managed mark is skipped, not failed', async () => {
    const existing = server.addGroup('Analysts');
    const scim = harness(mode(), { workspace: { kind: 'mode', secretId: 'unused' } });
    const response = await scim.call('POST', '/Groups', { displayName: 'analysts', members: [] });
    const group = await scim.store.getGroup(scim.connection.id, (response.body as JsonObject).id as string);
    expect(group?.apply).toMatchObject({ status: 'applied', workspaceId: existing.token });
    expect([...server.groups.values()].filter((g) => g.name.toLowerCase() === 'analysts')).toHaveLength(1);
  });

  it('a new group is created on Mode; a member Mode cannot provision waits on its own user, with the reason', async () => {
    const scim = harness(mode(), { workspace: { kind: 'mode', secretId: 'unused' } });
    const userId = await scim.createUser('max.ng@example.com');
    const response = await scim.call('POST', '/Groups', {
      displayName: 'Modellers',
      members: [{ value: userId }],
    });
    const group = await scim.store.getGroup(scim.connection.id, (response.body as JsonObject).id as string);
    // The group itself (its name, its link) is applied; the membership waits for the user's account,
    // and the user's apply grants it once the account is linked (resource-apply.ts).
    expect(group?.apply.status).toBe('applied');
    const created = [...server.groups.values()].find((g) => g.name === 'Modellers');
    expect(created?.token).toBe(group?.apply.workspaceId);
    const user = await scim.store.getUser(scim.connection.id, userId);
    expect(user?.apply).toMatchObject({ status: 'failed' });
    expect(user?.apply.lastError).toMatch(/member API token/i);

    // The retry pass cannot finish the user either, and says why; nothing else is pending.
    expect(await reconcilePending(scim, scim.connection)).toMatchObject({
      applied: 0,
      failed: 1,
      stillPending: 0,
    });
  });

  it('refuses to push the Everyone group before anything reaches Mode', async () => {
    const scim = harness(mode(), { workspace: { kind: 'mode', secretId: 'unused' } });
    const requests = server.requests.length;
    const error = await scim
      .call('POST', '/Groups', { displayName: 'Everyone', members: [] })
      .catch((e: unknown) => e);
    expect((error as ScimError).status).toBe(409);
    expect(server.requests.length).toBe(requests);
  });

  it("two connections on one Mode workspace: the second can claim neither a group nor an email the first holds, and its sync leaves the first's groups alone", async () => {
    const binding = { kind: 'mode' as const, secretId: `roster/shared-${Date.now()}` };
    const first = harness(mode(), { workspace: binding });
    const second = harness(mode(), { workspace: binding });
    const created = await first.call('POST', '/Groups', { displayName: 'Shared Analytics', members: [] });
    expect(created.status).toBe(201);
    const groupToken = (
      await first.store.getGroup(first.connection.id, (created.body as JsonObject).id as string)
    )?.apply.workspaceId as string;
    await first.createUser('nia.shared@example.com');
    const groupsBefore = server.groups.size;

    const group = await second
      .call('POST', '/Groups', { displayName: 'shared analytics', members: [] })
      .catch((e: unknown) => e);
    expect(group).toMatchObject({ status: 409, scimType: 'uniqueness' });
    const user = await second
      .call('POST', '/Users', oktaUser('NIA.shared@example.com', 'Nia', 'S'))
      .catch((e: unknown) => e);
    expect(user).toMatchObject({ status: 409, scimType: 'uniqueness' });
    expect((await second.store.listUsers(second.connection.id, 1, 10)).totalResults).toBe(0);
    expect((await second.store.listGroups(second.connection.id, 1, 10)).totalResults).toBe(0);

    // The second connection's sync sees the first's group (Mode records no owner) and leaves it.
    const run = await runSync({
      db: testDb(),
      store: second.store,
      connectionId: second.connection.id,
      connector: mode(),
    });
    expect(run.status).toBe('completed');
    expect(server.groups.size).toBe(groupsBefore);
    expect(server.groups.get(groupToken)?.name).toBe('Shared Analytics');
  });
});
