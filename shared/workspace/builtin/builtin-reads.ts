/**
 * The built-in workspace's reads (members, groups, grants, sign-in settings): strongly consistent
 * Queries and GetItems of its items, what the connector port reads and the writes check against.
 * The writes build on it (owned-writes.ts, builtin-workspace.ts).
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../store/client';
import type { Entitlement, Grant } from '../entitlement';
import type { WorkspaceMember } from '../member';
import type { Page } from '../page';
import type { SignInSettings } from '../sign-in';
import { WorkspaceRejectedError } from '../workspace-error';
import { EVERYONE_ID, keys } from './keys';
import { EVERYONE_GROUP, toGroup, toMember } from './builtin-items';
import type { WorkspaceGroup } from './builtin-items';
import { decodeMemberCursor, encodeMemberCursor } from './grants-cursor';
import { readGrantsLayout } from './grants-layout';
import type { GrantsLayout } from './grants-layout';
import { readGrantsPage } from './grants-walk';
import { readGroupSlice } from './group-grants-slice';
import { decodePageToken, encodePageToken } from './page-token';

const PAGE_SIZE = 1000;
/** Grants per readGrants page; why a Limit at all is said where it is used. */
const GRANTS_PAGE_LIMIT = 5000;

export class BuiltinReads {
  constructor(
    protected readonly db: Db,
    readonly workspaceId: string,
    /** The connection this instance acts for; absent for the workspace itself. */
    readonly actor?: string,
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
    // the Limit only adds round trips. The page walks the groups (grants-walk.ts): each group's
    // Query is given what is left of the Limit, and projects only the member id.
    return readGrantsPage(this.db, this.workspaceId, await this.grantsLayout(), page, GRANTS_PAGE_LIMIT);
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
    const after = decodeMemberCursor(page);
    const slice = await readGroupSlice(
      this.db,
      this.workspaceId,
      await this.grantsLayout(),
      groupId,
      after,
      PAGE_SIZE,
    );
    const last = slice.members.at(-1) ?? after;
    return {
      items: slice.members,
      next: slice.done || last === undefined ? undefined : encodeMemberCursor(last),
    };
  }

  /** Where this workspace's grants are (grants-layout.ts): what reads merge and removals delete. */
  protected grantsLayout(): Promise<GrantsLayout> {
    return readGrantsLayout(this.db, this.workspaceId);
  }

  async readSignIn(): Promise<SignInSettings> {
    const signIn = (await this.itemAt(keys.meta(this.workspaceId)))?.signIn as SignInSettings | undefined;
    if (!signIn)
      throw new WorkspaceRejectedError(`workspace ${this.workspaceId} not found`, 404, 'not_found');
    return signIn;
  }

  protected async query(
    pk: string,
    page: string | undefined,
  ): Promise<{ items: Record<string, unknown>[]; next?: string }> {
    const out = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: decodePageToken(page),
        Limit: PAGE_SIZE,
        ConsistentRead: true,
      }),
    );
    return { items: out.Items ?? [], next: encodePageToken(out.LastEvaluatedKey) };
  }

  /** One item, strongly consistent: members, groups and their guards are read right after writes. */
  protected async itemAt(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const out = await this.db.doc.send(
      new GetCommand({ TableName: this.db.table, Key: key, ConsistentRead: true }),
    );
    return out.Item;
  }
}
