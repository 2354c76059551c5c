/**
 * Unlink (release): hands one IdP resource's workspace object back to the workspace, as Okta's
 * "Unlink pushed group" does. The object stops being the IdP's: the workspace's IdP mark is
 * cleared (or, with `deleteInWorkspace`, the object is deleted there), the link is removed from the
 * link state, and the resource is recorded as released so that no later IdP write or sync links,
 * changes or removes anything for it. The SCIM resource itself stays readable by the IdP.
 *
 * Order, so that a failure part way can be run again: released first (the apply and the sync hold
 * it from then on), then the workspace, then the link. Running it again finishes what is left.
 */
import type { Db } from '../store/client';
import type { LinkStore } from '../store/link-store';
import type { GroupRecord, UserRecord } from '../store/record';
import type { WorkspaceConnector } from '../workspace/port';
import { requireCapability } from '../workspace/port';
import { updateRollout, readRollout } from './rollout-store';

export class UnlinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnlinkError';
  }
}

export interface UnlinkDeps {
  db: Db;
  store: LinkStore;
  connector: WorkspaceConnector;
  connectionId: string;
  now?: () => Date;
}

export interface UnlinkResult {
  kind: 'user' | 'group';
  id: string;
  label: string;
  workspaceId: string;
  /** `released`: left in the workspace, no longer the IdP's; `deleted`: deleted there. */
  outcome: 'released' | 'deleted';
  /** The workspace cannot clear its IdP mark (Mode): the object stays marked there. */
  markCleared: boolean;
}

export async function unlink(
  deps: UnlinkDeps,
  kind: 'user' | 'group',
  ref: string,
  options: { deleteInWorkspace: boolean },
): Promise<UnlinkResult> {
  const { db, store, connector, connectionId } = deps;
  const now = deps.now ?? (() => new Date());
  const resource =
    kind === 'user' ? await findUser(store, connectionId, ref) : await findGroup(store, connectionId, ref);
  if (!resource) throw new UnlinkError(`no IdP ${kind} ${ref} in connection ${connectionId}`);
  const workspaceId = resource.apply.workspaceId;
  const released = await readRollout(db, connectionId);
  const list = kind === 'user' ? released.released.users : released.released.groups;
  if (workspaceId === undefined) {
    throw new UnlinkError(
      list.includes(resource.id)
        ? `${kind} ${resource.id} is already unlinked and released to the workspace`
        : `${kind} ${resource.id} is not linked to a workspace ${kind === 'user' ? 'account' : 'group'}: nothing to hand back`,
    );
  }
  // Refused before anything is written: the adapter cannot delete.
  if (options.deleteInWorkspace)
    requireCapability(connector, kind === 'user' ? 'deleteMember' : 'deleteGroup');

  await updateRollout(db, connectionId, (s) => {
    const users =
      kind === 'user' && !s.released.users.includes(resource.id)
        ? [...s.released.users, resource.id]
        : s.released.users;
    const groups =
      kind === 'group' && !s.released.groups.includes(resource.id)
        ? [...s.released.groups, resource.id]
        : s.released.groups;
    const takeovers = { ...s.takeovers };
    if (kind === 'group') delete takeovers[resource.id];
    return { ...s, released: { users, groups }, takeovers };
  });

  let markCleared = false;
  if (options.deleteInWorkspace) {
    if (kind === 'user') await connector.deleteMember(workspaceId);
    else await connector.deleteGroup(workspaceId);
  } else if (connector.capabilities.has('markManaged')) {
    if (kind === 'user') await connector.markMemberManaged(workspaceId, false);
    else await connector.markGroupManaged(workspaceId, false);
    markCleared = true;
  }

  await removeLink(store, connectionId, kind, resource, now());
  return {
    kind,
    id: resource.id,
    label: 'userName' in resource ? resource.userName : resource.displayName,
    workspaceId,
    outcome: options.deleteInWorkspace ? 'deleted' : 'released',
    markCleared,
  };
}

/** By IdP id, userName, or the workspace account's id it is linked to. */
async function findUser(
  store: LinkStore,
  connectionId: string,
  ref: string,
): Promise<UserRecord | undefined> {
  const direct =
    (await store.getUser(connectionId, ref)) ?? (await store.findUserByUserName(connectionId, ref));
  if (direct) return direct;
  const linked = await store.linkedResource(connectionId, 'User', ref);
  return linked === undefined ? undefined : store.getUser(connectionId, linked);
}

/** By IdP id, displayName, or the workspace group's id it is linked to. */
async function findGroup(
  store: LinkStore,
  connectionId: string,
  ref: string,
): Promise<GroupRecord | undefined> {
  const direct =
    (await store.getGroup(connectionId, ref)) ?? (await store.findGroupByDisplayName(connectionId, ref));
  if (direct) return direct;
  const linked = await store.linkedResource(connectionId, 'Group', ref);
  return linked === undefined ? undefined : store.getGroup(connectionId, linked);
}

/** The apply state without the link, settled at the current version (a newer SCIM write is retried). */
async function removeLink(
  store: LinkStore,
  connectionId: string,
  kind: 'user' | 'group',
  first: UserRecord | GroupRecord,
  now: Date,
): Promise<void> {
  let resource: UserRecord | GroupRecord | undefined = first;
  for (let attempt = 0; resource && attempt < 5; attempt++) {
    const written = await store.setApplyState(
      connectionId,
      kind === 'user' ? 'User' : 'Group',
      resource.id,
      resource.meta.version,
      {
        status: 'applied',
        appliedVersion: resource.meta.version,
        attempts: 0,
        attemptedAt: now.toISOString(),
      },
    );
    if (written) return;
    resource =
      kind === 'user'
        ? await store.getUser(connectionId, first.id)
        : await store.getGroup(connectionId, first.id);
  }
  if (resource) throw new UnlinkError(`${kind} ${first.id} kept changing; run the unlink again`);
}
