/**
 * A connection with a built-in workspace, driven through the SCIM endpoints (the request path),
 * plus what the sync tests need: a switch that takes the workspace down (so that SCIM changes stay
 * not yet applied), the port itself to make edits the admin API would refuse (drift), a counting
 * wrapper, and `sync()` with the test's own knobs.
 */
import type { AuditTrail } from '../../../shared/audit/audit-trail';
import type { JsonObject } from '../../../shared/scim/json';
import type { BreakerLimits } from '../../../shared/sync/circuit-breaker';
import { DEFAULT_LIMITS } from '../../../shared/sync/circuit-breaker';
import type { SyncDeps, SyncOptions, SyncResult } from '../../../shared/sync/run-sync';
import { runSync } from '../../../shared/sync/run-sync';
import type { SyncMetricName } from '../../../shared/sync/sync-metrics';
import type { SyncRun } from '../../../shared/sync/sync-run';
import type { BuiltinWorkspace } from '../../../shared/workspace/builtin/builtin-workspace';
import { createBuiltinWorkspace } from '../../../shared/workspace/builtin/create-builtin-workspace';
import { flakyWorkspace } from '../../../shared/workspace/flaky-workspace';
import type { WorkspaceConnector } from '../../../shared/workspace/port';
import { testDb, uniqueConnectionId } from '../../support/db';
import type { Harness } from '../provisioning/scim-harness';
import { addMembers, countingWrites, harness } from '../provisioning/scim-harness';

export interface SyncWorld {
  h: Harness;
  connectionId: string;
  /** The workspace's own admin account, unmanaged. */
  ownerId: string;
  workspace: BuiltinWorkspace;
  setDown(down: boolean): void;
  metrics: Partial<Record<SyncMetricName, number>>[];
  sync(options?: SyncOptions & Partial<Omit<SyncDeps, 'db' | 'connectionId'>>): Promise<SyncResult>;
  /** Syncs and answers the run record (fails on an overlapping run). */
  run(options?: SyncOptions & Partial<Omit<SyncDeps, 'db' | 'connectionId'>>): Promise<SyncRun>;
  createGroup(name: string, userIds?: string[]): Promise<string>;
  addToGroup(groupId: string, userIds: string[]): Promise<void>;
  memberByEmail(
    email: string,
  ): Promise<NonNullable<Awaited<ReturnType<BuiltinWorkspace['findMemberByEmail']>>>>;
  linkOf(userId: string): Promise<string | undefined>;
  groupLinkOf(groupId: string): Promise<string | undefined>;
  groupMembers(workspaceGroupId: string): Promise<string[]>;
}

