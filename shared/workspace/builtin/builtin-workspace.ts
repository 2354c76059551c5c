/**
 * The built-in workspace: a complete workspace (members, groups, grants, the admin role, sign-in
 * settings, the `Everyone` group) kept in the Roster table. It is the default adapter and the
 * reference behaviour of the connector port.
 *
 * Ownership: every member and group records the connection that owns it (`owner`, set when a
 * connection provisions, creates or claims it). A workspace bound to a connection (`as(id)`, what
 * `connectorFor` hands the rules and the sync) conditions every write on that ownership in the
 * same DynamoDB write, so a connection can never change, deactivate, delete, grant on or revoke
 * from what another owns, whatever the interleaving; claiming takes only unowned objects. An
 * unbound instance is the workspace itself (bootstrap, drift in tests); the admin API
 * (`builtin-workspace-admin.ts`) is what refuses owned objects to people.
 */
import { randomUUID } from 'node:crypto';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CAPABILITIES } from '../capability';
import type { Capability } from '../capability';
import type { MemberProfile, NewMember, ProvisionResult } from '../member';
import type { WorkspaceConnector } from '../port';
import { enabledSignInMethods } from '../sign-in';
import type { SignInSettings } from '../sign-in';
import { WorkspaceRejectedError } from '../workspace-error';
import type { GrantsLayout } from './grants-layout';
import { migrateGrants } from './grants-migration';
import type { GrantsMigrationOptions, GrantsMigrationResult } from './grants-migration';
import { EVERYONE_ID, EVERYONE_NAME, keys } from './keys';
import { everyoneIsReadOnly, isConditionFailure, notFound } from './builtin-errors';
import type { MemberItem } from './builtin-items';
import { OwnedWrites } from './owned-writes';
import {
  expressionMaps,
  grantDeletes,
  grantPuts,
  groupWritable,
  memberActive,
  ownerCondition,
} from './write-conditions';
import type { TransactItem } from './write-conditions';

/** (100 items per transaction − the group's check) / (a member's check + its grant + its reverse item). */
const GRANTS_PER_TRANSACTION = 33;
/**
 * 100 items per transaction − the group's check, over a grant and its reverse item (49), and also
 * its old-layout key until the workspace is migrated (33).
 */
const REVOKES_PER_TRANSACTION: Record<GrantsLayout, number> = { 1: 33, 2: 49 };

/**
 * The connector port's operations on the built-in workspace; reads in builtin-reads.ts, the
 * ownership-conditioned write primitives in owned-writes.ts.
 */
export class BuiltinWorkspace extends OwnedWrites implements WorkspaceConnector {
  /** Every capability but `readPermissions`: the built-in workspace has no resource permissions. */
  readonly capabilities: ReadonlySet<Capability> = new Set(
    CAPABILITIES.filter((capability) => capability !== 'readPermissions'),
  );

  /** The same workspace, acting for one connection: every write checks that connection's ownership. */
  as(connectionId: string): BuiltinWorkspace {
    return new BuiltinWorkspace(this.db, this.workspaceId, connectionId);
  }

  // Members

  /** A bound workspace provisions the account owned by its connection, in the same write. */
  async provisionMember(member: NewMember): Promise<ProvisionResult> {
    return this.insertMember(member, this.actor !== undefined, this.actor);
  }

