/**
 * The write primitives of the built-in workspace that carry ownership: every write of a bound
 * instance (`as(connectionId)`) is conditioned on the object being that connection's, in the same
 * DynamoDB write, and a refused write is explained (gone, another connection's, unowned, a race).
 * Also the removal of a member's grants, which deactivation and deletion share.
 */
import { QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchDelete, UnprocessedWritesError } from '../../store/batch';
import type { Grant } from '../entitlement';
import type { WorkspaceMember } from '../member';
import { WorkspaceRejectedError, WorkspaceUnavailableError } from '../workspace-error';
import { keys } from './keys';
import { isConditionFailure, notFound, ownedByOther } from './builtin-errors';
import { BuiltinReads } from './builtin-reads';
import { expressionMaps, ownerCondition } from './write-conditions';

/** BatchWriteItem calls for one chunk of grant deletes before the removal fails (about 4 s of backoff). */
const UNPROCESSED_ATTEMPTS = 8;

export class OwnedWrites extends BuiltinReads {
  protected mayWrite(owner: string | undefined): boolean {
    return this.actor === undefined || owner === this.actor;
  }

  /** After a refused write: gone (404), another connection's (409), unowned (409), or a race. */
  protected async whyNotWritable(
    kind: 'member' | 'group',
    id: string,
    verb: string,
  ): Promise<WorkspaceRejectedError> {
    const current = kind === 'member' ? await this.getMember(id) : await this.getGroup(id);
    if (!current) return notFound(kind, id);
    if (!this.mayWrite(current.owner)) {
      if (current.owner !== undefined) return ownedByOther(kind, id);
      return new WorkspaceRejectedError(
        `${kind} ${id} is not managed by this connection: link it before it can be ${verb}`,
        409,
        'not_owned',
      );
    }
    return new WorkspaceRejectedError(`${kind} ${id} changed concurrently`, 409, 'conflict');
  }

  protected async ownedMember(memberId: string): Promise<WorkspaceMember> {
    const member = await this.getMember(memberId);
    if (!member) throw notFound('member', memberId);
    if (!this.mayWrite(member.owner)) throw await this.whyNotWritable('member', memberId, 'changed');
    return member;
  }

