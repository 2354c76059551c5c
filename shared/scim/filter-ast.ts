/**
 * The abstract syntax of SCIM filters and attribute paths (RFC 7644 §3.4.2.2 and §3.5.2). Names are
 * kept as written; lookups against the schema are case-insensitive.
 */
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'lt' | 'ge' | 'le';
export type ComparisonValue = string | number | boolean | null;

/** `[uri:]name[.sub]`, for example `urn:…:enterprise:2.0:User:manager.value` or `name.givenName`. */
export interface AttrPath {
  /** The schema URN prefix, when written. */
  uri?: string;
  name: string;
  sub?: string;
}

export type Filter =
  | { kind: 'compare'; path: AttrPath; op: CompareOp; value: ComparisonValue }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'and'; left: Filter; right: Filter }
  | { kind: 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  /** `emails[type eq "work" and primary eq true]`: the inner filter applies to each value. */
  | { kind: 'valuePath'; path: AttrPath; filter: Filter };

/** A PATCH `path` (RFC 7644 §3.5.2): `attrPath`, or `attrPath[valFilter]` with an optional `.subAttr`. */
export interface PatchPath {
  attr: AttrPath;
  filter?: Filter;
  subAttr?: string;
}
