import { describe, expect, it } from 'vitest';
import { listResponse } from '../../../shared/scim/list-response';

describe('listResponse', () => {
  it('shapes a ListResponse with numbers and Resources', () => {
    const body = listResponse([{ id: 'a' }, { id: 'b' }], 12, 3);
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 12,
      startIndex: 3,
      itemsPerPage: 2,
      Resources: [{ id: 'a' }, { id: 'b' }],
    });
  });

  it('answers an empty page with zero results, not an error', () => {
    expect(listResponse([], 0, 1)).toMatchObject({ totalResults: 0, itemsPerPage: 0, Resources: [] });
  });
});
