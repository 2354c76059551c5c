/**
 * Normalises a resource body sent by a client (POST, PUT, or the result of a PATCH) against the
 * schemas of its resource type: canonical attribute names, extension attributes under their URN,
 * `schemas` recomputed, read-only and write-only attributes dropped, and values type-checked.
 */
import { ScimError } from './error';
import { isJsonObject } from './json';
import type { JsonObject, JsonValue } from './json';
import type { AttributeDefinition, ResourceTypeName, SchemaDefinition } from './schemas/attribute';
import { findAttribute, resolveAttribute, schemasFor } from './schemas/registry';

export const MAX_STRING_LENGTH = 2048;
export const MAX_VALUES = 100;

/**
 * `defaults` fills core attributes the client left out (`active` defaults to true). Required
 * attributes that end up absent are a 400 `invalidValue`.
 */
export function normalizeResourceBody(
  resourceType: ResourceTypeName,
  input: JsonValue,
  defaults: JsonObject = {},
): JsonObject {
  if (!isJsonObject(input)) {
    throw ScimError.badRequest('invalidSyntax', 'The request body must be a JSON object.');
  }
  const schemas = schemasFor(resourceType);
  const raw = new Map<string, Map<string, RawEntry>>(schemas.map((schema) => [schema.id, new Map()]));
  for (const [key, value] of Object.entries(input)) {
    // The server states the schemas; clients send stale (OneLogin's core 1.0) or foreign URNs
    // (Entra's ADSCIM Group), which RFC 7643 §3 gives no meaning beyond the attributes present.
    if (key.toLowerCase() === 'schemas') continue;
    const extension = schemas.slice(1).find((schema) => sameName(schema.id, key));
    if (extension === undefined) {
      collect(resourceType, raw, { name: key }, value, key);
    } else if (value !== null) {
      if (!isJsonObject(value)) throw invalidValue(`${extension.id} must be an object.`);
      for (const [name, inner] of Object.entries(value)) {
        collect(resourceType, raw, { uri: extension.id, name }, inner, `${extension.id}:${name}`);
      }
    }
  }
  return render(schemas, raw, defaults);
}

interface RawEntry {
  definition: AttributeDefinition;
  value: JsonValue;
}

function collect(
  resourceType: ResourceTypeName,
  raw: Map<string, Map<string, RawEntry>>,
  path: { uri?: string; name: string },
  value: JsonValue,
  label: string,
): void {
  const resolved = resolveAttribute(resourceType, path);
  if (resolved === undefined) throw ScimError.badRequest('invalidSyntax', `Unknown attribute "${label}".`);
  const { definition, sub } = resolved;
  if (ignored(definition) || (sub !== undefined && ignored(sub))) return;
  const attributes = raw.get(resolved.schema);
  if (attributes === undefined) return;
  const existing = attributes.get(definition.name);
  if (sub === undefined) {
    if (existing !== undefined) throw duplicate(label);
    attributes.set(definition.name, { definition, value });
    return;
  }
  // `name.givenName` as a key: Entra writes path-less PATCH values this way.
  if (definition.multiValued) {
    throw ScimError.badRequest('invalidSyntax', `"${label}" cannot address a multi-valued attribute.`);
  }
  const parent = existing === undefined ? {} : existing.value;
  if (!isJsonObject(parent)) throw duplicate(label);
  if (Object.keys(parent).some((key) => sameName(key, sub.name))) throw duplicate(label);
  attributes.set(definition.name, { definition, value: { ...parent, [sub.name]: value } });
}

function render(
  schemas: SchemaDefinition[],
  raw: Map<string, Map<string, RawEntry>>,
  defaults: JsonObject,
): JsonObject {
  const [core, ...extensions] = schemas;
  if (core === undefined) throw new Error('A resource type needs a core schema.');
  const coreBody = renderSchema(core, raw.get(core.id), defaults);
  const present = extensions.flatMap((schema) => {
    const body = renderSchema(schema, raw.get(schema.id), {});
    return Object.keys(body).length > 0 ? [[schema.id, body] as const] : [];
  });
  return {
    schemas: [core.id, ...present.map(([id]) => id)],
    ...coreBody,
    ...Object.fromEntries(present),
  };
}

