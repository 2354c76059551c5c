/**
 * GET on a collection (RFC 7644 §3.4.2): a filter served from a key or an index when it names one
 * (`userName eq …`, alone or inside an `and`), otherwise evaluated over a bounded candidate set, or
 * refused with 400 tooMany. Never an unbounded scan, never a silently partial result.
 */
import { ScimError } from '../scim/error';
import { MAX_FILTER_VALUE_BYTES } from '../scim/resource-id';
import { parseFilter } from '../scim/filter';
import type { Filter } from '../scim/filter-ast';
import { matchesFilter } from '../scim/filter-match';
import { indexedLookup } from '../scim/filter-plan';
import type { IndexedLookup } from '../scim/filter-plan';
import type { JsonObject } from '../scim/json';
import type { ListRequest } from '../scim/list-request';
import type { ResourceTypeName } from '../scim/schemas/attribute';
import type { Page } from '../store/link-store';
import { LIMITS } from './context';

export interface Collection<R> {
  resourceType: ResourceTypeName;
  /** Candidates for an indexed lookup (a superset of the matches is fine; none is an empty list). */
  lookup(lookup: IndexedLookup): Promise<R[]>;
  page(startIndex: number, count: number): Promise<Page<R>>;
  count(): Promise<number>;
  /** The resource as filters see it (without derived multi-valued attributes). */
  view(record: R): JsonObject;
}

export interface QueryResult<R> {
  records: R[];
  totalResults: number;
}

const CANDIDATE_PAGE = 200;

export async function queryCollection<R>(
  collection: Collection<R>,
  list: ListRequest,
): Promise<QueryResult<R>> {
  if (list.filter === undefined) {
    const page = await collection.page(list.startIndex, list.count);
    return { records: page.items, totalResults: page.totalResults };
  }
  const filter = parseFilter(list.filter);
  refuseDerivedAttributes(collection.resourceType, filter);
  const lookup = indexedLookup(collection.resourceType, filter);
  if (lookup && Buffer.byteLength(lookup.value, 'utf8') > MAX_FILTER_VALUE_BYTES) {
    throw ScimError.badRequest(
      'invalidFilter',
      `The filter value is longer than ${MAX_FILTER_VALUE_BYTES} bytes; no identifier is that long.`,
    );
  }
  const candidates = lookup ? await collection.lookup(lookup) : await boundedCandidates(collection);
  const matches = candidates.filter((record) =>
    matchesFilter(collection.resourceType, collection.view(record), filter),
  );
  const start = list.startIndex - 1;
  return { records: matches.slice(start, start + list.count), totalResults: matches.length };
}

async function boundedCandidates<R>(collection: Collection<R>): Promise<R[]> {
  const total = await collection.count();
  if (total > LIMITS.unindexedFilterCandidates) {
    throw ScimError.badRequest(
      'tooMany',
      `This filter can only be served by examining all ${total} resources; filter with eq on an indexed ` +
        `attribute (${collection.resourceType === 'User' ? 'id, userName, externalId or emails.value' : 'id, displayName or externalId'}).`,
    );
  }
  const all: R[] = [];
  for (let start = 1; start <= total; start += CANDIDATE_PAGE) {
    const page = await collection.page(start, CANDIDATE_PAGE);
    all.push(...page.items);
    if (page.items.length < CANDIDATE_PAGE) break;
  }
  return all;
}

/**
 * `groups` on a User and `members` on a Group are kept as membership items, not in the resource
 * body, so a filter on them could not be answered correctly from the body: refuse it plainly.
 */
function refuseDerivedAttributes(resourceType: ResourceTypeName, filter: Filter): void {
  const derived = resourceType === 'User' ? 'groups' : 'members';
  const visit = (node: Filter): void => {
    switch (node.kind) {
      case 'and':
      case 'or':
        visit(node.left);
        visit(node.right);
        return;
      case 'not':
        visit(node.filter);
        return;
      default:
        if (node.path.name.toLowerCase() === derived) {
          throw ScimError.badRequest('invalidFilter', `Filtering on ${derived} is not supported.`);
        }
    }
  };
  visit(filter);
}
