import { afterEach, describe, expect, it } from 'vitest';
import { permissionLines } from '../../../cli/sync/sync-summary';
import { readObserved } from '../../../shared/sync/read-observed';
import { NAMED_GROUPS, summarisePermissions } from '../../../shared/sync/permission-summary';
import { ModeWorkspace } from '../../../shared/workspace/mode/mode-workspace';
import type { WorkspaceConnector } from '../../../shared/workspace/port';
import { startModeServer } from '../../fixtures/mode/server';
import type { ModeServer } from '../../fixtures/mode/server';

let server: ModeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connect() {
  server = await startModeServer({ halPageSize: 2 });
  const fixture = server;
  const connector = new ModeWorkspace({
    baseUrl: fixture.baseUrl,
    credentials: async () => ({ workspace: fixture.workspace, token: fixture.token, secret: fixture.secret }),
    sleep: async () => {},
  });
  return { server: fixture, connector };
}

describe('the full sync’s permissions summary', () => {
  it('counts the permissions, the direct ones, and names the groups holding the most', async () => {
    const { server, connector } = await connect();
    const everyone = server.addGroup('Everyone', { groupType: 'everyone' });
    const eng = server.addGroup('Engineering');
    const old = server.addGroup('Old');
    old.state = 'soft_deleted';
    const ada = server.addMember({ email: 'ada@example.com' });
    const space = server.state.addResource('space', 'Product');
    const warehouse = server.state.addResource('data_source', 'Warehouse');
    server.state.permit(space, { group: eng }, 'edit');
    server.state.permit(warehouse, { group: eng }, 'query');
    server.state.permit(space, { group: everyone }, 'view');
    server.state.permit(space, { group: old }, 'view');
    server.state.permit(space, { member: ada }, 'view');
    server.state.permit(space, { type: 'Robot', token: 'r1' }, 'view');

    const observed = await readObserved(connector);
    const summary = await summarisePermissions(connector, observed);

    expect(summary).toEqual({
      read: 5,
      skipped: 1,
      direct: 1,
      groupCount: 3,
      groups: [
        { id: eng.token, name: 'Engineering', permissions: 2 },
        ...[
          { id: everyone.token, name: 'Everyone', permissions: 1 },
          { id: old.token, name: '', permissions: 1 },
        ].sort((a, b) => (a.id < b.id ? -1 : 1)),
      ],
    });
    const lines = permissionLines(summary);
    expect(lines[0]).toBe(
      'permissions: 5 on collections and data sources (1 row(s) of unknown accessor types left out); 1 granted to members directly, the rest to 3 group(s)',
    );
    expect(lines[1]).toContain(`Engineering ${eng.token}: 2`);
    expect(lines[1]).toContain(`(unlisted) ${old.token}: 1`);
  });

  it('names at most NAMED_GROUPS groups and counts the rest', () => {
    const groups = Array.from({ length: NAMED_GROUPS }, (_, i) => ({
      id: `g${i}`,
      name: `G${i}`,
      permissions: 1,
    }));
    const lines = permissionLines({ read: 30, skipped: 0, direct: 0, groupCount: 30, groups });
    expect(lines[1]).toMatch(/, and 10 more$/);
  });

  it('reports a failed read instead of failing, and a workspace without permissions', async () => {
    const { server, connector } = await connect();
    const observed = await readObserved(connector);
    server.failNext(10, 500, /\/spaces/);
    const failed = await summarisePermissions(connector, observed);
    expect(failed.unread).toMatch(/^reading permissions failed: WorkspaceUnavailableError/);
    expect(permissionLines(failed)[0]).toMatch(/^permissions: not read \(reading permissions failed/);

    const without = new Set([...connector.capabilities].filter((c) => c !== 'readPermissions'));
    const limited = Object.create(connector, { capabilities: { value: without } }) as WorkspaceConnector;
    expect((await summarisePermissions(limited, observed)).unread).toBe(
      'the workspace adapter does not read permissions',
    );
  });
});
