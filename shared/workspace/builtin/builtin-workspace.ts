/**
 * The built-in workspace: a complete workspace (members, groups, grants, the admin role, sign-in
 * settings, the `Everyone` group) kept in the Roster table. It is the default adapter and the
 * reference behaviour of the connector port. Its port calls may change SCIM-managed objects; the
 * admin API (`admin.ts`) is what refuses that for people.
 */
import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../store/client';
import { GSI2 } from '../../store/table';
import { CAPABILITIES } from '../capability';
import type { Capability } from '../capability';
import type { Entitlement, GroupEntitlement, Grant } from '../entitlement';
import type { MemberProfile, MemberState, NewMember, ProvisionResult, WorkspaceMember } from '../member';
import type { Page } from '../page';
import type { WorkspaceConnector } from '../port';
import { enabledSignInMethods } from '../sign-in';
import type { SignInSettings } from '../sign-in';
import { WorkspaceRejectedError } from '../workspace-error';
import { EVERYONE_ID, EVERYONE_NAME, keys } from './keys';
import { decodePageToken, encodePageToken } from './page-token';

export type WorkspaceGroup = GroupEntitlement;

interface MemberItem {
  id: string;
  email: string;
  name: string;
  admin: boolean;
  state: MemberState;
  managedByScim: boolean;
}

interface GroupItem {
  id: string;
  name: string;
  managed: boolean;
}

const PAGE_SIZE = 1000;
/** Grants per readGrants page; why a Limit at all is said where it is used. */
const GRANTS_PAGE_LIMIT = 5000;
/** (100 items per transaction − the group's check) / (a member's check + its grant). */
const GRANTS_PER_TRANSACTION = 49;

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

