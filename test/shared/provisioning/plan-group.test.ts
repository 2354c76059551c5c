import { describe, expect, it } from 'vitest';
import type { DesiredGroup } from '../../../shared/provisioning/change';
import { planGroup } from '../../../shared/provisioning/plan-group';
import type { GroupEntitlement } from '../../../shared/workspace/entitlement';

const desired: DesiredGroup = {
  groupId: 'g1',
  workspaceGroupId: 'wg-1',
  name: 'Sales',
  memberIds: new Set(['m-a', 'm-b']),
};
const group: GroupEntitlement = {
  kind: 'group',
  id: 'wg-1',
  name: 'Sales',
  managed: true,
  everyone: false,
  owner: 'c1',
};
const kinds = (changes: { kind: string }[]) => changes.map((change) => change.kind);

describe('planGroup on the request path (nothing observed)', () => {
  it('creates (or links by name) an unlinked group, and nothing more until it is linked', () => {
    const { workspaceGroupId: _, ...unlinked } = desired;
    expect(planGroup(unlinked, 'unknown')).toEqual([
      expect.objectContaining({ kind: 'createGroup', name: 'Sales' }),
    ]);
  });
  it('applies only the members this request added and removed', () => {
    const changes = planGroup(desired, 'unknown', {
      added: ['m-c'],
      removed: ['m-d'],
      previousName: 'Sales',
    });
    expect(changes).toEqual([
      expect.objectContaining({ kind: 'revoke', workspaceGroupId: 'wg-1', memberId: 'm-d' }),
      expect.objectContaining({ kind: 'grant', workspaceGroupId: 'wg-1', memberId: 'm-c' }),
    ]);
  });
  it('renames only when the name changed', () => {
    expect(
      kinds(
        planGroup({ ...desired, name: 'Sales EU' }, 'unknown', {
          added: [],
          removed: [],
          previousName: 'Sales',
        }),
      ),
    ).toEqual(['renameGroup']);
  });
  it('without a delta, asserts the whole desired group', () => {
    expect(kinds(planGroup(desired, 'unknown'))).toEqual([
      'markGroupManaged',
      'renameGroup',
      'grant',
      'grant',
    ]);
  });
});

describe('planGroup on a full read (drift)', () => {
  it('changes nothing when the workspace matches', () => {
    expect(planGroup(desired, { group, memberIds: new Set(['m-a', 'm-b']) })).toEqual([]);
  });
  it('re-creates a group removed on the workspace side', () => {
    expect(planGroup(desired, undefined)).toEqual([
      expect.objectContaining({
        kind: 'createGroup',
        reason: 'the linked group was removed on the workspace side',
      }),
    ]);
  });
  it('renames back a group renamed on the workspace side', () => {
    expect(
      planGroup(desired, { group: { ...group, name: 'Sellers' }, memberIds: new Set(['m-a', 'm-b']) }),
    ).toEqual([expect.objectContaining({ kind: 'renameGroup', name: 'Sales' })]);
  });
  it('grants missing members and revokes grants made on the workspace side', () => {
    const changes = planGroup(desired, { group, memberIds: new Set(['m-a', 'm-x']) });
    expect(changes).toEqual([
      expect.objectContaining({ kind: 'revoke', memberId: 'm-x' }),
      expect.objectContaining({ kind: 'grant', memberId: 'm-b' }),
    ]);
  });
  it('links an existing group of the same name and marks it managed', () => {
    const { workspaceGroupId: _, ...unlinked } = desired;
    const changes = planGroup(unlinked, {
      group: { ...group, managed: false },
      memberIds: new Set(['m-a', 'm-b']),
    });
    expect(changes).toEqual([
      expect.objectContaining({ kind: 'markGroupManaged', workspaceGroupId: 'wg-1' }),
    ]);
  });
  it('never touches the Everyone group', () => {
    const everyone: GroupEntitlement = {
      kind: 'group',
      id: 'everyone',
      name: 'Everyone',
      managed: false,
      everyone: true,
    };
    expect(planGroup({ ...desired, name: 'Everyone' }, { group: everyone, memberIds: new Set() })).toEqual(
      [],
    );
  });
});
