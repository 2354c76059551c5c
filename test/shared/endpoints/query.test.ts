import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../shared/endpoints/context';
import { queryCollection } from '../../../shared/endpoints/query';
import type { Collection } from '../../../shared/endpoints/query';
import { ScimError } from '../../../shared/scim/error';
import type { JsonObject } from '../../../shared/scim/json';
import type { ListRequest } from '../../../shared/scim/list-request';

interface FakeUser {
  id: string;
  userName: string;
  title: string;
}

/** A collection of `total` users that records which pages were read. */
function fakeUsers(total: number) {
  const pagesRead: [number, number][] = [];
  const lookups: string[] = [];
  const all = Array.from({ length: total }, (_, i) => ({
    id: `u${i}`,
    userName: `user${i}@example.com`,
    title: i % 2 === 0 ? 'even' : 'odd',
  }));
  const collection: Collection<FakeUser> = {
    resourceType: 'User',
    async lookup({ attribute, value }) {
      lookups.push(`${attribute}=${value}`);
      return all.filter((u) => u.userName === value.toLowerCase());
    },
    async page(startIndex, count) {
      pagesRead.push([startIndex, count]);
      return { items: all.slice(startIndex - 1, startIndex - 1 + count), totalResults: total };
    },
    async count() {
      return total;
    },
    view: (u): JsonObject => ({ id: u.id, userName: u.userName, title: u.title }),
  };
  return { collection, pagesRead, lookups };
}

const list = (filter: string, startIndex = 1, count = 100): ListRequest => ({ filter, startIndex, count });

async function refusal(promise: Promise<unknown>): Promise<ScimError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('queryCollection', () => {
  it('refuses an unindexed filter with 400 tooMany above the candidate limit, reading no page', async () => {
    const { collection, pagesRead } = fakeUsers(LIMITS.unindexedFilterCandidates + 1);
    const error = await refusal(queryCollection(collection, list('title eq "even"')));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('tooMany');
    expect(error.detail).toContain('userName');
    expect(pagesRead).toEqual([]);
  });

  it('evaluates an unindexed filter over every candidate at exactly the limit', async () => {
    const { collection, pagesRead } = fakeUsers(LIMITS.unindexedFilterCandidates);
    const result = await queryCollection(collection, list('title eq "odd"', 11, 5));
    expect(result.totalResults).toBe(LIMITS.unindexedFilterCandidates / 2);
    expect(result.records.map((u) => u.id)).toEqual(['u21', 'u23', 'u25', 'u27', 'u29']);
    const read = pagesRead.reduce((sum, [, count]) => sum + count, 0);
    expect(read).toBeGreaterThanOrEqual(LIMITS.unindexedFilterCandidates);
  });

  it('serves an indexed eq from the lookup even above the limit, without counting or paging', async () => {
    const { collection, pagesRead, lookups } = fakeUsers(LIMITS.unindexedFilterCandidates + 500);
    const result = await queryCollection(collection, list('userName eq "USER2100@example.com"'));
    expect(result.records.map((u) => u.id)).toEqual(['u2100']);
    expect(result.totalResults).toBe(1);
    expect(lookups).toEqual(['userName=USER2100@example.com']);
    expect(pagesRead).toEqual([]);
  });

  it('an indexed eq inside an and still filters the rest over the candidates', async () => {
    const { collection } = fakeUsers(LIMITS.unindexedFilterCandidates + 500);
    const hit = await queryCollection(
      collection,
      list('userName eq "user2100@example.com" and title eq "even"'),
    );
    expect(hit.totalResults).toBe(1);
    const miss = await queryCollection(
      collection,
      list('userName eq "user2100@example.com" and title eq "odd"'),
    );
    expect(miss.totalResults).toBe(0);
  });

  it('refuses a filter on groups with invalidFilter before reading anything', async () => {
    const { collection, pagesRead, lookups } = fakeUsers(3);
    const error = await refusal(queryCollection(collection, list('groups.value eq "g1"')));
    expect(error.scimType).toBe('invalidFilter');
    expect([...pagesRead, ...lookups]).toEqual([]);
  });

  it('without a filter returns one page with the collection total', async () => {
    const { collection, pagesRead } = fakeUsers(30);
    const result = await queryCollection(collection, { startIndex: 11, count: 10 });
    expect(result.totalResults).toBe(30);
    expect(result.records[0]?.id).toBe('u10');
    expect(pagesRead).toEqual([[11, 10]]);
  });
});
