// @vitest-environment stream-engine
/** The full sync with `permissions`: the run record counts them, and without it no call is spent. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summaryLines } from '../../../cli/sync/sync-summary';
import { runSync } from '../../../shared/sync/run-sync';
import { ModeWorkspace } from '../../../shared/workspace/mode/mode-workspace';
import { startModeServer } from '../../fixtures/mode/server';
import type { ModeServer } from '../../fixtures/mode/server';
import { testDb } from '../../support/db';
import { harness } from '../provisioning/scim-harness';

let server: ModeServer;
beforeEach(async () => {
  server = await startModeServer({ halPageSize: 2 });
});
afterEach(async () => {
  await server.close();
});

function mode(): ModeWorkspace {
  return new ModeWorkspace({
    baseUrl: server.baseUrl,
    credentials: async () => ({ workspace: server.workspace, token: server.token, secret: server.secret }),
    sleep: async () => undefined,
  });
}

describe('full sync: permissions in the report', () => {
  it('counts them when asked, and reads none otherwise', async () => {
    const scim = harness(mode(), { workspace: { kind: 'mode', secretId: `roster/mode-${server.baseUrl}` } });
    const eng = server.addGroup('Engineering');
    const space = server.state.addResource('space', 'Product');
    server.state.permit(space, { group: eng }, 'edit');
    server.state.permit(space, { group: eng }, 'view');
    const deps = { db: testDb(), store: scim.store, connectionId: scim.connection.id, connector: mode() };

    const plain = await runSync(deps, { dryRun: true });
    expect(plain.status).toBe('completed');
    expect(plain.status !== 'overlapping' && plain.run.permissions).toBeUndefined();
    expect(server.requests.some((line) => /\/(spaces|data_sources)/.test(line))).toBe(false);

    const counted = await runSync(deps, { dryRun: true, permissions: true });
    if (counted.status === 'overlapping') throw new Error('overlapping');
    expect(counted.run.permissions).toMatchObject({
      read: 2,
      direct: 0,
      groupCount: 1,
      groups: [{ id: eng.token, name: 'Engineering', permissions: 2 }],
    });
    expect(summaryLines(counted.run)).toContain(
      'permissions: 2 on collections and data sources; 0 granted to members directly, the rest to 1 group(s)',
    );
  });
});
