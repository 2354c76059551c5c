import { afterEach, describe, expect, it } from 'vitest';
import { ModeWorkspace } from '../../../../shared/workspace/mode/mode-workspace';
import {
  decodePermissionsToken,
  encodePermissionsToken,
} from '../../../../shared/workspace/mode/mode-permissions';
import type { PermissionPage, ResourcePermission } from '../../../../shared/workspace/permission';
import { hasPermissionReader } from '../../../../shared/workspace/port';
import { WorkspaceRejectedError } from '../../../../shared/workspace/workspace-error';
import { startModeServer } from '../../../fixtures/mode/server';
import type { ModeServer } from '../../../fixtures/mode/server';

let server: ModeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connect(credential: 'workspace' | 'personal' = 'workspace') {
  server = await startModeServer({ halPageSize: 2 });
  const fixture = server;
  const connector = new ModeWorkspace({
    baseUrl: fixture.baseUrl,
    credentials: async () =>
      credential === 'workspace'
        ? { workspace: fixture.workspace, token: fixture.token, secret: fixture.secret }
        : { workspace: fixture.workspace, token: fixture.personalToken, secret: fixture.personalSecret },
    sleep: async () => {},
    random: () => 0.5,
  });
  return { server: fixture, connector };
}

async function walk(read: (page?: string) => Promise<PermissionPage>) {
  const pages: PermissionPage[] = [];
  let next: string | undefined;
  do {
    const page = await read(next);
    pages.push(page);
    next = page.next;
  } while (next !== undefined && pages.length < 1000);
  return {
    pages,
    items: pages.flatMap((page) => page.items),
    skipped: pages.reduce((n, page) => n + (page.skipped ?? 0), 0),
  };
}

async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => undefined,
    (error: unknown) => error,
  );
}

const key = (p: ResourcePermission) =>
  `${p.resourceKind}:${p.resourceId}:${p.action}:${p.accessorKind}:${p.accessorId}`;

