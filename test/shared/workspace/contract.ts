/**
 * The connector contract: the same cases run against every adapter. Where an adapter does not
 * declare a capability, the case asserts that calling it throws CapabilityMissingError with a
 * reason, so a missing capability is a checked behaviour rather than a skipped test.
 */
import { describe, expect, it } from 'vitest';
import type { Capability } from '../../../shared/workspace/capability';
import type { GroupEntitlement } from '../../../shared/workspace/entitlement';
import type { MemberState } from '../../../shared/workspace/member';
import { readAll } from '../../../shared/workspace/port';
import type { WorkspaceConnector } from '../../../shared/workspace/port';
import { CapabilityMissingError, WorkspaceRejectedError } from '../../../shared/workspace/workspace-error';

export interface SeedMember {
  email: string;
  name: string;
  admin?: boolean;
  state?: MemberState;
  managedByScim?: boolean;
}

export interface ContractSubject {
  connector: WorkspaceConnector;
  /** Creates a member behind the port's back (an adapter may not be able to provision). */
  seedMember(member: SeedMember): Promise<string>;
  seedGroup(name: string, options?: { managed?: boolean }): Promise<string>;
  /** The id of the workspace's Everyone group. */
  everyoneId: string;
  /**
   * Where the workspace lists members without their names (Mode keeps names on the user resource
   * only, one call per member): listings answer an empty name and `readMemberName` reads it.
   */
  readMemberName?: (memberId: string) => Promise<string | undefined>;
  /** Where a removed member stays listed as deactivated (Mode) instead of disappearing. */
  removedMembersStayListed?: boolean;
  /**
   * Where provisioning sends an invitation (Mode): the new member is listed `invited`, with the
   * profile its user will give it (no name, not admin) rather than the one asked for.
   */
  provisionsByInvitation?: boolean;
  close?(): Promise<void>;
}

async function expectMissing(
  connector: WorkspaceConnector,
  capability: Capability,
  call: () => Promise<unknown>,
): Promise<void> {
  expect(connector.capabilities.has(capability)).toBe(false);
  const error = await call().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CapabilityMissingError);
  expect((error as CapabilityMissingError).capability).toBe(capability);
  expect((error as CapabilityMissingError).reason.length).toBeGreaterThan(10);
}

async function groups(connector: WorkspaceConnector): Promise<GroupEntitlement[]> {
  const all = await readAll((page) => connector.readEntitlements(page));
  return all.filter((item): item is GroupEntitlement => item.kind === 'group');
}

async function grantsOf(connector: WorkspaceConnector, groupId: string): Promise<string[]> {
  const grants = await readAll((page) => connector.readGrants(page));
  return grants
    .filter((grant) => grant.groupId === groupId)
    .map((grant) => grant.memberId)
    .sort();
}