export async function syncWorld(
  limits: BreakerLimits = DEFAULT_LIMITS,
  options: { audit?: AuditTrail } = {},
): Promise<SyncWorld> {
  const db = testDb();
  const workspace = await createBuiltinWorkspace(db, uniqueConnectionId('ws'));
  // A workspace always has its owner, whom the IdP does not manage; an empty read is a fault.
  const owner = await workspace.insertMember(
    { email: 'owner@example.com', name: 'Work Space', admin: true },
    false,
  );
  let down = false;
  const h = harness((connectionId) => flakyWorkspace(workspace.as(connectionId), { failing: () => down }), {
    workspace: { kind: 'builtin', workspaceId: workspace.workspaceId },
    ...(options.audit ? { audit: options.audit } : {}),
  });
  const connectionId = h.connection.id;
  const metrics: Partial<Record<SyncMetricName, number>>[] = [];
  const sync: SyncWorld['sync'] = (options = {}) =>
    runSync(
      {
        db,
        store: options.store ?? h.store,
        connectionId,
        connector: options.connector ?? workspace.as(connectionId),
        limits: options.limits ?? limits,
        metrics: { emit: (values) => metrics.push(values) },
        ...(options.remainingMs ? { remainingMs: options.remainingMs } : {}),
        ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...(options.shardUsers ? { shardUsers: options.shardUsers } : {}),
        ...(options.reserveMs !== undefined ? { reserveMs: options.reserveMs } : {}),
      },
      { ...(options.dryRun ? { dryRun: true } : {}), ...(options.resume ? { resume: options.resume } : {}) },
    );
  const world: SyncWorld = {
    h,
    connectionId,
    ownerId: owner.memberId,
    workspace,
    metrics,
    setDown: (value) => {
      down = value;
    },
    sync,
    async run(options) {
      const result = await sync(options);
      if (result.status === 'overlapping') throw new Error('overlapping run');
      return result.run;
    },
    async createGroup(name, userIds = []) {
      const body: JsonObject = {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: name,
        members: userIds.map((value) => ({ value })),
      };
      const response = await h.call('POST', '/Groups', body);
      if (response.status !== 201) throw new Error(`group create answered ${response.status}`);
      return (response.body as JsonObject).id as string;
    },
    async addToGroup(groupId, userIds) {
      const response = await h.call('PATCH', `/Groups/${groupId}`, addMembers(userIds));
      if (response.status >= 300) throw new Error(`group patch answered ${response.status}`);
    },
    async memberByEmail(email) {
      const member = await workspace.findMemberByEmail(email);
      if (!member) throw new Error(`no workspace member ${email}`);
      return member;
    },
    async linkOf(userId) {
      return (await h.store.getUser(connectionId, userId))?.apply.workspaceId;
    },
    async groupLinkOf(groupId) {
      return (await h.store.getGroup(connectionId, groupId))?.apply.workspaceId;
    },
    async groupMembers(workspaceGroupId) {
      const ids: string[] = [];
      let page: string | undefined;
      do {
        const out = await workspace.readGroupMembers(workspaceGroupId, page);
        ids.push(...out.items);
        page = out.next;
      } while (page !== undefined);
      return ids.sort();
    },
  };
  return world;
}

export { countingWrites };

/** A connector whose reads answer nothing at all, as a misconfigured or broken workspace might. */
export function emptyReads(connector: WorkspaceConnector): WorkspaceConnector {
  return {
    ...bind(connector),
    readMembers: async () => ({ items: [] }),
    readEntitlements: async () => ({ items: [] }),
    readGrants: async () => ({ items: [] }),
  };
}

/** A connector whose member listing fails on its second page. */
export function failingAfterFirstPage(connector: WorkspaceConnector): WorkspaceConnector {
  return {
    ...bind(connector),
    readMembers: async (page) => {
      if (page !== undefined) throw new Error('connection reset');
      const first = await connector.readMembers();
      // Pretend there is more, so the reader asks for a second page and fails on it.
      return { items: first.items, next: 'page-2' };
    },
  };
}

function bind(connector: WorkspaceConnector): WorkspaceConnector {
  return {
    capabilities: connector.capabilities,
    readMembers: (page) => connector.readMembers(page),
    readEntitlements: (page) => connector.readEntitlements(page),
    readGrants: (page) => connector.readGrants(page),
    readSignIn: () => connector.readSignIn(),
    provisionMember: (member) => connector.provisionMember(member),
    updateMember: (id, profile) => connector.updateMember(id, profile),
    deactivateMember: (id) => connector.deactivateMember(id),
    reactivateMember: (id) => connector.reactivateMember(id),
    deleteMember: (id) => connector.deleteMember(id),
    createGroup: (name) => connector.createGroup(name),
    renameGroup: (id, name) => connector.renameGroup(id, name),
    deleteGroup: (id) => connector.deleteGroup(id),
    grant: (group, member) => connector.grant(group, member),
    revoke: (group, member) => connector.revoke(group, member),
    markMemberManaged: (id, managed) => connector.markMemberManaged(id, managed),
    markGroupManaged: (id, managed) => connector.markGroupManaged(id, managed),
  };
}
