/**
 * Users as `POST /Users` and the stream-fed apply leave them, written straight into the table with
 * parallel BatchWriteItems: for the tests that need a thousand users to exist, be active and be
 * linked, but measure what happens to groups, not how users get there. Creating them over SCIM
 * costs four transactions each (the create, the workspace member, the apply state), about 40 s for
 * 1,200 on the 2-core machine; this costs about 300 BatchWriteItems.
 *
 * The items are built with the stores' own builders and keys (as bench/seed does): per user the
 * user item (its primary email claimed), the userName guard, the email index item, the workspace
 * claim item and the link item, and on the built-in workspace the member (active, managed, owned
 * by the connection) with its email guard; the user counter grows by their number. Left out is
 * only the create's replay hash (`createdFrom`), which only a retried create reads.
 */
import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { writeAll } from '../../bench/seed/batch-writer';
import type { SeedItem } from '../../bench/seed/batch-writer';
import { counterItems, userRecord } from '../../bench/seed/link-state-seed';
import { memberItems } from '../../bench/seed/workspace-seed';
import { userClaim } from '../../shared/provisioning/workspace-claim';
import { claimKey } from '../../shared/store/claims';
import type { Db } from '../../shared/store/client';
import { guardKey } from '../../shared/store/guards';
import { keys } from '../../shared/store/keys';
import { userItem } from '../../shared/store/user-items';

export interface AppliedUser {
  id: string;
  memberId: string;
  email: string;
}

/** Seeds one user per email (lower-case); answers them in the order given. */
export async function seedAppliedUsers(
  db: Db,
  tenant: { connectionId: string; workspaceId: string },
  emails: readonly string[],
): Promise<AppliedUser[]> {
  const { connectionId, workspaceId } = tenant;
  const users = emails.map((email) => ({ id: randomUUID(), memberId: `m-${randomUUID()}`, email }));
  const items: SeedItem[] = [];
  for (const [index, user] of users.entries()) {
    const [givenName = 'Given', familyName = 'Family'] = user.email.split('@')[0]?.split('.') ?? [];
    const seed = { ...user, userName: user.email, givenName, familyName, admin: false };
    const base = userRecord(connectionId, seed, index);
    const claim = userClaim({ kind: 'builtin', workspaceId }, base.body, base.userName);
    if (!claim) throw new Error(`no primary email claim for ${user.email}`);
    const record = { ...base, claim };
    items.push(
      userItem(record),
      { ...guardKey(connectionId, 'userName', record.userName), id: user.id },
      ...record.emails.map((email) => ({ ...keys.email(connectionId, email, user.id), userId: user.id })),
      { ...claimKey(claim), connectionId, resourceId: user.id },
      { ...keys.link(connectionId, 'User', user.memberId), id: user.id },
      ...memberItems(workspaceId, {
        id: user.memberId,
        email: user.email,
        name: `${givenName} ${familyName}`,
        admin: false,
        state: 'active',
        managedByScim: true,
        owner: connectionId,
      }),
    );
  }
  await writeAll(db, items, 8);
  // Added to the shards, as creates do: a second seed into the tenant keeps the first one's count.
  for (const shard of counterItems(connectionId, 'User', users.length)) {
    if (shard.n === 0) continue;
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: shard.pk, sk: shard.sk },
        UpdateExpression: 'ADD #n :n',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':n': shard.n },
      }),
    );
  }
  return users;
}
