/** Every member of a group, as user records, read a page at a time. */
import type { LinkStore } from '../store/link-store';
import type { UserRecord } from '../store/record';

const PAGE = 1000;

export async function groupMembers(
  store: LinkStore,
  connectionId: string,
  groupId: string,
): Promise<UserRecord[]> {
  const users: UserRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listMembers(connectionId, groupId, { limit: PAGE, cursor });
    users.push(
      ...(await store.getUsers(
        connectionId,
        page.members.map((member) => member.userId),
      )),
    );
    cursor = page.cursor;
  } while (cursor !== undefined);
  return users;
}