function isConditionFailure(error: unknown, index?: number): boolean {
  if (error instanceof TransactionCanceledException) {
    const reasons = error.CancellationReasons ?? [];
    return index === undefined
      ? reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')
      : reasons[index]?.Code === 'ConditionalCheckFailed';
  }
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function notFound(kind: 'member' | 'group', id: string): WorkspaceRejectedError {
  return new WorkspaceRejectedError(`${kind} ${id} not found`, 404, 'not_found');
}

function everyoneIsReadOnly(): WorkspaceRejectedError {
  return new WorkspaceRejectedError(
    'the Everyone group belongs to the workspace: it cannot be renamed, deleted, granted or revoked',
    400,
    'everyone_read_only',
  );
}

function toMember(item: Record<string, unknown>): WorkspaceMember {
  const member = item as unknown as MemberItem;
  return {
    id: member.id,
    email: member.email,
    name: member.name,
    admin: member.admin,
    state: member.state,
    managedByScim: member.managedByScim,
  };
}

function toGroup(item: Record<string, unknown>): WorkspaceGroup {
  const group = item as unknown as GroupItem;
  return { kind: 'group', id: group.id, name: group.name, managed: group.managed, everyone: false };
}

export const EVERYONE_GROUP: WorkspaceGroup = {
  kind: 'group',
  id: EVERYONE_ID,
  name: EVERYONE_NAME,
  managed: false,
  everyone: true,
};

export class BuiltinWorkspace implements WorkspaceConnector {
  readonly capabilities: ReadonlySet<Capability> = new Set(CAPABILITIES);

  constructor(
    private readonly db: Db,
    readonly workspaceId: string,
  ) {}

  // Reads

  async readMembers(page?: string): Promise<Page<WorkspaceMember>> {
    const out = await this.query(keys.membersPk(this.workspaceId), page);
    return { items: out.items.map(toMember), next: out.next };
  }

  async getMember(memberId: string): Promise<WorkspaceMember | undefined> {
    const item = await this.itemAt(keys.member(this.workspaceId, memberId));
    return item ? toMember(item) : undefined;
  }

  async findMemberByEmail(email: string): Promise<WorkspaceMember | undefined> {
    const guard = await this.itemAt(keys.emailGuard(this.workspaceId, email));
    const memberId = guard?.memberId as string | undefined;
    return memberId === undefined ? undefined : this.getMember(memberId);
  }

  async readEntitlements(page?: string): Promise<Page<Entitlement>> {
    const out = await this.query(keys.groupsPk(this.workspaceId), page);
    const groups: Entitlement[] = out.items.map(toGroup);
    const first: Entitlement[] =
      page === undefined ? [{ kind: 'role', id: 'admin', name: 'admin' }, EVERYONE_GROUP] : [];
    return { items: [...first, ...groups], next: out.next };
  }

  async getGroup(groupId: string): Promise<WorkspaceGroup | undefined> {
    if (groupId === EVERYONE_ID) return EVERYONE_GROUP;
    const item = await this.itemAt(keys.group(this.workspaceId, groupId));
    return item ? toGroup(item) : undefined;
  }

  async findGroupByName(name: string): Promise<WorkspaceGroup | undefined> {
    const guard = await this.itemAt(keys.groupNameGuard(this.workspaceId, name));
    const groupId = guard?.groupId as string | undefined;
    return groupId === undefined ? undefined : this.getGroup(groupId);
  }

  async readGrants(page?: string): Promise<Page<Grant>> {
    // An explicit Limit rather than 1 MB pages: on DynamoDB Local, reading the one grants partition
    // in 1 MB pages grew superlinearly (10x the grants took 38x as long); in 5,000-item pages it
    // grew 7x (`npm run bench -- --only sync --scale 0.3`, 15,000 vs 150,000 grants: 0.45 -> 16.97 s
    // without, 0.47 -> 3.30 s with). Why DynamoDB Local pays for big pages is not known; on DynamoDB
    // the Limit only adds round trips (about 100 instead of 70 for 500,000 grants).
    const out = await this.query(keys.grantsPk(this.workspaceId), page, {
      limit: GRANTS_PAGE_LIMIT,
      projection: 'groupId, memberId',
    });
    return {
      items: out.items.map((item) => ({
        groupId: item.groupId as string,
        memberId: item.memberId as string,
      })),
      next: out.next,
    };
  }

  /** The members of one group, paged; for Everyone, the active members. */
  async readGroupMembers(groupId: string, page?: string): Promise<Page<string>> {
    if (groupId === EVERYONE_ID) {
      const members = await this.readMembers(page);
      return {
        items: members.items.filter((member) => member.state === 'active').map((member) => member.id),
        next: members.next,
      };
    }
    const out = await this.query(keys.grantsPk(this.workspaceId), page, { beginsWith: `${groupId}#` });
    return { items: out.items.map((item) => item.memberId as string), next: out.next };
  }

  async readSignIn(): Promise<SignInSettings> {
    const signIn = (await this.itemAt(keys.meta(this.workspaceId)))?.signIn as SignInSettings | undefined;
    if (!signIn)
      throw new WorkspaceRejectedError(`workspace ${this.workspaceId} not found`, 404, 'not_found');
    return signIn;
  }

  // Members

  async provisionMember(member: NewMember): Promise<ProvisionResult> {
    const result = await this.insertMember(member, false);
    return result;
  }

  /** Creates the member; `exists` (nothing written) when the email is taken case-insensitively. */
  async insertMember(member: NewMember, managedByScim: boolean): Promise<ProvisionResult> {
    const id = `m-${randomUUID()}`;
    const item: MemberItem = {
      id,
      email: member.email,
      name: member.name,
      admin: member.admin,
      state: 'active',
      managedByScim,
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
    if (profile.name !== undefined) {
      sets.push('#name = :name');
      values[':name'] = profile.name;
    }
    if (profile.admin !== undefined) {
      sets.push('admin = :admin');
      values[':admin'] = profile.admin;
    }
    if (sets.length === 0) {
      // changeEmail has already found the member (or refused a missing one).
      if (profile.email === undefined && !(await this.getMember(memberId)))
        throw notFound('member', memberId);
      return;
    }
    const names = profile.name !== undefined ? { '#name': 'name' } : undefined;
    await this.updateExisting('member', memberId, `SET ${sets.join(', ')}`, values, names);
  }

  /**
   * Moves the member to a new email: the email guard moves with it in one transaction, so two
   * accounts never share an email, and a taken email changes nothing (409 `email_taken`).
   */
  private async changeEmail(memberId: string, email: string): Promise<void> {
    const member = await this.getMember(memberId);
    if (!member) throw notFound('member', memberId);
    if (member.email === email) return;
    const sameGuard = member.email.toLowerCase() === email.toLowerCase();
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.db.table,
          Key: keys.member(this.workspaceId, memberId),
          UpdateExpression: 'SET email = :email',
          ConditionExpression: 'attribute_exists(pk) AND email = :old',
          ExpressionAttributeValues: { ':email': email, ':old': member.email },
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
      if (isConditionFailure(error)) {
        throw new WorkspaceRejectedError(`member ${memberId} changed concurrently`, 409, 'conflict');
      }
      throw error;
    }
  }

  async deactivateMember(memberId: string): Promise<void> {
    await this.updateExisting(
      'member',
      memberId,
      'SET #state = :state',
      { ':state': 'deactivated' },
      {
        '#state': 'state',
      },
    );
    // Grants are written on the condition that the member is active, so none can be added after
    // the update above; the remaining ones are removed here.
    await this.dropGrantsOfMember(memberId);
  }

  async reactivateMember(memberId: string): Promise<void> {
    await this.updateExisting(
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
    await this.db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.db.table, Key: keys.member(this.workspaceId, memberId) } },
          {
            Delete: {
              TableName: this.db.table,
              Key: keys.emailGuard(this.workspaceId, member.email),
              ConditionExpression: 'memberId = :id',
              ExpressionAttributeValues: { ':id': memberId },
            },
          },
        ],
      }),
    );
    await this.dropGrantsOfMember(memberId);
  }

  async markMemberManaged(memberId: string, managed: boolean): Promise<void> {
    await this.updateExisting('member', memberId, 'SET managedByScim = :managed', { ':managed': managed });
  }

  // Groups

  async createGroup(name: string): Promise<{ kind: 'created' | 'exists'; groupId: string }> {
    return this.insertGroup(name, false);
  }

  async insertGroup(
    name: string,
    managed: boolean,
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
    if (group.name === name) return;
    const sameGuard = group.name.toLowerCase() === name.toLowerCase();
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.db.table,
          Key: keys.group(this.workspaceId, groupId),
          UpdateExpression: 'SET #name = :name',
          ConditionExpression: 'attribute_exists(pk) AND #name = :old',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: { ':name': name, ':old': group.name },
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
      if (isConditionFailure(error, 0)) {
        throw new WorkspaceRejectedError(`group ${groupId} changed concurrently`, 409, 'conflict');
      }
      throw error;
    }
  }

  async deleteGroup(groupId: string): Promise<void> {
    if (groupId === EVERYONE_ID) throw everyoneIsReadOnly();
    const group = await this.getGroup(groupId);
    if (!group) return;
    await this.db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.db.table, Key: keys.group(this.workspaceId, groupId) } },
          {
            Delete: {
              TableName: this.db.table,
              Key: keys.groupNameGuard(this.workspaceId, group.name),
              ConditionExpression: 'groupId = :id',
              ExpressionAttributeValues: { ':id': groupId },
            },
          },
        ],
      }),
    );
    // Grants are written on the condition that the group exists, so none can be added now.
    let page: string | undefined;
    do {
      const members = await this.readGroupMembers(groupId, page);
      await this.deleteGrantItems(members.items.map((memberId) => ({ groupId, memberId })));
      page = members.next;
    } while (page !== undefined);
  }

  async markGroupManaged(groupId: string, managed: boolean): Promise<void> {
    if (groupId === EVERYONE_ID) throw everyoneIsReadOnly();
    await this.updateExisting('group', groupId, 'SET managed = :managed', { ':managed': managed });
  }

  // Grants

  async grant(groupId: string, memberId: string): Promise<void> {
    if (groupId === EVERYONE_ID) throw everyoneIsReadOnly();
    try {
      await this.db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            this.groupExists(groupId),
            this.memberActive(memberId),
            this.grantPut(groupId, memberId),
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error, 0)) throw notFound('group', groupId);
      if (isConditionFailure(error, 1)) throw await this.cannotJoin(memberId);
      throw error;
    }
  }

  async revoke(groupId: string, memberId: string): Promise<void> {
    if (groupId === EVERYONE_ID) throw everyoneIsReadOnly();
    await this.deleteGrantItems([{ groupId, memberId }]);
  }

  /**
   * One transaction per 49 members (the group's check, then each member's check and grant: 99 of
   * the 100 items a transaction may hold) instead of one per member. The grant Put has no condition,
   * so granting an existing grant rewrites the same item: a no-op, as `grant` is.
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
              this.groupExists(groupId),
              ...chunk.flatMap((memberId) => [this.memberActive(memberId), this.grantPut(groupId, memberId)]),
            ],
          }),
        );
      } catch (error) {
        if (isConditionFailure(error, 0)) throw notFound('group', groupId);
        const failed = chunk.find((_, index) => isConditionFailure(error, 1 + 2 * index));
        if (failed !== undefined) throw await this.cannotJoin(failed);
        throw error;
      }
    }
  }

  /** BatchWriteItem deletes, 25 per call; deleting an absent grant is a no-op, as `revoke` is. */
  async revokeMembers(groupId: string, memberIds: readonly string[]): Promise<void> {
    if (groupId === EVERYONE_ID) throw everyoneIsReadOnly();
    await this.deleteGrantItems([...new Set(memberIds)].map((memberId) => ({ groupId, memberId })));
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

  // Helpers

  private groupExists(groupId: string): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.db.table,
        Key: keys.group(this.workspaceId, groupId),
        ConditionExpression: 'attribute_exists(pk)',
      },
    };
  }

  /** Grants are written on this condition, so none can be added to a deactivated member. */
  private memberActive(memberId: string): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.db.table,
        Key: keys.member(this.workspaceId, memberId),
        ConditionExpression: 'attribute_exists(pk) AND #state = :active',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':active': 'active' },
      },
    };
  }

  private grantPut(groupId: string, memberId: string): TransactItem {
    return {
      Put: {
        TableName: this.db.table,
        Item: {
          ...keys.grant(this.workspaceId, groupId, memberId),
          groupId,
          memberId,
          [GSI2.pk]: keys.grantsOfMember(this.workspaceId, memberId),
          [GSI2.sk]: groupId,
        },
      },
    };
  }

  /** Why a member's check failed: it is absent, or deactivated. */
  private async cannotJoin(memberId: string): Promise<WorkspaceRejectedError> {
    const member = await this.getMember(memberId);
    if (!member) return notFound('member', memberId);
    return new WorkspaceRejectedError(
      `member ${memberId} is deactivated and cannot join groups`,
      409,
      'member_inactive',
    );
  }

  private async query(
    pk: string,
    page: string | undefined,
    options: { limit?: number; projection?: string; beginsWith?: string } = { limit: PAGE_SIZE },
  ): Promise<{ items: Record<string, unknown>[]; next?: string }> {
    const limit = 'limit' in options ? options.limit : PAGE_SIZE;
    const out = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.table,
        KeyConditionExpression: options.beginsWith ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
        ExpressionAttributeValues: options.beginsWith
          ? { ':pk': pk, ':prefix': options.beginsWith }
          : { ':pk': pk },
        ProjectionExpression: options.projection,
        ExclusiveStartKey: decodePageToken(page),
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return { items: out.Items ?? [], next: encodePageToken(out.LastEvaluatedKey) };
  }

  /** One item, strongly consistent: members, groups and their guards are read right after writes. */
  private async itemAt(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const out = await this.db.doc.send(
      new GetCommand({ TableName: this.db.table, Key: key, ConsistentRead: true }),
    );
    return out.Item;
  }

  private async updateExisting(
    kind: 'member' | 'group',
    id: string,
    expression: string,
    values: Record<string, unknown>,
    names?: Record<string, string>,
  ): Promise<void> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: kind === 'member' ? keys.member(this.workspaceId, id) : keys.group(this.workspaceId, id),
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: values,
          ExpressionAttributeNames: names,
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw notFound(kind, id);
      throw error;
    }
  }

  private async dropGrantsOfMember(memberId: string): Promise<void> {
    let start: Record<string, unknown> | undefined;
    do {
      // gsi2 is eventually consistent; a grant written just before the member was deactivated or
      // deleted can be missed here, and the full sync's drift repair revokes it.
      const out = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.table,
          IndexName: GSI2.name,
          KeyConditionExpression: `${GSI2.pk} = :pk`,
          ExpressionAttributeValues: { ':pk': keys.grantsOfMember(this.workspaceId, memberId) },
          ExclusiveStartKey: start,
        }),
      );
      await this.deleteGrantItems(
        (out.Items ?? []).map((item) => ({ groupId: item.groupId as string, memberId })),
      );
      start = out.LastEvaluatedKey;
    } while (start);
  }

  private async deleteGrantItems(grants: Grant[]): Promise<void> {
    for (let i = 0; i < grants.length; i += 25) {
      let requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']> = {
        [this.db.table]: grants.slice(i, i + 25).map((grant) => ({
          DeleteRequest: { Key: keys.grant(this.workspaceId, grant.groupId, grant.memberId) },
        })),
      };
      for (let attempt = 0; Object.keys(requests).length > 0; attempt++) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        const out = await this.db.doc.send(new BatchWriteCommand({ RequestItems: requests }));
        requests = out.UnprocessedItems ?? {};
      }
    }
  }
}