  /** The claim or release behind markMemberManaged and markGroupManaged. */
  protected async mark(kind: 'member' | 'group', id: string, managed: boolean): Promise<void> {
    const flag = kind === 'member' ? 'managedByScim' : 'managed';
    const key = kind === 'member' ? keys.member(this.workspaceId, id) : keys.group(this.workspaceId, id);
    const actor = this.actor;
    let update: string;
    let condition: string;
    const names: Record<string, string> = { '#flag': flag };
    const values: Record<string, unknown> = { ':managed': managed };
    if (actor === undefined) {
      update = 'SET #flag = :managed';
      condition = 'attribute_exists(pk)';
    } else if (managed) {
      update = 'SET #flag = :managed, #owner = :actor';
      condition = 'attribute_exists(pk) AND (attribute_not_exists(#owner) OR #owner = :actor)';
      names['#owner'] = 'owner';
      values[':actor'] = actor;
    } else {
      update = 'SET #flag = :managed REMOVE #owner';
      condition = 'attribute_exists(pk) AND #owner = :actor';
      names['#owner'] = 'owner';
      values[':actor'] = actor;
    }
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: key,
          UpdateExpression: update,
          ConditionExpression: condition,
          ...expressionMaps(names, values),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = kind === 'member' ? await this.getMember(id) : await this.getGroup(id);
      if (!current) throw notFound(kind, id);
      // Releasing what this connection does not own changes nothing, as releasing twice would.
      if (!managed && current.owner === undefined) return;
      throw ownedByOther(kind, id);
    }
  }

  /** Why a member's check failed: it is absent, deactivated, or not this connection's. */
  protected async cannotJoin(memberId: string): Promise<WorkspaceRejectedError> {
    const member = await this.getMember(memberId);
    if (!member) return notFound('member', memberId);
    if (!this.mayWrite(member.owner)) return this.whyNotWritable('member', memberId, 'granted a group');
    return new WorkspaceRejectedError(
      `member ${memberId} is deactivated and cannot join groups`,
      409,
      'member_inactive',
    );
  }

  /**
   * Deletes a member or group this connection owns together with its unique-value guard (the guard
   * only if it still points at the object). Deleted concurrently is done; owned by another, refused.
   */
  protected async deleteWithGuard(
    kind: 'member' | 'group',
    id: string,
    key: { pk: string; sk: string },
    guard: { pk: string; sk: string },
    guardAttribute: 'memberId' | 'groupId',
  ): Promise<void> {
    const owned = ownerCondition(this.actor);
    try {
      await this.db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.db.table,
                Key: key,
                ConditionExpression: `attribute_exists(pk) AND ${owned.expression}`,
                ...expressionMaps(owned.names, owned.values),
              },
            },
            {
              Delete: {
                TableName: this.db.table,
                Key: guard,
                ConditionExpression: `${guardAttribute} = :id`,
                ExpressionAttributeValues: { ':id': id },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = kind === 'member' ? await this.getMember(id) : await this.getGroup(id);
      if (current) throw await this.whyNotWritable(kind, id, 'changed');
    }
  }

  /** An update of an existing object this connection owns. */
  protected async updateOwned(
    kind: 'member' | 'group',
    id: string,
    expression: string,
    values: Record<string, unknown>,
    names: Record<string, string> = {},
  ): Promise<void> {
    const owned = ownerCondition(this.actor);
    const allNames = { ...names, ...owned.names };
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: kind === 'member' ? keys.member(this.workspaceId, id) : keys.group(this.workspaceId, id),
          UpdateExpression: expression,
          ConditionExpression: `attribute_exists(pk) AND ${owned.expression}`,
          ...expressionMaps(allNames, { ...values, ...owned.values }),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw await this.whyNotWritable(kind, id, 'changed');
      throw error;
    }
  }

  /**
   * Every grant of a member, from the reverse items in the base table, read strongly consistent:
   * called after the member was deactivated or deleted, when no new grant can commit, it finds
   * every grant there is.
   */
  protected async dropGrantsOfMember(memberId: string): Promise<void> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.memberGrantsPk(this.workspaceId, memberId) },
          ProjectionExpression: 'groupId',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      await this.deleteGrantItems(
        (out.Items ?? []).map((item) => ({ groupId: item.groupId as string, memberId })),
      );
      start = out.LastEvaluatedKey;
    } while (start);
  }

  /**
   * BatchWriteItem deletes of grants and their reverse items, 25 items per call. Until the workspace
   * is migrated, the grants' old-layout keys are deleted first, in calls of their own: BatchWriteItem
   * is not atomic, so a migration moving a grant between the delete of its new key and that of its
   * old one would leave the moved item behind; once the old key is gone, no move can happen (it is
   * conditioned on the old item), and a move before it is undone by the deletes that follow.
   * Bounded: a table that keeps leaving them unprocessed fails the removal (an access incident,
   * retried) instead of retrying until the function times out.
   */
  protected async deleteGrantItems(grants: Grant[]): Promise<void> {
    if (grants.length === 0) return;
    const ws = this.workspaceId;
    if ((await this.grantsLayout()) === 1)
      await this.deleteBounded(grants.map((grant) => keys.legacyGrant(ws, grant.groupId, grant.memberId)));
    await this.deleteBounded(
      grants.flatMap((grant) => [
        keys.grant(ws, grant.groupId, grant.memberId),
        keys.memberGrant(ws, grant.memberId, grant.groupId),
      ]),
    );
  }

  private async deleteBounded(itemKeys: { pk: string; sk: string }[]): Promise<void> {
    try {
      await batchDelete(this.db, itemKeys, { maxAttempts: UNPROCESSED_ATTEMPTS });
    } catch (error) {
      if (error instanceof UnprocessedWritesError)
        throw new WorkspaceUnavailableError('grant removals left unprocessed by the table', undefined, {
          cause: error,
        });
      throw error;
    }
  }
}
