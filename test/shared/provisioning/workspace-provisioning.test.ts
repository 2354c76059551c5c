// @vitest-environment stream-engine
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../shared/scim/error';
import type { JsonObject } from '../../../shared/scim/json';
import { BuiltinWorkspace } from '../../../shared/workspace/builtin/builtin-workspace';
import { BuiltinWorkspaceAdmin } from '../../../shared/workspace/builtin/builtin-workspace-admin';
import { createBuiltinWorkspace } from '../../../shared/workspace/builtin/create-builtin-workspace';
import { ManagedByIdpError } from '../../../shared/workspace/builtin/managed-by-idp-error';
import { flakyWorkspace } from '../../../shared/workspace/flaky-workspace';
import { readAll } from '../../../shared/workspace/port';
import type { WorkspaceConnector } from '../../../shared/workspace/port';
import { samlOnlySignIn } from '../../../shared/workspace/sign-in';
import type { SignInSettings } from '../../../shared/workspace/sign-in';
import { testDb } from '../../support/db';
import { addMembers, countingWrites, deactivate, harness, oktaUser, reactivate } from './scim-harness';

const ROSTER = 'urn:ietf:params:scim:schemas:extension:roster:2.0:User';
const SAML_ONLY = samlOnlySignIn({
  acsUrl: 'https://idp.example/acs',
  entityId: 'roster',
  providerToken: 'p1',
});

