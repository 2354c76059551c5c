import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../shared/scim/error';
import { parseListRequest } from '../../../shared/scim/list-request';

describe('parseListRequest', () => {
  it("parses Okta's paging", () => {
    expect(parseListRequest({ startIndex: '101', count: '100' }, 200)).toEqual({
      startIndex: 101,
      count: 100,
    });
  });

  it('defaults to the first page of the maximum size', () => {
    expect(parseListRequest({}, 100)).toEqual({ startIndex: 1, count: 100 });
  });

  it('clamps out-of-range values as RFC 7644 §3.4.2.4 says', () => {
    expect(parseListRequest({ startIndex: '0', count: '-5' }, 100)).toEqual({ startIndex: 1, count: 0 });
    expect(parseListRequest({ startIndex: '-3', count: '5000' }, 100)).toEqual({ startIndex: 1, count: 100 });
  });

  it('rejects non-numeric values with invalidValue', () => {
    for (const query of [{ count: 'ten' }, { startIndex: '1.5' }, { count: '1e3' }]) {
      expect(() => parseListRequest(query, 100)).toThrow(ScimError);
      try {
        parseListRequest(query, 100);
      } catch (error) {
        expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
      }
    }
  });

  it('reads parameter names case-insensitively', () => {
    expect(
      parseListRequest(
        { STARTINDEX: '3', Count: '2', Filter: 'userName eq "a"', ExcludedAttributes: 'members' },
        100,
      ),
    ).toEqual({ startIndex: 3, count: 2, filter: 'userName eq "a"', excludedAttributes: ['members'] });
  });

  it('splits attribute lists and drops empty entries', () => {
    expect(parseListRequest({ attributes: ' userName , name.givenName,,' }, 10).attributes).toEqual([
      'userName',
      'name.givenName',
    ]);
    expect(parseListRequest({ attributes: '' }, 10)).not.toHaveProperty('attributes');
  });

  it('ignores sortBy and sortOrder, and an empty filter', () => {
    expect(parseListRequest({ sortBy: 'userName', sortOrder: 'descending', filter: ' ' }, 10)).toEqual({
      startIndex: 1,
      count: 10,
    });
  });
});

describe('filters inside attributes', () => {
  it('are refused with 400 invalidFilter, never silently dropped', () => {
    for (const name of ['attributes', 'excludedAttributes']) {
      expect(() => parseListRequest({ [name]: 'userName,emails[type eq "work"]' }, 100)).toThrow(
        expect.objectContaining({ status: 400, scimType: 'invalidFilter' }),
      );
    }
  });
});
