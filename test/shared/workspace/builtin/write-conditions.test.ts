/**
 * The guards the built-in workspace's writes commit with: a bound connection writes only what it
 * owns, a grant needs an active member that the connection owns, and an unbound workspace (the
 * workspace itself) writes without an owner condition.
 */
import { describe, expect, it } from 'vitest';
import { keys } from '../../../../shared/workspace/builtin/keys';
import {
  expressionMaps,
  grantDeletes,
  grantPuts,
  groupWritable,
  memberActive,
  ownerCondition,
} from '../../../../shared/workspace/builtin/write-conditions';

describe('write conditions', () => {
  it('a bound connection writes on its own ownership; the workspace itself on existence', () => {
    expect(ownerCondition('okta')).toEqual({
      expression: '#owner = :actor',
      names: { '#owner': 'owner' },
      values: { ':actor': 'okta' },
    });
    expect(ownerCondition(undefined)).toEqual({ expression: 'attribute_exists(pk)', names: {}, values: {} });
  });

  it('a grant checks the group is the connection’s and the member active and the connection’s', () => {
    const group = groupWritable('t', 'ws', 'okta', 'g1').ConditionCheck;
    expect(group?.Key).toEqual(keys.group('ws', 'g1'));
    expect(group?.ConditionExpression).toBe('attribute_exists(pk) AND #owner = :actor');
    expect(group?.ExpressionAttributeValues).toEqual({ ':actor': 'okta' });

    const member = memberActive('t', 'ws', 'okta', 'm1').ConditionCheck;
    expect(member?.Key).toEqual(keys.member('ws', 'm1'));
    expect(member?.ConditionExpression).toBe('attribute_exists(pk) AND #state = :active AND #owner = :actor');
    expect(member?.ExpressionAttributeValues).toEqual({ ':active': 'active', ':actor': 'okta' });

    // Unbound: the member must still be active; no owner is asked for.
    const unbound = memberActive('t', 'ws', undefined, 'm1').ConditionCheck;
    expect(unbound?.ConditionExpression).toBe('attribute_exists(pk) AND #state = :active');
    expect(unbound?.ExpressionAttributeValues).toEqual({ ':active': 'active' });
  });

  it('a revoke of a group that may be gone still refuses another connection’s group', () => {
    const bound = groupWritable('t', 'ws', 'okta', 'g1', { mayBeGone: true }).ConditionCheck;
    expect(bound?.ConditionExpression).toBe('attribute_not_exists(pk) OR #owner = :actor');
    const unbound = groupWritable('t', 'ws', undefined, 'g1', { mayBeGone: true }).ConditionCheck;
    expect(unbound?.ConditionExpression).toBe('attribute_not_exists(pk) OR attribute_exists(pk)');
    expect(unbound?.ExpressionAttributeNames).toBeUndefined();
  });

  it('a grant is two items, written and deleted together; unmigrated, its old key is deleted too', () => {
    expect(keys.grant('ws', 'g1', 'm1')).toEqual({ pk: 'W#ws#grants#g1', sk: 'm1' });
    expect(keys.legacyGrant('ws', 'g1', 'm1')).toEqual({ pk: 'W#ws#grants', sk: 'g1#m1' });
    expect(grantPuts('t', 'ws', 'g1', 'm1').map((item) => item.Put?.Item)).toEqual([
      { ...keys.grant('ws', 'g1', 'm1'), groupId: 'g1', memberId: 'm1' },
      { ...keys.memberGrant('ws', 'm1', 'g1'), groupId: 'g1', memberId: 'm1' },
    ]);
    expect(grantDeletes('t', 'ws', 'g1', 'm1', 2).map((item) => item.Delete?.Key)).toEqual([
      keys.grant('ws', 'g1', 'm1'),
      keys.memberGrant('ws', 'm1', 'g1'),
    ]);
    expect(grantDeletes('t', 'ws', 'g1', 'm1', 1).map((item) => item.Delete?.Key)).toEqual([
      keys.grant('ws', 'g1', 'm1'),
      keys.memberGrant('ws', 'm1', 'g1'),
      keys.legacyGrant('ws', 'g1', 'm1'),
    ]);
  });

  it('sends no empty expression maps (DynamoDB refuses them)', () => {
    expect(expressionMaps({}, {})).toEqual({});
    expect(expressionMaps({ '#a': 'a' }, {})).toEqual({ ExpressionAttributeNames: { '#a': 'a' } });
  });
});
