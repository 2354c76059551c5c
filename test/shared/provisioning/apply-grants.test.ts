import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applyChange } from '../../../shared/provisioning/apply-change';
import { applyGrantBatch } from '../../../shared/provisioning/apply-grants';
import type { ApplyBatchFn } from '../../../shared/provisioning/apply-grants';
import { applyGroupPlan } from '../../../shared/provisioning/apply-plan';
import type { ApplyChangeFn } from '../../../shared/provisioning/apply-plan';
import type { DesiredGroup } from '../../../shared/provisioning/change';
import { countingDb } from '../../../shared/store/counting-db';
import { createBuiltinWorkspace } from '../../../shared/workspace/builtin/create-builtin-workspace';
import { readAll } from '../../../shared/workspace/port';
import { testDb } from '../../support/db';

async function world(members: number) {
  const counting = countingDb(testDb());
  const workspace = await createBuiltinWorkspace(counting.db, `ws-${randomUUID().slice(0, 12)}`);
  const group = (await workspace.createGroup('Engineering')).groupId;
  const memberIds: string[] = [];
  for (let i = 0; i < members; i++) {
    const email = `m${i}@example.com`;
    memberIds.push((await workspace.provisionMember({ email, name: `M ${i}`, admin: false })).memberId);
  }
  const apply: ApplyChangeFn = (change) => applyChange(workspace, change);
  const applyBatch: ApplyBatchFn = (changes) => applyGrantBatch(workspace, changes, apply);
  const desired = (ids: string[]): DesiredGroup => ({
    groupId: 'scim-group',
    workspaceGroupId: group,
    name: 'Engineering',
    memberIds: new Set(ids),
  });
  const granted = async () => (await readAll((page) => workspace.readGroupMembers(group, page))).sort();
  counting.reset();
  return { counting, workspace, group, memberIds, apply, applyBatch, desired, granted };
}

describe('grants of one group applied as a batch', () => {
  it('a PATCH adding 20 members is one workspace transaction instead of 20, with an outcome per member', async () => {
    const { counting, memberIds, apply, applyBatch, desired, granted } = await world(20);
    const delta = { added: memberIds, removed: [] };

    const result = await applyGroupPlan(apply, desired(memberIds), 'unknown', delta, applyBatch);
    expect(result.status).toBe('applied');
    expect(result.applied.map((change) => (change.kind === 'grant' ? change.memberId : ''))).toEqual(
      memberIds,
    );
    expect(counting.stats.byCommand).toEqual({ TransactWriteCommand: 1 });
    expect(await granted()).toEqual([...memberIds].sort());

    // The same plan applied one change at a time, for the comparison the batch exists for.
    counting.reset();
    const single = await applyGroupPlan(apply, desired(memberIds), 'unknown', delta);
    expect(single.applied).toHaveLength(20);
    expect(counting.stats.byCommand).toEqual({ TransactWriteCommand: 20 });
  });

  it('revokes the removed members in one transaction', async () => {
    const { counting, workspace, group, memberIds, apply, applyBatch, desired, granted } = await world(5);
    await workspace.grantMembers(group, memberIds);
    counting.reset();
    const removed = memberIds.slice(0, 3);
    const result = await applyGroupPlan(
      apply,
      desired(memberIds.slice(3)),
      'unknown',
      { added: [], removed },
      applyBatch,
    );
    expect(result.status).toBe('applied');
    expect(result.applied.map((change) => change.kind)).toEqual(['revoke', 'revoke', 'revoke']);
    // One transaction: the group's ownership check and the three grants with their reverse items.
    expect(counting.stats.byCommand).toEqual({ TransactWriteCommand: 1 });
    expect(await granted()).toEqual(memberIds.slice(3).sort());
  });

  it('a failed batch is retried member by member, so the failure is reported on its own change', async () => {
    const { workspace, memberIds, apply, applyBatch, desired, granted } = await world(3);
    const [ada, bob, cy] = memberIds as [string, string, string];
    await workspace.deactivateMember(bob);

    const result = await applyGroupPlan(
      apply,
      desired(memberIds),
      'unknown',
      { added: memberIds, removed: [] },
      applyBatch,
    );
    // Exactly what applying one by one reports: ada applied, bob refused, cy not attempted.
    expect(result.status).toBe('rejected');
    expect(result.error).toBe('workspace refused grant: member_inactive (HTTP 409)');
    expect(result.applied.map((change) => (change.kind === 'grant' ? change.memberId : ''))).toEqual([ada]);
    expect(await granted()).toEqual([ada]);
    expect(await granted()).not.toContain(cy);
  });

  it('a single grant does not go through the batch call', async () => {
    const { counting, memberIds, apply, desired } = await world(1);
    let batches = 0;
    const applyBatch: ApplyBatchFn = async (changes) => {
      batches++;
      return changes.map(() => ({ status: 'applied' }));
    };
    const result = await applyGroupPlan(
      apply,
      desired(memberIds),
      'unknown',
      { added: memberIds, removed: [] },
      applyBatch,
    );
    expect(result.applied).toHaveLength(1);
    expect(batches).toBe(0);
    expect(counting.stats.byCommand).toEqual({ TransactWriteCommand: 1 });
  });
});