async function builtin(signIn?: SignInSettings) {
  const workspace = await createBuiltinWorkspace(
    testDb(),
    `ws-${randomUUID().slice(0, 12)}`,
    signIn ? { signIn } : {},
  );
  return { workspace, admin: new BuiltinWorkspaceAdmin(workspace) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('WorkspaceProvisioning on the built-in workspace', () => {
  it('links an Okta push whose email matches an existing account instead of creating a second one', async () => {
    const { workspace, admin } = await builtin();
    const existing = await admin.addMember({ email: 'Ann.Lee@Example.com', name: 'A. Lee', admin: false });
    const scim = harness(workspace);
    const userId = await scim.createUser('ann.lee@example.com');

    const members = await readAll((page) => workspace.readMembers(page));
    expect(members).toHaveLength(1);
    expect(members[0]).toMatchObject({
      id: existing.id,
      name: 'ann lee',
      managedByScim: true,
      state: 'active',
    });
    const user = await scim.store.getUser(scim.connection.id, userId);
    expect(user?.apply).toMatchObject({ status: 'applied', workspaceId: existing.id, appliedVersion: 1 });
  });

  it('provisions a new account with the full name and never stores the password', async () => {
    const { workspace } = await builtin();
    const scim = harness(workspace);
    const userId = await scim.createUser('bo.chen@example.com');
    const user = await scim.store.getUser(scim.connection.id, userId);
    const member = await workspace.getMember(user?.apply.workspaceId ?? '');
    expect(member).toMatchObject({ email: 'bo.chen@example.com', name: 'bo chen', managedByScim: true });
    const stored = JSON.stringify(user);
    expect(stored).not.toMatch(/password/i);
    expect(stored).not.toContain('S3cret-pa55');
  });

  it('deactivation removes the member from the workspace groups; the user still reads back inactive', async () => {
    const { workspace } = await builtin();
    const scim = harness(workspace);
    const userId = await scim.createUser('cy.diaz@example.com');
    const created = await scim.call('POST', '/Groups', {
      displayName: 'Sales',
      members: [{ value: userId }],
    });
    expect(created.status).toBe(201);
    const group = await scim.store.getGroup(scim.connection.id, (created.body as JsonObject).id as string);
    const memberId = (await scim.store.getUser(scim.connection.id, userId))?.apply.workspaceId ?? '';
    expect((await workspace.readGroupMembers(group?.apply.workspaceId ?? '')).items).toEqual([memberId]);

    expect((await scim.call('PATCH', `/Users/${userId}`, deactivate)).status).toBe(200);
    expect((await workspace.getMember(memberId))?.state).toBe('deactivated');
    expect((await workspace.readGroupMembers(group?.apply.workspaceId ?? '')).items).toEqual([]);
    const read = await scim.call('GET', `/Users/${userId}`);
    expect(read.status).toBe(200);
    expect((read.body as JsonObject).active).toBe(false);

    // Reactivation restores the member, not its groups: they must be pushed again.
    expect((await scim.call('PATCH', `/Users/${userId}`, reactivate)).status).toBe(200);
    expect((await workspace.getMember(memberId))?.state).toBe('active');
    expect((await workspace.readGroupMembers(group?.apply.workspaceId ?? '')).items).toEqual([]);
    expect((await scim.store.getUser(scim.connection.id, userId))?.apply.status).toBe('applied');
  });

  it('a group push onto an existing group of the same name links it and marks it managed', async () => {
    const { workspace, admin } = await builtin();
    const existing = await admin.addGroup('Data Team');
    const scim = harness(workspace);
    const userId = await scim.createUser('di.eng@example.com');
    const created = await scim.call('POST', '/Groups', { displayName: 'data team', members: [] });
    const groupId = (created.body as JsonObject).id as string;
    expect((await scim.call('PATCH', `/Groups/${groupId}`, addMembers([userId]))).status).toBe(204);

    const groups = (await readAll((page) => workspace.readEntitlements(page))).filter(
      (entitlement) => entitlement.kind === 'group' && !entitlement.everyone,
    );
    expect(groups).toHaveLength(1);
    expect(await workspace.getGroup(existing.id)).toMatchObject({ managed: true, name: 'data team' });
    const group = await scim.store.getGroup(scim.connection.id, groupId);
    expect(group?.apply).toMatchObject({ status: 'applied', workspaceId: existing.id });
    const memberId = (await scim.store.getUser(scim.connection.id, userId))?.apply.workspaceId;
    expect((await workspace.readGroupMembers(existing.id)).items).toEqual([memberId]);
  });

  it('refuses to push the Everyone group', async () => {
    const { workspace } = await builtin();
    const scim = harness(workspace);
    const error = await rejection(scim.call('POST', '/Groups', { displayName: 'everyone', members: [] }));
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(409);
    expect(await scim.store.countGroups(scim.connection.id)).toBe(0);
  });

  it('a workspace-side edit of a SCIM-managed member is refused', async () => {
    const { workspace, admin } = await builtin();
    const scim = harness(workspace);
    await scim.createUser('ed.fox@example.com');
    expect(await rejection(admin.editMember('ed.fox@example.com', { name: 'Someone' }))).toBeInstanceOf(
      ManagedByIdpError,
    );
  });

  it('the admin role arrives as the roster extension attribute, promotes, and its removal demotes', async () => {
    const { workspace } = await builtin();
    const scim = harness(workspace);
    const body = oktaUser('fay.gu@example.com', 'Fay', 'Gu', {
      [ROSTER]: { role: 'admin' },
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ROSTER],
    });
    const created = await scim.call('POST', '/Users', body);
    const userId = (created.body as JsonObject).id as string;
    const memberId = (await scim.store.getUser(scim.connection.id, userId))?.apply.workspaceId ?? '';
    expect((await workspace.getMember(memberId))?.admin).toBe(true);

    const { [ROSTER]: _, ...withoutRole } = body;
    expect(
      (
        await scim.call('PUT', `/Users/${userId}`, {
          ...withoutRole,
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        })
      ).status,
    ).toBe(200);
    expect((await workspace.getMember(memberId))?.admin).toBe(false);
  });

  it('a profile push updates the full name', async () => {
    const { workspace } = await builtin();
    const scim = harness(workspace);
    const body = oktaUser('gil.ho@example.com', 'Gil', 'Ho');
    const userId = ((await scim.call('POST', '/Users', body)).body as JsonObject).id as string;
    expect(
      (
        await scim.call('PUT', `/Users/${userId}`, {
          ...body,
          name: { givenName: 'Gilbert', familyName: 'Ho' },
        })
      ).status,
    ).toBe(200);
    const user = await scim.store.getUser(scim.connection.id, userId);
    expect((await workspace.getMember(user?.apply.workspaceId ?? ''))?.name).toBe('Gilbert Ho');
    expect(user?.apply).toMatchObject({ status: 'applied', appliedVersion: user?.meta.version });
  });

  it('an email change moves the linked account to the new email (the old one is free, no second account)', async () => {
    const { workspace } = await builtin();
    const scim = harness(workspace);
    const body = oktaUser('hal.ito@example.com', 'Hal', 'Ito');
    const userId = ((await scim.call('POST', '/Users', body)).body as JsonObject).id as string;
    const memberId = (await scim.store.getUser(scim.connection.id, userId))?.apply.workspaceId ?? '';
    const moved = {
      ...body,
      userName: 'hal.ito@corp.example',
      emails: [{ primary: true, value: 'Hal.Ito@corp.example' }],
    };
    expect((await scim.call('PUT', `/Users/${userId}`, moved)).status).toBe(200);

    expect((await workspace.getMember(memberId))?.email).toBe('hal.ito@corp.example');
    expect((await workspace.findMemberByEmail('hal.ito@corp.example'))?.id).toBe(memberId);
    expect(await workspace.findMemberByEmail('hal.ito@example.com')).toBeUndefined();
    const user = await scim.store.getUser(scim.connection.id, userId);
    expect(user?.apply).toMatchObject({ status: 'applied', workspaceId: memberId });
  });

  it('an email another workspace account holds is not taken: the user stays pending with the reason', async () => {
    const { workspace } = await builtin();
    const other = await workspace.provisionMember({
      email: 'taken@example.com',
      name: 'Other',
      admin: false,
    });
    const scim = harness(workspace);
    const body = oktaUser('ivy.ng@example.com', 'Ivy', 'Ng');
    const userId = ((await scim.call('POST', '/Users', body)).body as JsonObject).id as string;
    const memberId = (await scim.store.getUser(scim.connection.id, userId))?.apply.workspaceId ?? '';
    const moved = { ...body, emails: [{ primary: true, value: 'taken@example.com' }] };
    expect((await scim.call('PUT', `/Users/${userId}`, moved)).status).toBe(200);

    expect((await workspace.getMember(memberId))?.email).toBe('ivy.ng@example.com');
    expect((await workspace.findMemberByEmail('taken@example.com'))?.id).toBe(other.memberId);
    const user = await scim.store.getUser(scim.connection.id, userId);
    expect(user?.apply.status).not.toBe('applied');
    expect(user?.apply.lastError).toMatch(/refused updateMember: email_taken/);
    expect(user?.apply.lastError).not.toContain('taken@example.com');
  });

  it('delete removes the member from the workspace', async () => {
    const { workspace } = await builtin();
    const scim = harness(workspace);
    const userId = await scim.createUser('ida.jo@example.com');
    const memberId = (await scim.store.getUser(scim.connection.id, userId))?.apply.workspaceId ?? '';
    expect((await scim.call('DELETE', `/Users/${userId}`)).status).toBe(204);
    expect(await workspace.getMember(memberId)).toBeUndefined();
  });

  it('the request never calls the workspace: the user is pending until the stream-fed apply runs', async () => {
    const { workspace } = await builtin();
    const counted = countingWrites(workspace);
    const scim = harness(counted.connector, { settle: false });
    const response = await scim.call('POST', '/Users', oktaUser('jo.kim@example.com', 'Jo', 'Kim'));
    expect(response.status).toBe(201);
    const userId = (response.body as JsonObject).id as string;
    expect(counted.writes()).toBe(0);
    expect((await scim.store.getUser(scim.connection.id, userId))?.apply).toMatchObject({
      status: 'pending',
    });

    await scim.settle();
    const user = await scim.store.getUser(scim.connection.id, userId);
    expect(user?.apply).toMatchObject({ status: 'applied', appliedVersion: 1 });
    expect(counted.writes()).toBeGreaterThan(0);
    expect(await workspace.getMember(user?.apply.workspaceId ?? '')).toMatchObject({
      email: 'jo.kim@example.com',
    });
  });

  it('a slow workspace holds no request: the answer comes before the apply, which still completes', async () => {
    const { workspace } = await builtin();
    const scim = harness(flakyWorkspace(workspace, { failing: () => false, delayMs: 400 }), {
      settle: false,
    });
    const userId = await scim.createUser('jo.lee@example.com');
    expect((await scim.store.getUser(scim.connection.id, userId))?.apply.status).toBe('pending');
    await scim.settle();
    expect((await scim.store.getUser(scim.connection.id, userId))?.apply.status).toBe('applied');
  });
});

describe('SCIM writes need SAML as the only sign-in method', () => {
  it('refuses with 403 and says how to fix it while other methods are enabled', async () => {
    const { workspace } = await builtin();
    const scim = harness(workspace, { requireSamlOnly: true });
    const error = await rejection(scim.call('POST', '/Users', oktaUser('a.b@example.com', 'A', 'B')));
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(403);
    expect((error as ScimError).detail).toMatch(
      /other than SAML \(password\).*roster token set \S+ --allow-non-saml/,
    );
    expect(await scim.store.countUsers(scim.connection.id)).toBe(0);
  });

  it('allows writes when SAML is the only method, or when the check is off', async () => {
    const saml = await builtin(SAML_ONLY);
    expect(
      (
        await harness(saml.workspace, { requireSamlOnly: true }).call(
          'POST',
          '/Users',
          oktaUser('c.d@example.com', 'C', 'D'),
        )
      ).status,
    ).toBe(201);
    const password = await builtin();
    expect(
      (
        await harness(password.workspace, { requireSamlOnly: false }).call(
          'POST',
          '/Users',
          oktaUser('e.f@example.com', 'E', 'F'),
        )
      ).status,
    ).toBe(201);
  });

  it('during a workspace outage decides from the last settings it read, and refuses with 503 when it never read any', async () => {
    let down = true;
    const saml = await builtin(SAML_ONLY);
    const cold = harness(flakyWorkspace(saml.workspace, { failing: () => down }), { requireSamlOnly: true });
    const never = await rejection(cold.call('POST', '/Users', oktaUser('g.h@example.com', 'G', 'H')));
    expect(never).toMatchObject({ status: 503, headers: { 'Retry-After': '5' } });
    expect((await cold.store.listUsers(cold.connection.id, 1, 10)).totalResults).toBe(0);

    // Read once while up (SAML only); an outage after that still lets SCIM write.
    down = false;
    const warm = harness(flakyWorkspace(saml.workspace, { failing: () => down }), { requireSamlOnly: true });
    expect((await warm.call('POST', '/Users', oktaUser('k.l@example.com', 'K', 'L'))).status).toBe(201);
    down = true;
    expect((await warm.call('POST', '/Users', oktaUser('m.n@example.com', 'M', 'N'))).status).toBe(201);

    // A workspace last read with passwords on stays refused through an outage.
    const password = await builtin();
    let passwordDown = false;
    const open = harness(flakyWorkspace(password.workspace, { failing: () => passwordDown }), {
      requireSamlOnly: true,
    });
    expect(await rejection(open.call('POST', '/Users', oktaUser('o.p@example.com', 'O', 'P')))).toMatchObject(
      {
        status: 403,
      },
    );
    passwordDown = true;
    expect(await rejection(open.call('POST', '/Users', oktaUser('q.r@example.com', 'Q', 'R')))).toMatchObject(
      {
        status: 403,
      },
    );
  });

  it('refuses with 403 and the fix when the bound workspace does not exist', async () => {
    const missing = new BuiltinWorkspace(testDb(), `missing-${Date.now()}`);
    const scim = harness(missing, { requireSamlOnly: true });
    const error = await rejection(scim.call('POST', '/Users', oktaUser('s.t@example.com', 'S', 'T')));
    expect(error).toMatchObject({ status: 403 });
    expect((error as ScimError).detail).toMatch(/does not exist/);
  });

  it('refuses with 403 explaining to switch the check off when the adapter cannot read sign-in settings', async () => {
    const { workspace } = await builtin();
    const blind: WorkspaceConnector = Object.assign(Object.create(workspace) as WorkspaceConnector, {
      capabilities: new Set([...workspace.capabilities].filter((capability) => capability !== 'readSignIn')),
    });
    const scim = harness(blind, { requireSamlOnly: true });
    const error = await rejection(scim.call('POST', '/Users', oktaUser('i.j@example.com', 'I', 'J')));
    expect((error as ScimError).status).toBe(403);
    expect((error as ScimError).detail).toMatch(
      /cannot read its sign-in settings.*roster token set \S+ --allow-non-saml/,
    );
  });
});
