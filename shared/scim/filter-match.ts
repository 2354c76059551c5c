/**
 * Evaluates a SCIM filter (RFC 7644 §3.4.2.2) on a rendered resource: `id`, `meta` and core
 * attributes at the top level, extension attributes under their schema URN.
 *
 * A filter is compiled once per resource type (attribute lookups and type checks), then run on
 * every candidate. Type errors (`active gt true`, `emails co 3`) are therefore reported whatever
 * the data, not only when a resource happens to reach the faulty branch.
 *
 * Semantics chosen where the RFC is loose:
 * - a multi-valued attribute matches when any of its values matches; `ne` is `not eq`, so
 *   `emails.value ne "x"` holds when no email is "x", and holds on a resource without emails;
 * - `eq null` means "not present" and `ne null` means "present" (RFC 7643 §2.5: null is unassigned);
 * - a complex attribute compared without a sub-attribute compares its `value` (`emails co "x"`,
 *   RFC 7644 §3.4.2.2's own example);
 * - strings compare case-insensitively unless the attribute is caseExact; dateTimes compare as
 *   instants; booleans and binaries cannot be ordered.
 */
import { ScimError } from './error';
import type { AttrPath, CompareOp, ComparisonValue, Filter } from './filter-ast';
import { isJsonObject } from './json';
import type { JsonObject, JsonValue } from './json';
import type { AttributeDefinition, ResourceTypeName } from './schemas/attribute';
import { findAttribute, resolveAttribute, schemasFor } from './schemas/registry';

type Predicate = (node: JsonObject) => boolean;

interface Accessor {
  definition: AttributeDefinition;
  read(node: JsonObject): JsonValue[];
}

type Scope = (path: AttrPath) => Accessor;

const compiled = new WeakMap<Filter, Map<ResourceTypeName, Predicate>>();

export function matchesFilter(resourceType: ResourceTypeName, resource: JsonObject, filter: Filter): boolean {
  let byType = compiled.get(filter);
  if (!byType) {
    byType = new Map();
    compiled.set(filter, byType);
  }
  let predicate = byType.get(resourceType);
  if (!predicate) {
    predicate = compile(filter, resourceScope(resourceType));
    byType.set(resourceType, predicate);
  }
  return predicate(resource);
}

/** Reads `child` of `node` by exact key, else case-insensitively (stored bodies are canonical). */
export function getMember(node: JsonObject, key: string): JsonValue | undefined {
  if (Object.hasOwn(node, key)) return node[key];
  const lower = key.toLowerCase();
  const found = Object.keys(node).find((candidate) => candidate.toLowerCase() === lower);
  return found === undefined ? undefined : node[found];
}

function compile(filter: Filter, scope: Scope): Predicate {
  switch (filter.kind) {
    case 'and': {
      const left = compile(filter.left, scope);
      const right = compile(filter.right, scope);
      return (node) => left(node) && right(node);
    }
    case 'or': {
      const left = compile(filter.left, scope);
      const right = compile(filter.right, scope);
      return (node) => left(node) || right(node);
    }
    case 'not': {
      const inner = compile(filter.filter, scope);
      return (node) => !inner(node);
    }
    case 'present': {
      const accessor = scope(filter.path);
      return (node) => accessor.read(node).some(isNonEmpty);
    }
    case 'compare':
      return compileCompare(valueAccessor(scope(filter.path), filter.path), filter.op, filter.value);
    case 'valuePath': {
      const accessor = scope(filter.path);
      const { definition } = accessor;
      if (definition.type !== 'complex') {
        throw invalidFilter(`'${describe(filter.path)}' is not complex: it cannot take a value filter.`);
      }
      const inner = compile(filter.filter, valueScope(definition));
      return (node) => accessor.read(node).some((value) => isJsonObject(value) && inner(value));
    }
  }
}

function compileCompare(accessor: Accessor, op: CompareOp, value: ComparisonValue): Predicate {
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') throw invalidFilter(`'${op}' cannot compare with null.`);
    const wantPresent = op === 'ne';
    return (node) => accessor.read(node).some(isNonEmpty) === wantPresent;
  }
  if (op === 'ne') {
    const eq = valueTest(accessor.definition, 'eq', value);
    return (node) => !accessor.read(node).some(eq);
  }
  const test = valueTest(accessor.definition, op, value);
  return (node) => accessor.read(node).some(test);
}

function valueTest(
  definition: AttributeDefinition,
  op: Exclude<CompareOp, 'ne'>,
  value: string | number | boolean,
): (candidate: JsonValue) => boolean {
  const name = definition.name;
  switch (definition.type) {
    case 'boolean': {
      if (op !== 'eq') throw invalidFilter(`'${name}' is a boolean: only eq and ne apply.`);
      const expected = toBoolean(value);
      if (expected === undefined)
        throw invalidFilter(`'${name}' is a boolean: compare it with true or false.`);
      return (candidate) => toBoolean(candidate) === expected;
    }
    case 'integer':
    case 'decimal': {
      if (op === 'co' || op === 'sw' || op === 'ew') {
        throw invalidFilter(`'${name}' is a number: '${op}' does not apply.`);
      }
      const expected = toNumber(value);
      if (expected === undefined) throw invalidFilter(`'${name}' is a number: compare it with a number.`);
      return (candidate) => {
        const actual = toNumber(candidate);
        return actual !== undefined && ordered(op, actual, expected);
      };
    }
    case 'dateTime': {
      if (typeof value !== 'string')
        throw invalidFilter(`'${name}' is a dateTime: compare it with a string.`);
      if (op === 'co' || op === 'sw' || op === 'ew') return stringTest(op, value, false);
      const expected = Date.parse(value);
      if (Number.isNaN(expected)) throw invalidFilter(`'${value}' is not a dateTime (RFC 3339).`);
      return (candidate) => {
        const actual = typeof candidate === 'string' ? Date.parse(candidate) : NaN;
        return !Number.isNaN(actual) && ordered(op, actual, expected);
      };
    }
    case 'binary':
      if (op === 'gt' || op === 'lt' || op === 'ge' || op === 'le') {
        throw invalidFilter(`'${name}' is binary: '${op}' does not apply.`);
      }
      return stringTest(op, expectString(name, value), true);
    case 'string':
    case 'reference':
      return stringTest(op, expectString(name, value), definition.caseExact);
    case 'complex':
      throw invalidFilter(`'${name}' is complex: compare one of its sub-attributes.`);
  }
}

