import { afterEach, describe, expect, it } from 'vitest';
import {
  ACCESS_COLUMNS,
  accessByGroup,
  accessSnapshot,
  csvLine,
  GROUP_ACCESS_COLUMNS,
} from '../../../shared/sync/access-snapshot';
import type { AccessRow } from '../../../shared/sync/access-snapshot';
import { collect } from '../../../shared/sync/sync-report';
import { ModeWorkspace } from '../../../shared/workspace/mode/mode-workspace';
import type { WorkspaceConnector } from '../../../shared/workspace/port';
import { startModeServer } from '../../fixtures/mode/server';
import type { ModeServer } from '../../fixtures/mode/server';

let server: ModeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * ada: active, in Engineering; bob: active, a direct permission; cy: removed (deactivated), had
 * Engineering and a direct permission; ivy: invited, nothing. Everyone views Handbook; Engineering
 * edits Product and queries Warehouse; a deleted group still views Archive.
 */
async function world() {
  server = await startModeServer({ halPageSize: 2 });
  const fixture = server;
  const everyone = fixture.addGroup('Everyone', { groupType: 'everyone' });
  const eng = fixture.addGroup('Engineering');
  const old = fixture.addGroup('Old');
  const ada = fixture.addMember({ email: 'ada@example.com' });
  const bob = fixture.addMember({ email: 'bob@example.com' });
  const cy = fixture.addMember({ email: 'cy@example.com' });
  const ivy = fixture.addMember({ email: 'ivy@example.com', invited: true });
  eng.memberships.set('gm1', ada.token);
  eng.memberships.set('gm2', cy.token);
  fixture.state.removeMembership(cy);
  old.state = 'soft_deleted';
  const handbook = fixture.state.addResource('space', 'Handbook');
  const product = fixture.state.addResource('space', 'Product');
  const archive = fixture.state.addResource('space', 'Archive');
  const warehouse = fixture.state.addResource('data_source', 'Warehouse');
  fixture.state.permit(handbook, { group: everyone }, 'view');
  fixture.state.permit(product, { group: eng }, 'edit');
  fixture.state.permit(product, { member: bob }, 'view');
  fixture.state.permit(product, { member: cy }, 'edit');
  fixture.state.permit(archive, { group: old }, 'view');
  fixture.state.permit(warehouse, { group: eng }, 'query');
  const connector = new ModeWorkspace({
    baseUrl: fixture.baseUrl,
    credentials: async () => ({ workspace: fixture.workspace, token: fixture.token, secret: fixture.secret }),
    sleep: async () => {},
  });
  return { connector, everyone, eng, old, ada, bob, cy, ivy, handbook, product, archive, warehouse };
}

const entitlements = (rows: AccessRow[], memberId: string) =>
  rows
    .filter((row) => row.memberId === memberId)
    .map((row) => [row.entitlementKind, row.entitlementId, row.entitlementName, row.via, row.viaName]);

describe('access snapshot with collection and data source permissions', () => {
  it('lists what each member reaches directly, through its groups and through Everyone', async () => {
    const w = await world();
    const rows = await collect(accessSnapshot(w.connector));

    expect(entitlements(rows, w.ada.token)).toEqual([
      ['group', w.everyone.token, 'Everyone', '', ''],
      ['group', w.eng.token, 'Engineering', '', ''],
      ['permission', `collection:${w.handbook.token}:view`, 'Handbook (view)', w.everyone.token, 'Everyone'],
      ['permission', `collection:${w.product.token}:edit`, 'Product (edit)', w.eng.token, 'Engineering'],
      [
        'permission',
        `dataSource:${w.warehouse.token}:query`,
        'Warehouse (query)',
        w.eng.token,
        'Engineering',
      ],
    ]);
    expect(entitlements(rows, w.bob.token)).toEqual([
      ['group', w.everyone.token, 'Everyone', '', ''],
      ['permission', `collection:${w.product.token}:view`, 'Product (view)', 'direct', ''],
      ['permission', `collection:${w.handbook.token}:view`, 'Handbook (view)', w.everyone.token, 'Everyone'],
    ]);
    // Removed: out of every group and not in Everyone; the permission on its account stays listed.
    expect(entitlements(rows, w.cy.token)).toEqual([
      ['permission', `collection:${w.product.token}:edit`, 'Product (edit)', 'direct', ''],
    ]);
    // Invited and holding nothing: one row, so that nobody is missed.
    expect(entitlements(rows, w.ivy.token)).toEqual([['', '', '', '', '']]);
    // The deleted group's permission reaches no member.
    expect(rows.some((row) => row.resourceId === w.archive.token)).toBe(false);
    const row = rows.find((r) => r.via === 'direct' && r.memberId === w.bob.token);
    expect(row).toMatchObject({ resourceKind: 'collection', resourceId: w.product.token, action: 'view' });
  });

  it('lists what each group reaches, unlisted (deleted) groups included', async () => {
    const w = await world();
    const rows = await collect(accessByGroup(w.connector));
    expect(
      rows.map((r) => [r.groupId, r.groupName, r.everyone, r.listed, r.members, r.entitlementId, r.action]),
    ).toEqual([
      [w.everyone.token, 'Everyone', true, true, 2, `collection:${w.handbook.token}:view`, 'view'],
      [w.eng.token, 'Engineering', false, true, 1, `collection:${w.product.token}:edit`, 'edit'],
      [w.eng.token, 'Engineering', false, true, 1, `dataSource:${w.warehouse.token}:query`, 'query'],
      [w.old.token, '', false, false, 0, `collection:${w.archive.token}:view`, 'view'],
    ]);
  });

  it('keeps the old columns first and adds the permission columns at the end', () => {
    expect(csvLine(ACCESS_COLUMNS)).toBe(
      'memberId,email,name,state,managedByScim,entitlementKind,entitlementId,entitlementName,via,viaName,resourceKind,resourceId,action',
    );
    expect(csvLine(GROUP_ACCESS_COLUMNS)).toBe(
      'groupId,groupName,everyone,listed,members,entitlementKind,entitlementId,entitlementName,resourceKind,resourceId,action',
    );
    expect(csvLine(['Sales, EMEA (view)', 'say "hi"', 3, false])).toBe(
      '"Sales, EMEA (view)","say ""hi""",3,false',
    );
  });

  it('leaves the permission columns empty for a workspace that does not read permissions', async () => {
    const w = await world();
    const without = new Set([...w.connector.capabilities].filter((c) => c !== 'readPermissions'));
    const limited = Object.create(w.connector, { capabilities: { value: without } }) as WorkspaceConnector;
    const rows = await collect(accessSnapshot(limited));
    expect(rows.some((row) => row.entitlementKind === 'permission')).toBe(false);
    expect(rows.find((row) => row.memberId === w.ada.token)).toMatchObject({
      entitlementKind: 'group',
      via: '',
      viaName: '',
      resourceKind: '',
      resourceId: '',
      action: '',
    });
  });
});
