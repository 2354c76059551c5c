/**
 * The `attributes` and `excludedAttributes` parameters (RFC 7644 §3.4.2.5, §3.9) applied to a
 * rendered resource, with the `returned` characteristic of each attribute (RFC 7643 §7): `always`
 * survives exclusion, `never` is never served, `request` only when named in `attributes`.
 * When both parameters are given, `attributes` decides, as it names the exact set wanted.
 */
import { isJsonObject } from './json';
import type { JsonObject, JsonValue } from './json';
import type { AttributeDefinition, ResourceTypeName, SchemaDefinition } from './schemas/attribute';
import { findAttribute, resolveAttribute, schemasFor } from './schemas/registry';

export interface ProjectionParams {
  attributes?: string[];
  excludedAttributes?: string[];
}

/** Per attribute (`schema|name`, lower-cased): the whole attribute, or only some sub-attributes. */
type Selection = Map<string, 'all' | Set<string>>;

export function project(
  resourceType: ResourceTypeName,
  resource: JsonObject,
  params: ProjectionParams,
): JsonObject {
  const schemas = schemasFor(resourceType);
  const [core, ...extensions] = schemas;
  const include = params.attributes?.length ? selection(resourceType, params.attributes) : undefined;
  const exclude = selection(resourceType, params.excludedAttributes ?? []);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas') {
      out[key] = value;
      continue;
    }
    const extension = extensions.find((schema) => sameName(schema.id, key));
    if (extension !== undefined) {
      if (!isJsonObject(value)) continue;
      const inner = projectObject(extension, value, include, exclude);
      if (Object.keys(inner).length > 0) out[key] = inner;
      continue;
    }
    if (core === undefined) continue;
    const definition = findAttribute(core.attributes, key);
    if (definition === undefined) {
      if (include === undefined) out[key] = value;
      continue;
    }
    const projected = projectAttribute(core.id, definition, value, include, exclude);
    if (projected !== undefined) out[key] = projected;
  }
  return out;
}

/**
 * Whether `name` (a top-level attribute) will be in the projected resource, so callers can skip
 * loading what they will not return (a Group's members, a User's groups).
 */
export function requestsAttribute(
  resourceType: ResourceTypeName,
  params: ProjectionParams,
  name: string,
): boolean {
  const resolved = resolveAttribute(resourceType, { name });
  if (resolved === undefined) return false;
  const { schema, definition } = resolved;
  if (definition.returned === 'never') return false;
  if (definition.returned === 'always') return true;
  const key = selectionKey(schema, definition.name);
  if (params.attributes?.length) return selection(resourceType, params.attributes).has(key);
  if (definition.returned === 'request') return false;
  return selection(resourceType, params.excludedAttributes ?? []).get(key) !== 'all';
}

function projectObject(
  schema: SchemaDefinition,
  value: JsonObject,
  include: Selection | undefined,
  exclude: Selection,
): JsonObject {
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const definition = findAttribute(schema.attributes, key);
    if (definition === undefined) continue;
    const projected = projectAttribute(schema.id, definition, item, include, exclude);
    if (projected !== undefined) out[key] = projected;
  }
  return out;
}

function projectAttribute(
  schema: string,
  definition: AttributeDefinition,
  value: JsonValue,
  include: Selection | undefined,
  exclude: Selection,
): JsonValue | undefined {
  if (definition.returned === 'never') return undefined;
  if (definition.returned === 'always') return value;
  const key = selectionKey(schema, definition.name);
  if (include !== undefined) {
    const chosen = include.get(key);
    if (chosen === undefined) return undefined;
    return chosen === 'all' ? value : filterSubAttributes(value, (sub) => chosen.has(sub.toLowerCase()));
  }
  if (definition.returned === 'request') return undefined;
  const excluded = exclude.get(key);
  if (excluded === 'all') return undefined;
  return excluded === undefined
    ? value
    : filterSubAttributes(value, (sub) => !excluded.has(sub.toLowerCase()));
}

/** Applies to a complex value, or to each value of a multi-valued complex attribute. */
function filterSubAttributes(value: JsonValue, keep: (sub: string) => boolean): JsonValue | undefined {
  const filterOne = (item: JsonValue): JsonValue | undefined => {
    if (!isJsonObject(item)) return item;
    const kept = Object.fromEntries(Object.entries(item).filter(([sub]) => keep(sub)));
    return Object.keys(kept).length > 0 ? kept : undefined;
  };
  if (!Array.isArray(value)) return filterOne(value);
  const items = value.flatMap((item) => {
    const kept = filterOne(item);
    return kept === undefined ? [] : [kept];
  });
  return items.length > 0 ? items : undefined;
}

/**
 * Names that resolve to no attribute are ignored: RFC 7644 gives no error for them, and clients
 * ask for attributes of schemas they assume (Entra asks for `members` on every Group lookup).
 */
function selection(resourceType: ResourceTypeName, names: string[]): Selection {
  const selected: Selection = new Map();
  const schemas = schemasFor(resourceType);
  for (const name of names) {
    // A bare schema URN selects all of that schema's attributes.
    const schema = schemas.find((candidate) => sameName(candidate.id, name));
    if (schema !== undefined) {
      for (const definition of schema.attributes)
        selected.set(selectionKey(schema.id, definition.name), 'all');
      continue;
    }
    const resolved = resolveAttribute(resourceType, { name });
    if (resolved === undefined) continue;
    const key = selectionKey(resolved.schema, resolved.definition.name);
    const current = selected.get(key);
    if (resolved.sub === undefined) selected.set(key, 'all');
    else if (current !== 'all') {
      selected.set(key, new Set([...(current ?? []), resolved.sub.name.toLowerCase()]));
    }
  }
  return selected;
}

function selectionKey(schema: string, name: string): string {
  return `${schema}|${name}`.toLowerCase();
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