function renderSchema(
  schema: SchemaDefinition,
  entries: Map<string, RawEntry> | undefined,
  defaults: JsonObject,
): JsonObject {
  const body: JsonObject = {};
  for (const definition of schema.attributes) {
    const entry = entries?.get(definition.name);
    const value = entry === undefined ? undefined : normalizeValue(definition, entry.value, definition.name);
    const chosen = value ?? defaults[definition.name];
    if (chosen !== undefined) body[definition.name] = chosen;
    else if (definition.required && definition.mutability !== 'readOnly') {
      throw invalidValue(`${definition.name} is required.`);
    }
  }
  return body;
}

/** Null means absent (RFC 7643 §2.5), and so does an empty multi-valued or complex value. */
function normalizeValue(
  definition: AttributeDefinition,
  value: JsonValue,
  label: string,
): JsonValue | undefined {
  if (value === null) return undefined;
  if (!definition.multiValued) {
    if (Array.isArray(value)) throw invalidValue(`${label} must be a single value.`);
    return normalizeSingle(definition, value, label);
  }
  // OneLogin templates send a single email object where an array belongs.
  const items = Array.isArray(value) ? value : [value];
  if (items.length > MAX_VALUES) throw invalidValue(`${label} has more than ${MAX_VALUES} values.`);
  const normalized = items.flatMap((item, index) => {
    const single = item === null ? undefined : normalizeSingle(definition, item, `${label}[${index}]`);
    return single === undefined ? [] : [single];
  });
  const primaries = normalized.filter((item) => isJsonObject(item) && item.primary === true).length;
  if (primaries > 1) throw invalidValue(`At most one value of ${label} may be primary.`);
  return normalized.length > 0 ? normalized : undefined;
}

function normalizeSingle(
  definition: AttributeDefinition,
  value: JsonValue,
  label: string,
): JsonValue | undefined {
  switch (definition.type) {
    case 'complex':
      return normalizeComplex(definition, value, label);
    case 'boolean':
      return normalizeBoolean(value, label);
    case 'integer':
    case 'decimal':
      if (typeof value !== 'number' || (definition.type === 'integer' && !Number.isInteger(value))) {
        throw invalidValue(`${label} must be ${definition.type === 'integer' ? 'an integer' : 'a number'}.`);
      }
      return value;
    default:
      if (typeof value !== 'string') throw invalidValue(`${label} must be a string.`);
      if (value.length > MAX_STRING_LENGTH) {
        throw invalidValue(`${label} is longer than ${MAX_STRING_LENGTH} characters.`);
      }
      return value;
  }
}

function normalizeComplex(
  definition: AttributeDefinition,
  value: JsonValue,
  label: string,
): JsonValue | undefined {
  if (!isJsonObject(value)) throw invalidValue(`${label} must be an object.`);
  const given = new Map<string, { sub: AttributeDefinition; value: JsonValue }>();
  for (const [key, item] of Object.entries(value)) {
    const sub = findAttribute(definition.subAttributes ?? [], key);
    if (sub === undefined)
      throw ScimError.badRequest('invalidSyntax', `Unknown attribute "${label}.${key}".`);
    if (given.has(sub.name)) throw duplicate(`${label}.${key}`);
    given.set(sub.name, { sub, value: item });
  }
  const body: JsonObject = {};
  for (const sub of definition.subAttributes ?? []) {
    const entry = given.get(sub.name);
    if (entry === undefined || ignored(sub)) continue;
    const normalized = normalizeValue(sub, entry.value, `${label}.${sub.name}`);
    if (normalized !== undefined) body[sub.name] = normalized;
  }
  return Object.keys(body).length > 0 ? body : undefined;
}

// OneLogin templates send `"active": "true"`; Entra without aadOptscim062020 sends `"False"`.
function normalizeBoolean(value: JsonValue, label: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  throw invalidValue(`${label} must be a boolean.`);
}

/**
 * Read-only attributes are the server's to state (clients echo `id`, `meta`, `groups: []`), and
 * write-only ones (`password`) are never stored: both are dropped, as RFC 7644 §3.5.1 allows.
 */
function ignored(definition: AttributeDefinition): boolean {
  return definition.mutability === 'readOnly' || definition.mutability === 'writeOnly';
}

function invalidValue(detail: string): ScimError {
  return ScimError.badRequest('invalidValue', detail);
}

function duplicate(label: string): ScimError {
  return ScimError.badRequest('invalidSyntax', `Attribute "${label}" is given more than once.`);
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
