/**
 * Chooses the key a filtered GET reads its candidates from. A filter qualifies when it requires an
 * `eq` on an indexed attribute: the comparison alone, or one conjunct of an `and` (at any depth).
 * The caller fetches by that key and still evaluates the whole filter on what it gets, so any
 * conjunct that narrows to a superset of the matches will do; `or` and `not` do not qualify.
 *
 * These are the lookups real clients make: Okta `userName eq` and `displayName eq`; Entra
 * `externalId eq` (sometimes unquoted), `emails[type eq "work"].value eq` and `and` of those.
 */
import type { AttrPath, ComparisonValue, Filter } from './filter-ast';
import type { ResourceTypeName } from './schemas/attribute';
import { resolveAttribute, schemasFor } from './schemas/registry';

export type IndexedAttribute = 'id' | 'userName' | 'externalId' | 'emails' | 'displayName';

export interface IndexedLookup {
  attribute: IndexedAttribute;
  value: string;
}

/** Most selective first: an id names one resource, an email may be shared by several. */
const INDEXED: Record<ResourceTypeName, IndexedAttribute[]> = {
  User: ['id', 'userName', 'externalId', 'emails'],
  Group: ['id', 'displayName', 'externalId'],
};

export function indexedLookup(resourceType: ResourceTypeName, filter: Filter): IndexedLookup | undefined {
  const found = conjuncts(filter).flatMap((term) => {
    const lookup = lookupOf(resourceType, term);
    return lookup ? [lookup] : [];
  });
  const order = INDEXED[resourceType];
  found.sort((a, b) => order.indexOf(a.attribute) - order.indexOf(b.attribute));
  return found[0];
}

function conjuncts(filter: Filter): Filter[] {
  return filter.kind === 'and' ? [...conjuncts(filter.left), ...conjuncts(filter.right)] : [filter];
}

function lookupOf(resourceType: ResourceTypeName, term: Filter): IndexedLookup | undefined {
  if (term.kind === 'compare') {
    if (term.op !== 'eq') return undefined;
    const attribute = indexedAttribute(resourceType, term.path);
    const value = keyValue(term.value);
    if (attribute === undefined || value === undefined) return undefined;
    return { attribute, value };
  }
  // `emails[type eq "work"].value eq "x"` parses as emails[type eq "work" and value eq "x"].
  if (term.kind === 'valuePath' && indexedAttribute(resourceType, term.path) === 'emails') {
    for (const inner of conjuncts(term.filter)) {
      if (inner.kind !== 'compare' || inner.op !== 'eq') continue;
      const value = keyValue(inner.value);
      if (value !== undefined && inner.path.uri === undefined && inner.path.sub === undefined) {
        if (inner.path.name.toLowerCase() === 'value') return { attribute: 'emails', value };
      }
    }
  }
  return undefined;
}

function indexedAttribute(resourceType: ResourceTypeName, path: AttrPath): IndexedAttribute | undefined {
  const resolved = resolveAttribute(resourceType, path);
  if (!resolved || resolved.schema !== schemasFor(resourceType)[0]?.id) return undefined;
  const name = resolved.definition.name as IndexedAttribute;
  if (!INDEXED[resourceType].includes(name)) return undefined;
  if (name === 'emails') {
    // `emails eq "x"` compares the value sub-attribute (RFC 7644 §3.4.2.2), like `emails.value eq "x"`.
    return resolved.sub === undefined || resolved.sub.name === 'value' ? name : undefined;
  }
  return resolved.sub === undefined ? name : undefined;
}

/** Entra's unquoted values may read as numbers (`externalId eq 1234`): the key is the text. */
function keyValue(value: ComparisonValue): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
