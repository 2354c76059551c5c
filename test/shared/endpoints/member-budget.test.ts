/**
 * What one response may carry of a group's members (member-budget.ts): refused with 400 tooMany,
 * naming excludedAttributes=members, by the stored count before any read and by the rendered size.
 */
import { describe, expect, it } from 'vitest';
import {
  MEMBERS_PER_RESPONSE,
  RESPONSE_BUDGET_BYTES,
  assertMembersFit,
  assertRenderedFits,
} from '../../../shared/endpoints/member-budget';
import { ScimError } from '../../../shared/scim/error';
import type { GroupRecord } from '../../../shared/store/record';

const group = (id: string, memberCount: number): GroupRecord => ({
  connectionId: 'c',
  id,
  displayName: id,
  body: {},
  memberCount,
  meta: { created: '2026-12-01T00:00:00Z', lastModified: '2026-12-01T00:00:00Z', version: 1 },
  apply: { status: 'applied', appliedVersion: 1, attempts: 0 },
});

function refusal(run: () => void): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('the member budget of a response', () => {
  it('lets a group at the budget through and refuses one member more, naming the way out', () => {
    expect(() => assertMembersFit([group('g1', MEMBERS_PER_RESPONSE)])).not.toThrow();
    const error = refusal(() => assertMembersFit([group('g1', MEMBERS_PER_RESPONSE + 1)]));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('tooMany');
    expect(error.message).toContain(`Group g1 has ${MEMBERS_PER_RESPONSE + 1} members`);
    expect(error.message).toContain('excludedAttributes=members');
  });

  it('counts every group of a list page together', () => {
    const page = [group('a', MEMBERS_PER_RESPONSE / 2), group('b', MEMBERS_PER_RESPONSE / 2 + 1)];
    expect(refusal(() => assertMembersFit(page)).message).toContain('These 2 groups have');
    expect(() => assertMembersFit([group('a', 10), group('b', 20)])).not.toThrow();
  });

  it('refuses a rendered body over the byte budget (very long userNames), and passes one under it', () => {
    const display = 'x'.repeat(1000);
    const members = Array.from({ length: Math.ceil(RESPONSE_BUDGET_BYTES / 1000) }, (_, i) => ({
      value: String(i),
      display,
    }));
    expect(refusal(() => assertRenderedFits({ id: 'g', members })).scimType).toBe('tooMany');
    expect(() => assertRenderedFits({ id: 'g', members: members.slice(0, 100) })).not.toThrow();
  });
});