  /** Creates the member; `exists` (nothing written) when the email is taken case-insensitively. */
  async insertMember(member: NewMember, managedByScim: boolean, owner?: string): Promise<ProvisionResult> {
    const id = `m-${randomUUID()}`;
    const item: MemberItem = {
      id,
      email: member.email,
      name: member.name,
      admin: member.admin,
      state: 'active',
      managedByScim,
      ...(owner !== undefined ? { owner } : {}),
    };
    try {
      await this.db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.db.table,
                Item: { ...keys.emailGuard(this.workspaceId, member.email), memberId: id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.db.table,
                Item: { ...keys.member(this.workspaceId, id), ...item, createdAt: new Date().toISOString() },
              },
            },
          ],
        }),
      );
      return { kind: 'created', memberId: id };
    } catch (error) {
      if (!isConditionFailure(error, 0)) throw error;
      const existing = await this.findMemberByEmail(member.email);
      if (!existing) throw error;
      return { kind: 'exists', memberId: existing.id };
    }
  }

  async updateMember(memberId: string, profile: MemberProfile): Promise<void> {
    if (profile.email !== undefined) await this.changeEmail(memberId, profile.email);
    const sets: string[] = [];
    const values: Record<string, unknown> = {};
    const names: Record<string, string> = {};
    if (profile.name !== undefined) {
      sets.push('#name = :name');
      values[':name'] = profile.name;
      names['#name'] = 'name';
    }
    if (profile.admin !== undefined) {
      sets.push('admin = :admin');
      values[':admin'] = profile.admin;
    }
    if (sets.length === 0) {
      // changeEmail has already found the member (or refused a missing one).
      if (profile.email === undefined) await this.ownedMember(memberId);
      return;
    }
    await this.updateOwned('member', memberId, `SET ${sets.join(', ')}`, values, names);
  }

  /**
   * Moves the member to a new email: the email guard moves with it in one transaction, so two
   * accounts never share an email, and a taken email changes nothing (409 `email_taken`).
   */
  private async changeEmail(memberId: string, email: string): Promise<void> {
    const member = await this.ownedMember(memberId);
    if (member.email === email) return;
    const sameGuard = member.email.toLowerCase() === email.toLowerCase();
    const owned = ownerCondition(this.actor);
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.db.table,
          Key: keys.member(this.workspaceId, memberId),
          UpdateExpression: 'SET email = :email',
          ConditionExpression: `attribute_exists(pk) AND email = :old AND ${owned.expression}`,
          ...expressionMaps(owned.names, { ':email': email, ':old': member.email, ...owned.values }),
        },
      },
    ];
    if (!sameGuard) {
      items.push(
        {
          Put: {
            TableName: this.db.table,
            Item: { ...keys.emailGuard(this.workspaceId, email), memberId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Delete: {
            TableName: this.db.table,
            Key: keys.emailGuard(this.workspaceId, member.email),
            ConditionExpression: 'memberId = :id',
            ExpressionAttributeValues: { ':id': memberId },
          },
        },
      );
    }
    try {
      await this.db.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (isConditionFailure(error, 1)) {
        throw new WorkspaceRejectedError(
          // No email in the message: it is logged and kept in the apply state.
          'another workspace account already has the new email; remove that account or change its email first',
          409,
          'email_taken',
        );
      }
      if (isConditionFailure(error, 0)) throw await this.whyNotWritable('member', memberId, 'changed');
      if (isConditionFailure(error)) {
        throw new WorkspaceRejectedError(`member ${memberId} changed concurrently`, 409, 'conflict');
      }
      throw error;
    }
  }

  async deactivateMember(memberId: string): Promise<void> {
    await this.updateOwned(
      'member',
      memberId,
      'SET #state = :state',
      { ':state': 'deactivated' },
      {
        '#state': 'state',
      },
    );
    // Grants are written on the condition that the member is active, so none can be added after
    // the update above; the reverse items read here (strongly consistent) name every grant that
    // was committed before it.
    await this.dropGrantsOfMember(memberId);
  }

  async reactivateMember(memberId: string): Promise<void> {
    await this.updateOwned(
      'member',
      memberId,
      'SET #state = :state',
      { ':state': 'active' },
      {
        '#state': 'state',
      },
    );
  }

  async deleteMember(memberId: string): Promise<void> {
    const member = await this.getMember(memberId);
    if (!member) return;
    await this.deleteWithGuard(
      'member',
      memberId,
      keys.member(this.workspaceId, memberId),
      keys.emailGuard(this.workspaceId, member.email),
      'memberId',
    );
    // No grant can be added once the member item is gone (grants check it exists and is active).
    await this.dropGrantsOfMember(memberId);
  }

  /**
   * Claims (`true`) or releases (`false`) the member for the bound connection. A claim takes only
   * an unowned member (or one this connection owns already); a release only this connection's.
   */
  async markMemberManaged(memberId: string, managed: boolean): Promise<void> {
    await this.mark('member', memberId, managed);
  }

  // Groups

  /** A bound workspace creates the group owned by its connection, in the same write. */
  async createGroup(name: string): Promise<{ kind: 'created' | 'exists'; groupId: string }> {
    return this.insertGroup(name, this.actor !== undefined, this.actor);
  }

  async insertGroup(
    name: string,
    managed: boolean,
    owner?: string,
  ): Promise<{ kind: 'created' | 'exists'; groupId: string }> {
    if (name.toLowerCase() === EVERYONE_NAME.toLowerCase()) throw everyoneIsReadOnly();
    const id = `g-${randomUUID()}`;
    try {
      await this.db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.db.table,
                Item: { ...keys.groupNameGuard(this.workspaceId, name), groupId: id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.db.table,
                Item: {
                  ...keys.group(this.workspaceId, id),
                  id,
                  name,
                  managed,
                  ...(owner !== undefined ? { owner } : {}),
                  createdAt: new Date().toISOString(),
                },
              },
            },
          ],
        }),
      );
      return { kind: 'created', groupId: id };
    } catch (error) {
      if (!isConditionFailure(error, 0)) throw error;
      const existing = await this.findGroupByName(name);
      if (!existing) throw error;
      return { kind: 'exists', groupId: existing.id };
    }
  }

  async renameGroup(groupId: string, name: string): Promise<void> {
    if (groupId === EVERYONE_ID || name.toLowerCase() === EVERYONE_NAME.toLowerCase())
      throw everyoneIsReadOnly();
    const group = await this.getGroup(groupId);
    if (!group) throw notFound('group', groupId);
    if (!this.mayWrite(group.owner)) throw await this.whyNotWritable('group', groupId, 'changed');
    if (group.name === name) return;
    const sameGuard = group.name.toLowerCase() === name.toLowerCase();
    const owned = ownerCondition(this.actor);
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.db.table,
          Key: keys.group(this.workspaceId, groupId),
          UpdateExpression: 'SET #name = :name',
          ConditionExpression: `attribute_exists(pk) AND #name = :old AND ${owned.expression}`,
          ExpressionAttributeNames: { '#name': 'name', ...owned.names },
          ExpressionAttributeValues: { ':name': name, ':old': group.name, ...owned.values },
        },
      },
    ];
    if (!sameGuard) {
      items.push(
        {
          Put: {
            TableName: this.db.table,
            Item: { ...keys.groupNameGuard(this.workspaceId, name), groupId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Delete: { TableName: this.db.table, Key: keys.groupNameGuard(this.workspaceId, group.name) } },
      );
    }
    try {
      await this.db.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (isConditionFailure(error, 1)) {
        throw new WorkspaceRejectedError(`a group named ${name} exists already`, 409, 'conflict');
      }
      if (isConditionFailure(error, 0)) throw await this.whyNotWritable('group', groupId, 'changed');
      throw error;
    }
  }

  async deleteGroup(groupId: string): Promise<void> {
    if (groupId === EVERYONE_ID) throw everyoneIsReadOnly();
    const group = await this.getGroup(groupId);
    if (!group) return;
    await this.deleteWithGuard(
      'group',
      groupId,
      keys.group(this.workspaceId, groupId),
      keys.groupNameGuard(this.workspaceId, group.name),
      'groupId',
    );
    // Grants are written on the condition that the group exists, so none can be added now.
    let page: string | undefined;
    do {
      const members = await this.readGroupMembers(groupId, page);
      await this.deleteGrantItems(members.items.map((memberId) => ({ groupId, memberId })));
      page = members.next;
    } while (page !== undefined);
  }

  /** Claims or releases the group for the bound connection, on the terms of markMemberManaged. */
  async markGroupManaged(groupId: string, managed: boolean): Promise<void> {
    if (groupId === EVERYONE_ID) throw everyoneIsReadOnly();
    await this.mark('group', groupId, managed);
  }

  // Grants

  async grant(groupId: string, memberId: string): Promise<void> {
    await this.grantMembers(groupId, [memberId]);
  }

  async revoke(groupId: string, memberId: string): Promise<void> {
    await this.revokeMembers(groupId, [memberId]);
  }

  /**
   * One transaction per 33 members: the group's check (it exists and is this connection's), then
   * each member's check (it exists, is active and is this connection's), its grant and the grant's
   * reverse item. The grant Puts have no condition, so granting an existing grant rewrites the same
   * items: a no-op, as `grant` is.
   */
  async grantMembers(groupId: string, memberIds: readonly string[]): Promise<void> {
    if (groupId === EVERYONE_ID) throw everyoneIsReadOnly();
    // A transaction may not touch one item twice.
    const unique = [...new Set(memberIds)];
    for (let i = 0; i < unique.length; i += GRANTS_PER_TRANSACTION) {
      const chunk = unique.slice(i, i + GRANTS_PER_TRANSACTION);
      try {
        await this.db.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              groupWritable(this.db.table, this.workspaceId, this.actor, groupId),
              ...chunk.flatMap((memberId) => [
                memberActive(this.db.table, this.workspaceId, this.actor, memberId),
                ...grantPuts(this.db.table, this.workspaceId, groupId, memberId),
              ]),
            ],
          }),
        );
      } catch (error) {
        if (isConditionFailure(error, 0)) throw await this.whyNotWritable('group', groupId, 'granted on');
        const failed = chunk.find((_, index) => isConditionFailure(error, 1 + 3 * index));
        if (failed !== undefined) throw await this.cannotJoin(failed);
        throw error;
      }
    }
  }

  /**
   * Transactions of 49 members (33 until the workspace is migrated), each the group's check (this
   * connection's) and the deletes of the grants, their reverse items and their old-layout keys;
   * deleting an absent grant is a no-op, as `revoke` is.
   */
  async revokeMembers(groupId: string, memberIds: readonly string[]): Promise<void> {
    if (groupId === EVERYONE_ID) throw everyoneIsReadOnly();
    const unique = [...new Set(memberIds)];
    if (unique.length === 0) return;
    const layout = await this.grantsLayout();
    const perTransaction = REVOKES_PER_TRANSACTION[layout];
    for (let i = 0; i < unique.length; i += perTransaction) {
      const chunk = unique.slice(i, i + perTransaction);
      try {
        await this.db.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              groupWritable(this.db.table, this.workspaceId, this.actor, groupId, { mayBeGone: true }),
              ...chunk.flatMap((memberId) =>
                grantDeletes(this.db.table, this.workspaceId, groupId, memberId, layout),
              ),
            ],
          }),
        );
      } catch (error) {
        if (isConditionFailure(error, 0)) throw await this.whyNotWritable('group', groupId, 'revoked from');
        throw error;
      }
    }
  }

  // Storage

  /**
   * Before a full sync reads the workspace: moves grants still in the old layout to their groups'
   * partitions, until `deadline` (grants-migration.ts). A migrated workspace answers at once.
   */
  async prepareForSync(deadline: number): Promise<Readonly<Record<string, number | boolean>>> {
    const result = await this.migrateGrants({ deadline });
    return { grantsMoved: result.moved, grantsGone: result.gone, grantsMigrated: result.complete };
  }

  /** The grants migration itself, also run by `roster workspace migrate-grants`. */
  migrateGrants(options: GrantsMigrationOptions = {}): Promise<GrantsMigrationResult> {
    return migrateGrants(this.db, this.workspaceId, options);
  }

  // Sign-in (admin only: the port reads it, people change it)

  /** Refuses to leave the workspace with no way to sign in. */
  async writeSignIn(settings: SignInSettings): Promise<void> {
    if (enabledSignInMethods(settings).length === 0) {
      throw new WorkspaceRejectedError(
        'refusing to disable the last enabled sign-in method: nobody could sign in',
        400,
        'last_sign_in_method',
      );
    }
    if (settings.saml && settings.samlProviders.length === 0) {
      throw new WorkspaceRejectedError('SAML sign-in needs at least one SAML provider', 400, 'invalid_value');
    }
    await this.db.doc.send(
      new UpdateCommand({
        TableName: this.db.table,
        Key: keys.meta(this.workspaceId),
        UpdateExpression: 'SET signIn = :signIn',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':signIn': settings },
      }),
    );
  }
}
