/** The query parameters of a list or search (RFC 7644 §3.4.2): paging, filter and projection. */
import { ScimError } from './error';

export interface ListRequest {
  /** 1-based. */
  startIndex: number;
  count: number;
  filter?: string;
  attributes?: string[];
  excludedAttributes?: string[];
}

/**
 * RFC 7644 §3.4.2.4: a startIndex below 1 means 1, a negative count means 0, and a count above the
 * server's maximum is reduced to it. A missing count means the maximum page. `sortBy`/`sortOrder`
 * are ignored (RFC 7644 §3.4.2.3 allows it; ServiceProviderConfig advertises sort unsupported).
 */
export function parseListRequest(query: Record<string, string | undefined>, maxResults: number): ListRequest {
  const params = lowerCaseKeys(query);
  const startIndex = integerParam(params, 'startIndex');
  const count = integerParam(params, 'count');
  const filter = params.get('filter')?.trim();
  const attributes = listParam(params, 'attributes');
  const excludedAttributes = listParam(params, 'excludedAttributes');
  return {
    startIndex: startIndex === undefined || startIndex < 1 ? 1 : startIndex,
    count: count === undefined ? maxResults : Math.min(Math.max(count, 0), maxResults),
    ...(filter ? { filter } : {}),
    ...(attributes ? { attributes } : {}),
    ...(excludedAttributes ? { excludedAttributes } : {}),
  };
}

// Clients vary the case of parameter names (`startindex`, `Count`) as they do attribute names.
function lowerCaseKeys(query: Record<string, string | undefined>): Map<string, string> {
  const params = new Map<string, string>();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key.toLowerCase(), value);
  }
  return params;
}

function integerParam(params: Map<string, string>, name: string): number | undefined {
  const raw = params.get(name.toLowerCase())?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!/^[+-]?\d+$/.test(raw)) {
    throw ScimError.badRequest('invalidValue', `${name} must be an integer, got "${raw}".`);
  }
  return Number(raw);
}

function listParam(params: Map<string, string>, name: string): string[] | undefined {
  const names = params
    .get(name.toLowerCase())
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  // RFC 7644 §3.4.2.5 names attributes, not value filters: `emails[type eq "work"]` would
  // otherwise be dropped without a word, so it is refused.
  const filtered = names?.find((item) => item.includes('['));
  if (filtered !== undefined) {
    throw ScimError.badRequest(
      'invalidFilter',
      `${name} takes attribute names; "${filtered}" carries a filter, which is not supported there (use filter=).`,
    );
  }
  return names && names.length > 0 ? names : undefined;
}
