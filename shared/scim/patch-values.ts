/**
 * The value helpers of PATCH (patch.ts): coercion of a value to its attribute's type, equality as
 * SCIM compares values, multi-valued elements and their `primary`, and case-insensitive member
 * access on a JSON object, as RFC 7643 §2.1 has attribute names.
 */
import { isDeepStrictEqual } from 'node:util';
import { ScimError } from './error';
import type { Filter } from './filter-ast';
import { getMember } from './filter-match';
import { isJsonObject } from './json';
import type { JsonObject, JsonValue } from './json';
import { formatAttrPath } from './patch-path';
import type { AttributeDefinition } from './schemas/attribute';
import { findAttribute } from './schemas/registry';

/** `type eq "work"` names the value to create when a filtered replace finds none. */
export function seedOf(definition: AttributeDefinition, filter: Filter): JsonObject | undefined {
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.value === null) return undefined;
  if (filter.path.uri !== undefined || filter.path.sub !== undefined) return undefined;
  const sub = findAttribute(definition.subAttributes ?? [], filter.path.name);
  if (!sub || sub.name === 'value') return undefined;
  return { [sub.name]: coerce(sub, filter.value, formatAttrPath(filter.path)) };
}

/**
 * Values as the schema types them. Entra without aadOptscim062020 and OneLogin send booleans as
 * strings (`"False"`, `"true"`); some clients send integers as numeric strings.
 */
export function coerce(definition: AttributeDefinition, value: JsonValue, label: string): JsonValue {
  switch (definition.type) {
    case 'complex':
      return coerceComplex(definition, value, label);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') {
        const lower = value.trim().toLowerCase();
        if (lower === 'true') return true;
        if (lower === 'false') return false;
      }
      throw invalidValue(`${label} must be a boolean.`);
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
      throw invalidValue(`${label} must be an integer.`);
    case 'decimal':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        return Number(value);
      throw invalidValue(`${label} must be a number.`);
    case 'dateTime':
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
      throw invalidValue(`${label} must be a dateTime (RFC 3339).`);
    case 'string':
      // As POST and PUT: a number is not a string (`replace userName=42` is a type mismatch).
      if (typeof value === 'string') return value;
      throw invalidValue(`${label} must be a string.`);
    case 'reference':
    case 'binary':
      if (typeof value === 'string') return value;
      throw invalidValue(`${label} must be a string.`);
  }
}

function coerceComplex(definition: AttributeDefinition, value: JsonValue, label: string): JsonObject {
  const subs = definition.subAttributes ?? [];
  const valueSub = findAttribute(subs, 'value');
  if (!isJsonObject(value)) {
    if (valueSub && !Array.isArray(value) && value !== null) {
      return { value: coerce(valueSub, value, `${label}.value`) };
    }
    throw invalidValue(`${label} must be an object.`);
  }
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const sub = findAttribute(subs, key);
    if (!sub) throw invalidValue(`"${label}.${key}" is not a sub-attribute of ${definition.name}.`);
    // Echoed server-computed values (`manager.displayName`) and nulls carry nothing to store.
    if (item === null || sub.mutability === 'readOnly') continue;
    result[sub.name] = coerce(sub, item, `${label}.${sub.name}`);
  }
  return result;
}

/** Two values are the same for a remove when their `value`s are equal (caseExact as the schema says). */
export function sameValue(
  definition: AttributeDefinition,
  valueSub: AttributeDefinition | undefined,
  element: JsonValue,
  wanted: JsonValue,
): boolean {
  if (definition.type === 'complex' && valueSub && isJsonObject(element) && isJsonObject(wanted)) {
    const a = getMember(element, valueSub.name);
    const b = getMember(wanted, valueSub.name);
    if (b !== undefined) {
      if (typeof a === 'string' && typeof b === 'string' && !valueSub.caseExact) {
        return a.toLowerCase() === b.toLowerCase();
      }
      return isDeepStrictEqual(a, b);
    }
  }
  return isDeepStrictEqual(element, wanted);
}

export function elementsOf(container: JsonObject, name: string): JsonObject[] {
  const current = getMember(container, name);
  if (current === undefined || current === null) return [];
  return listOf(current).filter(isJsonObject);
}

export function listOf(value: JsonValue): JsonValue[] {
  return Array.isArray(value) ? value : [value];
}

export function isPrimary(value: JsonValue): boolean {
  return isJsonObject(value) && value.primary === true;
}

/** RFC 7643 §2.4: at most one value is primary; the value just written wins. */
export function clearPrimaries(elements: JsonObject[]): void {
  for (const element of elements) if (element.primary === true) element.primary = false;
}

export function isEmpty(value: JsonValue): boolean {
  if (value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isJsonObject(value)) return Object.values(value).every(isEmpty);
  return false;
}

export function keyOf(node: JsonObject, name: string): string | undefined {
  if (Object.hasOwn(node, name)) return name;
  return Object.keys(node).find((key) => sameName(key, name));
}

/** Writes under the canonical name, dropping any differently cased copy. */
export function setMember(node: JsonObject, name: string, value: JsonValue): void {
  deleteMember(node, name);
  node[name] = value;
}

export function deleteMember(node: JsonObject, name: string): void {
  for (const key of Object.keys(node)) if (sameName(key, name)) delete node[key];
}

export function setOrDelete(node: JsonObject, name: string, value: JsonValue | undefined): void {
  if (value === undefined) deleteMember(node, name);
  else setMember(node, name, value);
}

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function invalidValue(detail: string): ScimError {
  return ScimError.badRequest('invalidValue', detail);
}
