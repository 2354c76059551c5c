/**
 * The read phase on the workspace side: every page of members, entitlements and grants, streamed
 * into the compact observed model. Any failure, on any page, fails the whole read (SyncReadError).
 */
import type { WorkspaceConnector } from '../workspace/port';
import type { Page } from '../workspace/page';
import type { ObservedWorkspace } from './observed';
import { emptyObserved } from './observed';
import type { ProgressListener } from './sync-progress';
import { SyncReadError } from './sync-read-error';

export async function eachPage<T>(
  source: SyncReadError['source'],
  read: (page?: string) => Promise<Page<T>>,
  onItems: (items: T[]) => void | Promise<void>,
): Promise<void> {
  let next: string | undefined;
  do {
    let page: Page<T>;
    try {
      page = await read(next);
    } catch (cause) {
      throw new SyncReadError(source, { cause });
    }
    await onItems(page.items);
    next = page.next;
  } while (next !== undefined);
}

/** Fails the read (SyncReadError) when the adapter cannot read all three. */
export function assertReadable(connector: WorkspaceConnector): void {
  for (const capability of ['readMembers', 'readEntitlements', 'readGrants'] as const) {
    if (!connector.capabilities.has(capability)) {
      throw new SyncReadError(
        capability === 'readMembers' ? 'members' : capability === 'readGrants' ? 'grants' : 'entitlements',
        { cause: new Error(`the workspace adapter cannot ${capability}`) },
      );
    }
  }
}

/** Every group of the workspace into `into` (`Everyone` apart), page by page. */
export async function readGroups(
  connector: WorkspaceConnector,
  into: Pick<ObservedWorkspace, 'groups' | 'groupByName' | 'everyone'>,
  onProgress: ProgressListener,
): Promise<void> {
  await eachPage(
    'entitlements',
    (page) => connector.readEntitlements(page),
    (entitlements) => {
      for (const entitlement of entitlements) {
        if (entitlement.kind !== 'group') continue;
        if (entitlement.everyone) {
          into.everyone = entitlement;
          continue;
        }
        into.groups.set(entitlement.id, entitlement);
        into.groupByName.set(entitlement.name.toLowerCase(), entitlement.id);
      }
      onProgress({ phase: 'read', step: 'groups', done: into.groups.size });
    },
  );
}

export async function readObserved(
  connector: WorkspaceConnector,
  onProgress: ProgressListener = () => {},
): Promise<ObservedWorkspace> {
  assertReadable(connector);
  const observed = emptyObserved();
  // The few distinct owners (connection ids) are held once, not once per member read.
  const owners = new Map<string, string>();
  const owner = (id: string) => owners.get(id) ?? (owners.set(id, id), id);

  await eachPage(
    'members',
    (page) => connector.readMembers(page),
    (members) => {
      for (const read of members) {
        const member = read.owner === undefined ? read : { ...read, owner: owner(read.owner) };
        observed.members.set(member.id, member);
        observed.memberByEmail.set(member.email.toLowerCase(), member.id);
      }
      onProgress({ phase: 'read', step: 'members', done: observed.members.size });
    },
  );

  await readGroups(connector, observed, onProgress);

  let grants = 0;
  await eachPage(
    'grants',
    (page) => connector.readGrants(page),
    (page) => {
      for (const grant of page) {
        if (observed.everyone && grant.groupId === observed.everyone.id) continue;
        // Reuse the member's own id string so that 500,000 grants do not hold 500,000 copies.
        const memberId = observed.members.get(grant.memberId)?.id ?? grant.memberId;
        const groupId = observed.groups.get(grant.groupId)?.id ?? grant.groupId;
        let holders = observed.grants.get(groupId);
        if (!holders) observed.grants.set(groupId, (holders = new Set()));
        holders.add(memberId);
        grants++;
      }
      onProgress({ phase: 'read', step: 'grants', done: grants });
    },
  );
  return observed;
}