describe('Mode connector: collection and data source permissions', () => {
  it('declares readPermissions', async () => {
    const { connector } = await connect();
    expect(hasPermissionReader(connector)).toBe(true);
    expect(connector.capabilities.has('readPermissions')).toBe(true);
  });

  it('walks every collection page, every permissions page, then every data source and its pages', async () => {
    const { server, connector } = await connect();
    const ada = server.addMember({ email: 'ada@example.com' });
    const eng = server.addGroup('Engineering');
    const expected: string[] = [];
    // 5 collections (3 listing pages of 2), one of them personal; the second has 5 permissions.
    const spaces = ['Finance', 'Product', 'Ops', 'Ada personal', 'Empty'].map((name) =>
      server.state.addResource('space', name, { personal: name === 'Ada personal' }),
    );
    for (const [index, space] of spaces.entries()) {
      if (space.name === 'Empty') continue;
      const count = index === 1 ? 5 : 1;
      for (let n = 0; n < count; n++) {
        const grantee = n % 2 === 0 ? { group: eng } : { member: ada };
        const action = n < 2 ? 'view' : 'edit';
        server.state.permit(space, grantee, action);
        expected.push(
          `collection:${space.token}:${action}:${grantee.group ? 'group' : 'member'}:${grantee.group?.token ?? ada.token}`,
        );
      }
    }
    // 3 data sources (2 listing pages), one soft-deleted; the first has 3 permissions.
    const warehouse = server.state.addResource('data_source', 'Warehouse');
    const lake = server.state.addResource('data_source', 'Lake');
    const gone = server.state.addResource('data_source', 'Gone', { softDeleted: true });
    for (const action of ['query', 'view', 'manage']) {
      server.state.permit(warehouse, { group: eng }, action);
      expected.push(`dataSource:${warehouse.token}:${action}:group:${eng.token}`);
    }
    server.state.permit(lake, { member: ada }, 'query');
    expected.push(`dataSource:${lake.token}:query:member:${ada.token}`);
    server.state.permit(gone, { group: eng }, 'query');

    const { items, pages } = await walk((page) => connector.readPermissions(page));

    expect(items.map(key).sort()).toEqual(expected.sort());
    expect(items.find((p) => p.resourceId === warehouse.token)?.resourceName).toBe('Warehouse');
    expect(items.find((p) => p.resourceId === spaces[0]?.token)?.resourceName).toBe('Finance');
    // One permissions page at a time: never more rows than a fixture page holds.
    expect(Math.max(...pages.map((page) => page.items.length))).toBeLessThanOrEqual(2);
    // Every listing page and every permissions page was read, with `filter=all`.
    const gets = server.requests.filter((line) => line.startsWith('GET '));
    expect(gets.filter((line) => /\/spaces\?filter=all/.test(line))).toContain(
      `GET /api/${server.workspace}/spaces?filter=all&page=3`,
    );
    expect(gets).toContain(`GET /api/${server.workspace}/spaces/${spaces[1]?.token}/permissions?page=3`);
    expect(gets).toContain(`GET /api/${server.workspace}/data_sources?page=2`);
    expect(gets).toContain(`GET /api/${server.workspace}/data_sources/${warehouse.token}/permissions?page=2`);
    expect(gets.some((line) => line.includes(gone.token))).toBe(false);
  });

  it('passes through rows of deleted groups and removed members, and counts unknown accessor types', async () => {
    const { server, connector } = await connect();
    const bob = server.addMember({ email: 'bob@example.com' });
    server.state.removeMembership(bob);
    const old = server.addGroup('Old');
    old.state = 'soft_deleted';
    const space = server.state.addResource('space', 'Archive');
    server.state.permit(space, { group: old }, 'view');
    server.state.permit(space, { member: bob }, 'edit');
    server.state.permit(space, { type: 'ApiKey', token: 'secret-looking-token' }, 'view');

    const { items, skipped } = await walk((page) => connector.readPermissions(page));

    expect(items.map((p) => [p.accessorKind, p.accessorId, p.action])).toEqual([
      ['group', old.token, 'view'],
      ['member', bob.token, 'edit'],
    ]);
    expect(skipped).toBe(1);
  });

  it('answers one empty page for a workspace without collections or data sources', async () => {
    const { connector } = await connect();
    expect(await connector.readPermissions()).toEqual({ items: [] });
  });

  it('refuses tampered page tokens before calling Mode', async () => {
    const { server, connector } = await connect();
    const space = server.state.addResource('space', 'Finance');
    for (const action of ['view', 'edit', 'view'])
      server.state.permit(
        space,
        { member: server.addMember({ email: `${action}${Math.random()}@example.com` }) },
        action,
      );
    const first = await connector.readPermissions();
    expect(first.next).toBeDefined();
    const cursor = decodePermissionsToken(first.next as string, server.workspace);

    const tampered = [
      'garbage',
      `${first.next as string}x!`,
      (first.next as string).slice(0, -3),
      encodePermissionsToken({ ...cursor, l: '/api/other/spaces' }),
      encodePermissionsToken({ ...cursor, l: `/api/${server.workspace}/groups` }),
      encodePermissionsToken({
        ...cursor,
        r: 'another',
        p: cursor.p ?? `/api/${server.workspace}/spaces/${space.token}/permissions?page=2`,
      }),
      encodePermissionsToken({ ...cursor, p: `/api/${server.workspace}/memberships` }),
      encodePermissionsToken({ ...cursor, i: -1 }),
      encodePermissionsToken({ ...cursor, k: 'dataSource' }),
      'mp1.' + Buffer.from(JSON.stringify({ ...cursor, extra: 1 })).toString('base64url'),
      'mp1.' + Buffer.from(JSON.stringify({ ...cursor, v: 2 })).toString('base64url'),
    ];
    server.requests.length = 0;
    for (const token of tampered) {
      const error = await failure(connector.readPermissions(token));
      expect(error, token).toBeInstanceOf(WorkspaceRejectedError);
      expect((error as WorkspaceRejectedError).message).toBe('invalid page token');
    }
    expect(server.requests).toEqual([]);
    // The untampered token still works.
    expect((await connector.readPermissions(first.next)).items).toHaveLength(1);
  });

  it('reads with the workspace API token: the fixture refuses a member token', async () => {
    const { server, connector } = await connect('personal');
    server.state.addResource('space', 'Finance');
    const error = await failure(connector.readPermissions());
    expect(error).toBeInstanceOf(WorkspaceRejectedError);
    expect((error as WorkspaceRejectedError).status).toBe(403);
  });
});
