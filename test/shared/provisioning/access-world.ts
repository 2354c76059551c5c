/**
 * A connection on a built-in workspace whose removals fail as asked (failing-removals.ts) until
 * `fix()`, and whose whole workspace can be taken down (`setDown`), driven through the SCIM
 * endpoints; with what the access-incident tests read back: the connection's ACCESS partition as
 * stored, the alarms the request path raised, and a full sync with the metrics it emitted.
 */
import { DynamoConnectionDirectory } from '../../../shared/secrets/dynamo-connection-directory';
import type { AccessIncident } from '../../../shared/store/access-incidents';
import { keys } from '../../../shared/store/keys';
import type { JsonObject } from '../../../shared/scim/json';
import type { SyncResult } from '../../../shared/sync/run-sync';
import { runSync } from '../../../shared/sync/run-sync';
import type { SyncMetricName } from '../../../shared/sync/sync-metrics';
import type { SyncRun } from '../../../shared/sync/sync-run';
import type { BuiltinWorkspace } from '../../../shared/workspace/builtin/builtin-workspace';
import { createBuiltinWorkspace } from '../../../shared/workspace/builtin/create-builtin-workspace';
import { flakyWorkspace } from '../../../shared/workspace/flaky-workspace';
import type { WorkspaceConnector } from '../../../shared/workspace/port';
import { itemsIn, testDb, uniqueConnectionId } from '../../support/db';
import type { RemovalCall } from './failing-removals';
import { failingRemovals } from './failing-removals';
import type { Harness } from './scim-harness';
import { harness } from './scim-harness';

export interface AccessWorld {
  h: Harness;
  connectionId: string;
  workspace: BuiltinWorkspace;
  /** The removals work from now on (on the request path and in `sync`). */
  fix(): void;
  /** Every call fails with WorkspaceUnavailableError while down. */
  setDown(down: boolean): void;
  /** The connection's ACCESS partition, as stored. */
  items(): Promise<Record<string, unknown>[]>;
  raised: { incident: AccessIncident; open: number }[];
  metrics: Partial<Record<SyncMetricName, number>>[];
  /** A full sync through the same failing connector (fixed or not). */
  sync(): Promise<SyncResult>;
  run(): Promise<SyncRun>;
  createGroup(name: string, userIds: string[]): Promise<string>;
  memberOf(userId: string): Promise<string>;
  groupLinkOf(groupId: string): Promise<string>;
}

export async function accessWorld(failures: Partial<Record<RemovalCall, () => Error>>): Promise<AccessWorld> {
  const db = testDb();
  const workspace = await createBuiltinWorkspace(db, uniqueConnectionId('ws'));
  await workspace.insertMember({ email: 'owner@example.com', name: 'Work Space', admin: true }, false);
  let broken = true;
  let down = false;
  const connector = (connectionId: string): WorkspaceConnector =>
    flakyWorkspace(
      failingRemovals(workspace.as(connectionId), failures, () => broken),
      { failing: () => down },
    );
  const raised: AccessWorld['raised'] = [];
  const h = harness(connector, {
    workspace: { kind: 'builtin', workspaceId: workspace.workspaceId },
    alarm: { raise: (incident, open) => raised.push({ incident, open }) },
  });
  const connectionId = h.connection.id;
  const metrics: AccessWorld['metrics'] = [];
  const sync = () =>
    runSync({
      db,
      store: h.store,
      connectionId,
      connector: connector(connectionId),
      metrics: { emit: (values) => metrics.push(values) },
    });
  return {
    h,
    connectionId,
    workspace,
    fix: () => {
      broken = false;
    },
    setDown: (value) => {
      down = value;
    },
    items: () => itemsIn([keys.accessPartition(connectionId)]),
    raised,
    metrics,
    sync,
    async run() {
      const result = await sync();
      if (result.status === 'overlapping') throw new Error('overlapping run');
      return result.run;
    },
    async createGroup(name, userIds) {
      const response = await h.call('POST', '/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: name,
        members: userIds.map((value) => ({ value })),
      });
      if (response.status !== 201) throw new Error(`group create answered ${response.status}`);
      return (response.body as JsonObject).id as string;
    },
    async memberOf(userId) {
      const memberId = (await h.store.getUser(connectionId, userId))?.apply.workspaceId;
      if (memberId === undefined) throw new Error(`user ${userId} is not linked`);
      return memberId;
    },
    async groupLinkOf(groupId) {
      const id = (await h.store.getGroup(connectionId, groupId))?.apply.workspaceId;
      if (id === undefined) throw new Error(`group ${groupId} is not linked`);
      return id;
    },
  };
}

/** Puts the world's connection in the table's connection directory, where the CLI finds it. */
/** Registers the world's connection in the connection directory, bound to its built-in workspace. */
export async function registerConnection(world: {
  connectionId: string;
  workspace: { workspaceId: string };
}): Promise<void> {
  await new DynamoConnectionDirectory().create({
    id: world.connectionId,
    settings: {
      requireSamlOnly: false,
      workspace: { kind: 'builtin', workspaceId: world.workspace.workspaceId },
    },
  });
}