export function connectorContract(name: string, setup: () => Promise<ContractSubject>): void {
  const withSubject = (test: (subject: ContractSubject) => Promise<void>) => async () => {
    const subject = await setup();
    try {
      await test(subject);
    } finally {
      await subject.close?.();
    }
  };

  describe(`${name} connector contract`, () => {
    it(
      'reads members with their attributes, page by page',
      withSubject(async ({ connector, seedMember, readMemberName }) => {
        const ada = await seedMember({ email: 'ada@example.com', name: 'Ada Lovelace', admin: true });
        const bob = await seedMember({ email: 'bob@example.com', name: 'Bob Smith', managedByScim: true });
        await seedMember({ email: 'cy@example.com', name: 'Cy Young', state: 'deactivated' });

        const members = await readAll((page) => connector.readMembers(page));

        expect(members).toHaveLength(3);
        expect(members.find((member) => member.id === ada)).toEqual({
          id: ada,
          email: 'ada@example.com',
          name: readMemberName ? '' : 'Ada Lovelace',
          admin: true,
          state: 'active',
          managedByScim: false,
        });
        expect(members.find((member) => member.id === bob)?.managedByScim).toBe(true);
        if (readMemberName) expect(await readMemberName(ada)).toBe('Ada Lovelace');
        expect(members.find((member) => member.email === 'cy@example.com')?.state).toBe('deactivated');
      }),
    );

    it(
      'reads entitlements: the admin role, groups with their managed flag, and Everyone flagged',
      withSubject(async ({ connector, seedGroup, everyoneId }) => {
        const eng = await seedGroup('Engineering', { managed: true });
        const ops = await seedGroup('Ops');

        const all = await readAll((page) => connector.readEntitlements(page));

        expect(all).toContainEqual({ kind: 'role', id: 'admin', name: 'admin' });
        const byId = new Map((await groups(connector)).map((group) => [group.id, group]));
        expect(byId.get(eng)).toMatchObject({ name: 'Engineering', managed: true, everyone: false });
        expect(byId.get(ops)).toMatchObject({ name: 'Ops', managed: false, everyone: false });
        expect(byId.get(everyoneId)).toMatchObject({ name: 'Everyone', everyone: true });
      }),
    );

    it(
      'creates a group once: the same name in another case answers exists with the same id',
      withSubject(async ({ connector }) => {
        const first = await connector.createGroup('Data Science');
        const again = await connector.createGroup('data science');

        expect(first.kind).toBe('created');
        expect(again).toEqual({ kind: 'exists', groupId: first.groupId });
        expect((await groups(connector)).filter((group) => group.name === 'Data Science')).toHaveLength(1);
      }),
    );

    it(
      'renames and deletes a group; deleting an absent group is a no-op',
      withSubject(async ({ connector, seedGroup }) => {
        const id = await seedGroup('Sales');

        await connector.renameGroup(id, 'Revenue');
        expect((await groups(connector)).find((group) => group.id === id)?.name).toBe('Revenue');

        await connector.deleteGroup(id);
        await connector.deleteGroup(id);
        expect((await groups(connector)).some((group) => group.id === id)).toBe(false);
      }),
    );

    it(
      'grants idempotently, lists grants, and revokes idempotently',
      withSubject(async ({ connector, seedMember, seedGroup }) => {
        const ada = await seedMember({ email: 'ada@example.com', name: 'Ada Lovelace' });
        const bob = await seedMember({ email: 'bob@example.com', name: 'Bob Smith' });
        const eng = await seedGroup('Engineering');
        const ops = await seedGroup('Ops');

        await connector.grant(eng, ada);
        await connector.grant(eng, ada);
        await connector.grant(eng, bob);
        await connector.grant(ops, bob);

        expect(await grantsOf(connector, eng)).toEqual([ada, bob].sort());
        expect(await grantsOf(connector, ops)).toEqual([bob]);

        await connector.revoke(eng, ada);
        await connector.revoke(eng, ada);
        expect(await grantsOf(connector, eng)).toEqual([bob]);
      }),
    );

    it(
      'grants and revokes several members of one group at once, idempotently',
      withSubject(async ({ connector, seedMember, seedGroup }) => {
        // Both adapters implement the optional batch calls; a new adapter without them fails here
        // on purpose, so that leaving them out is a decision.
        const { grantMembers, revokeMembers } = connector;
        expect(grantMembers).toBeTypeOf('function');
        expect(revokeMembers).toBeTypeOf('function');
        if (!grantMembers || !revokeMembers) return;
        const ada = await seedMember({ email: 'ada@example.com', name: 'Ada Lovelace' });
        const bob = await seedMember({ email: 'bob@example.com', name: 'Bob Smith' });
        const cy = await seedMember({ email: 'cy@example.com', name: 'Cy Young' });
        const eng = await seedGroup('Engineering');
        const ops = await seedGroup('Ops');
        await connector.grant(eng, ada);

        await grantMembers.call(connector, eng, [ada, bob, cy, bob]);
        await grantMembers.call(connector, eng, [ada, bob]);
        await grantMembers.call(connector, ops, [cy]);
        expect(await grantsOf(connector, eng)).toEqual([ada, bob, cy].sort());
        expect(await grantsOf(connector, ops)).toEqual([cy]);

        await revokeMembers.call(connector, eng, [ada, cy]);
        await revokeMembers.call(connector, eng, [ada, cy]);
        expect(await grantsOf(connector, eng)).toEqual([bob]);
        expect(await grantsOf(connector, ops)).toEqual([cy]);
      }),
    );

    it(
      'refuses a batch grant to a missing group, and batch grants or revokes on Everyone',
      withSubject(async ({ connector, seedMember, seedGroup, everyoneId }) => {
        const { grantMembers, revokeMembers } = connector;
        expect(grantMembers).toBeTypeOf('function');
        expect(revokeMembers).toBeTypeOf('function');
        if (!grantMembers || !revokeMembers) return;
        const ada = await seedMember({ email: 'ada@example.com', name: 'Ada Lovelace' });
        const bob = await seedMember({ email: 'bob@example.com', name: 'Bob Smith' });
        const eng = await seedGroup('Engineering');
        await connector.deleteGroup(eng);
        await expect(grantMembers.call(connector, eng, [ada, bob])).rejects.toBeInstanceOf(
          WorkspaceRejectedError,
        );
        await expect(grantMembers.call(connector, everyoneId, [ada, bob])).rejects.toBeInstanceOf(
          WorkspaceRejectedError,
        );
        await expect(revokeMembers.call(connector, everyoneId, [ada, bob])).rejects.toBeInstanceOf(
          WorkspaceRejectedError,
        );
        expect((await readAll((page) => connector.readGrants(page))).length).toBe(0);
      }),
    );

    it(
      'refuses to rename, delete, grant or revoke the Everyone group',
      withSubject(async ({ connector, seedMember, everyoneId }) => {
        const ada = await seedMember({ email: 'ada@example.com', name: 'Ada Lovelace' });
        const refusals = [
          () => connector.renameGroup(everyoneId, 'All'),
          () => connector.deleteGroup(everyoneId),
          () => connector.grant(everyoneId, ada),
          () => connector.revoke(everyoneId, ada),
        ];
        for (const call of refusals) {
          await expect(call()).rejects.toBeInstanceOf(WorkspaceRejectedError);
        }
        expect((await groups(connector)).find((group) => group.id === everyoneId)?.name).toBe('Everyone');
      }),
    );

    it(
      'provisions a member once: an existing email answers exists instead of a second account',
      withSubject(async ({ connector, seedMember, provisionsByInvitation }) => {
        if (!connector.capabilities.has('provisionMember')) {
          await expectMissing(connector, 'provisionMember', () =>
            connector.provisionMember({ email: 'new@example.com', name: 'New Person', admin: false }),
          );
          return;
        }
        const existing = await seedMember({ email: 'Ada@Example.com', name: 'Ada Lovelace' });
        const created = await connector.provisionMember({
          email: 'new@example.com',
          name: 'New Person',
          admin: true,
        });
        const linked = await connector.provisionMember({
          email: 'ada@example.com',
          name: 'Other',
          admin: false,
        });

        expect(created.kind).toBe('created');
        expect(linked).toEqual({ kind: 'exists', memberId: existing });
        const members = await readAll((page) => connector.readMembers(page));
        expect(members).toHaveLength(2);
        expect(members.find((member) => member.id === created.memberId)).toMatchObject(
          provisionsByInvitation
            ? { email: 'new@example.com', name: '', admin: false, state: 'invited' }
            : { email: 'new@example.com', name: 'New Person', admin: true, state: 'active' },
        );
        // Provisioning again (a retried request) finds the account and sends nothing new.
        expect(
          await connector.provisionMember({ email: 'NEW@example.com', name: 'New Person', admin: true }),
        ).toEqual({ kind: 'exists', memberId: created.memberId });
        expect(await readAll((page) => connector.readMembers(page))).toHaveLength(2);
      }),
    );

    it(
      'updates a member profile (name, admin)',
      withSubject(async ({ connector, seedMember }) => {
        const ada = await seedMember({ email: 'ada@example.com', name: 'Ada Lovelace' });
        if (!connector.capabilities.has('updateMember')) {
          await expectMissing(connector, 'updateMember', () => connector.updateMember(ada, { admin: true }));
          return;
        }
        await connector.updateMember(ada, { name: 'Ada King', admin: true });
        let member = (await readAll((page) => connector.readMembers(page))).find((m) => m.id === ada);
        expect(member).toMatchObject({ name: 'Ada King', admin: true });

        await connector.updateMember(ada, { admin: false });
        member = (await readAll((page) => connector.readMembers(page))).find((m) => m.id === ada);
        expect(member).toMatchObject({ name: 'Ada King', admin: false });
      }),
    );

    it(
      'deactivates a member out of every group, and reactivates without the groups',
      withSubject(async ({ connector, seedMember, seedGroup }) => {
        const ada = await seedMember({ email: 'ada@example.com', name: 'Ada Lovelace' });
        if (!connector.capabilities.has('deactivateMember')) {
          await expectMissing(connector, 'deactivateMember', () => connector.deactivateMember(ada));
          await expectMissing(connector, 'reactivateMember', () => connector.reactivateMember(ada));
          return;
        }
        const eng = await seedGroup('Engineering');
        await connector.grant(eng, ada);

        await connector.deactivateMember(ada);
        await connector.deactivateMember(ada);
        let member = (await readAll((page) => connector.readMembers(page))).find((m) => m.id === ada);
        expect(member?.state).toBe('deactivated');
        expect(await grantsOf(connector, eng)).toEqual([]);
        await expect(connector.grant(eng, ada)).rejects.toBeInstanceOf(WorkspaceRejectedError);

        if (!connector.capabilities.has('reactivateMember')) {
          await expectMissing(connector, 'reactivateMember', () => connector.reactivateMember(ada));
          return;
        }
        await connector.reactivateMember(ada);
        member = (await readAll((page) => connector.readMembers(page))).find((m) => m.id === ada);
        expect(member?.state).toBe('active');
        expect(await grantsOf(connector, eng)).toEqual([]);
      }),
    );

    it(
      'deletes a member; deleting an absent member is a no-op',
      withSubject(async ({ connector, seedMember, seedGroup, removedMembersStayListed }) => {
        const ada = await seedMember({ email: 'ada@example.com', name: 'Ada Lovelace' });
        if (!connector.capabilities.has('deleteMember')) {
          await expectMissing(connector, 'deleteMember', () => connector.deleteMember(ada));
          return;
        }
        const eng = await seedGroup('Engineering');
        await connector.grant(eng, ada);
        await connector.deleteMember(ada);
        await connector.deleteMember(ada);
        const members = await readAll((page) => connector.readMembers(page));
        if (removedMembersStayListed) {
          expect(members.map((member) => [member.id, member.state])).toEqual([[ada, 'deactivated']]);
        } else {
          expect(members).toEqual([]);
        }
        expect(await grantsOf(connector, eng)).toEqual([]);
      }),
    );

    it(
      'reads the sign-in settings',
      withSubject(async ({ connector }) => {
        if (!connector.capabilities.has('readSignIn')) {
          await expectMissing(connector, 'readSignIn', () => connector.readSignIn());
          return;
        }
        const settings = await connector.readSignIn();
        for (const method of ['password', 'google', 'slack', 'office365', 'saml'] as const) {
          expect(typeof settings[method]).toBe('boolean');
        }
        expect(Array.isArray(settings.samlProviders)).toBe(true);
      }),
    );

    it(
      'marks linked members and groups as managed',
      withSubject(async ({ connector, seedMember, seedGroup }) => {
        const ada = await seedMember({ email: 'ada@example.com', name: 'Ada Lovelace' });
        const eng = await seedGroup('Engineering');
        if (!connector.capabilities.has('markManaged')) {
          await expectMissing(connector, 'markManaged', () => connector.markMemberManaged(ada, true));
          await expectMissing(connector, 'markManaged', () => connector.markGroupManaged(eng, true));
          return;
        }
        await connector.markMemberManaged(ada, true);
        await connector.markGroupManaged(eng, true);
        const member = (await readAll((page) => connector.readMembers(page))).find((m) => m.id === ada);
        expect(member?.managedByScim).toBe(true);
        expect((await groups(connector)).find((group) => group.id === eng)?.managed).toBe(true);
      }),
    );
  });
}