function stringTest(
  op: Exclude<CompareOp, 'ne'>,
  expected: string,
  caseExact: boolean,
): (candidate: JsonValue) => boolean {
  const fold = caseExact ? (s: string) => s : (s: string) => s.toLowerCase();
  const want = fold(expected);
  return (candidate) => {
    if (typeof candidate !== 'string') return false;
    const actual = fold(candidate);
    switch (op) {
      case 'eq':
        return actual === want;
      case 'co':
        return actual.includes(want);
      case 'sw':
        return actual.startsWith(want);
      case 'ew':
        return actual.endsWith(want);
      default:
        return ordered(op, actual, want);
    }
  };
}

function ordered<T extends number | string>(
  op: 'eq' | 'gt' | 'lt' | 'ge' | 'le',
  actual: T,
  expected: T,
): boolean {
  switch (op) {
    case 'eq':
      return actual === expected;
    case 'gt':
      return actual > expected;
    case 'lt':
      return actual < expected;
    case 'ge':
      return actual >= expected;
    case 'le':
      return actual <= expected;
  }
}

/** Entra sends unquoted values (`externalId eq 1234` reads as a number): compare them as written. */
function expectString(name: string, value: string | number | boolean): string {
  if (typeof value === 'boolean') throw invalidFilter(`'${name}' is a string: compare it with a string.`);
  return String(value);
}

/** Stored values are canonical, but bodies written by older clients (OneLogin) may hold "true". */
function toBoolean(value: JsonValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

function toNumber(value: JsonValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** RFC 7644 §3.4.2.2 `pr`: a non-empty value, or a complex value with a non-empty node. */
function isNonEmpty(value: JsonValue): boolean {
  if (value === null || value === '') return false;
  if (Array.isArray(value)) return value.some(isNonEmpty);
  if (isJsonObject(value)) return Object.values(value).some(isNonEmpty);
  return true;
}

function valueAccessor(accessor: Accessor, path: AttrPath): Accessor {
  const { definition } = accessor;
  if (definition.type !== 'complex') return accessor;
  const value = findAttribute(definition.subAttributes ?? [], 'value');
  if (!value) throw invalidFilter(`'${describe(path)}' is complex: compare one of its sub-attributes.`);
  return {
    definition: value,
    read: (node) =>
      accessor.read(node).flatMap((item) => (isJsonObject(item) ? values(item, value.name) : [])),
  };
}

/** `schemas` is not in the schema definitions (RFC 7643 §3 defines it outside them) but can be filtered on. */
const SCHEMAS_ATTRIBUTE: AttributeDefinition = {
  name: 'schemas',
  type: 'reference',
  multiValued: true,
  description: 'The schema URNs of the resource.',
  required: true,
  caseExact: false,
  mutability: 'readOnly',
  returned: 'always',
  uniqueness: 'none',
};

function resourceScope(resourceType: ResourceTypeName): Scope {
  const coreSchema = schemasFor(resourceType)[0]?.id;
  return (path) => {
    if (path.uri === undefined && path.sub === undefined && path.name.toLowerCase() === 'schemas') {
      return { definition: SCHEMAS_ATTRIBUTE, read: (node) => values(node, 'schemas') };
    }
    const resolved = resolveAttribute(resourceType, path);
    if (!resolved) throw invalidFilter(`'${describe(path)}' is not an attribute of ${resourceType}.`);
    const { schema, definition, sub } = resolved;
    const container = (node: JsonObject): JsonObject | undefined => {
      if (schema === coreSchema) return node;
      const extension = getMember(node, schema);
      return isJsonObject(extension) ? extension : undefined;
    };
    const read = (node: JsonObject): JsonValue[] => {
      const holder = container(node);
      return holder ? values(holder, definition.name) : [];
    };
    if (!sub) return { definition, read };
    return {
      definition: sub,
      read: (node) => read(node).flatMap((item) => (isJsonObject(item) ? values(item, sub.name) : [])),
    };
  };
}

/** Inside `attr[...]`, paths name sub-attributes of `attr`. */
function valueScope(parent: AttributeDefinition): Scope {
  return (path) => {
    const definition =
      path.uri === undefined && path.sub === undefined
        ? findAttribute(parent.subAttributes ?? [], path.name)
        : undefined;
    if (!definition) {
      throw invalidFilter(`'${describe(path)}' is not a sub-attribute of '${parent.name}'.`);
    }
    return { definition, read: (node) => values(node, definition.name) };
  };
}

function values(node: JsonObject, key: string): JsonValue[] {
  const value = getMember(node, key);
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.filter((item) => item !== null) : [value];
}

function describe(path: AttrPath): string {
  return `${path.uri !== undefined ? `${path.uri}:` : ''}${path.name}${path.sub !== undefined ? `.${path.sub}` : ''}`;
}

function invalidFilter(detail: string): ScimError {
  return ScimError.badRequest('invalidFilter', detail);
}
