/**
 * PATCH (RFC 7644 §3.5.2) applied to a stored, canonical resource body, with the shapes real
 * clients send (see the comments at each quirk). `applyPatch` works on a copy and returns it only
 * when every operation succeeded, so a failing operation leaves nothing half-applied.
 *
 * Group members are not part of a stored Group body (a group may have 50,000 of them and a PATCH
 * must cost O(changed members)): `splitGroupPatch` turns the member operations into `MemberOp`s for
 * the membership store, and `applyPatch` refuses any that reach it.
 */
import { isDeepStrictEqual } from 'node:util';
import { ScimError } from './error';
import { parseAttrPath } from './filter';
import type { AttrPath, Filter, PatchPath } from './filter-ast';
import { getMember, matchesFilter } from './filter-match';
import { isJsonObject } from './json';
import type { JsonObject, JsonValue } from './json';
import type { PatchOperation } from './patch-op';
import { formatAttrPath, formatPatchPath } from './patch-path';
import type { AttributeDefinition, ResourceTypeName, SchemaDefinition } from './schemas/attribute';
import { findAttribute, resolveAttribute, schemasFor } from './schemas/registry';

export interface MemberRef {
  value: string;
  display?: string;
}

export type MemberOp =
  | { kind: 'add'; members: MemberRef[] }
  | { kind: 'remove'; ids: string[] }
  | { kind: 'removeAll' }
  | { kind: 'replace'; members: MemberRef[] }
  /** Remove the members matching a filter on `value`, `display`, `type` (`members[display sw "a"]`). */
  | { kind: 'removeWhere'; filter: Filter };

type Op = PatchOperation['op'];

/** How an unknown attribute is reported: a bad `path` is invalidPath, a bad key in a value invalidValue. */
type Origin = 'path' | 'value';

export function applyPatch(
  resourceType: ResourceTypeName,
  body: JsonObject,
  ops: PatchOperation[],
): JsonObject {
  const patcher = new Patcher(resourceType, structuredClone(body));
  for (const op of ops) patcher.apply(op);
  return patcher.finish();
}

class Patcher {
  private readonly schemas: SchemaDefinition[];
  private readonly coreSchema: string;

  constructor(
    private readonly resourceType: ResourceTypeName,
    private readonly root: JsonObject,
  ) {
    this.schemas = schemasFor(resourceType);
    this.coreSchema = this.schemas[0]?.id ?? '';
  }

  apply(op: PatchOperation): void {
    if (op.path) {
      if (op.op !== 'remove' && op.value === undefined) {
        throw invalidValue(`${op.op} ${formatPatchPath(op.path)} needs a value.`);
      }
      this.applyTarget(op.op, op.path, op.value, 'path');
      return;
    }
    if (op.op === 'remove') throw ScimError.badRequest('noTarget', 'A remove operation needs a path.');
    if (!isJsonObject(op.value)) {
      throw invalidValue(`Without a path, the value of ${op.op} must be an object of attributes.`);
    }
    this.applyAttributes(op.op, op.value, undefined);
  }

  /** The schemas list follows the extensions present (RFC 7643 §3: it names the schemas in use). */
  finish(): JsonObject {
    const present: string[] = [];
    for (const extension of this.schemas.slice(1)) {
      const key = keyOf(this.root, extension.id);
      if (key === undefined) continue;
      const value = this.root[key];
      if (isJsonObject(value) && Object.keys(value).length > 0) present.push(extension.id);
      else delete this.root[key];
    }
    this.root.schemas = [this.coreSchema, ...present];
    return this.root;
  }

  /**
   * A path-less add/replace: each key is an attribute. Keys may be dotted (`name.givenName`) or
   * URN-prefixed (`urn:…:enterprise:2.0:User:employeeNumber`), as Entra sends with
   * aadOptscim062020, or a schema URN whose value holds that schema's attributes (RFC 7644 §3.5.2.1).
   */
  private applyAttributes(op: Op, value: JsonObject, schema: string | undefined): void {
    for (const [key, item] of Object.entries(value)) {
      // `schemas` describes the resource, not an attribute: clients send it at the top level and,
      // some, inside an extension's value too (RFC 7644 §3.5.2.3 example); both are ignored here,
      // and the resource's schemas are recomputed from what it holds.
      if (sameName(key, 'schemas')) continue;
      const named = schema === undefined ? this.schemas.find((s) => sameName(s.id, key)) : undefined;
      if (named) {
        this.applySchemaObject(op, named, item, 'value');
        continue;
      }
      let attr: AttrPath;
      try {
        attr = parseAttrPath(key);
      } catch {
        throw invalidValue(`"${key}" is not an attribute name.`);
      }
      if (schema !== undefined) {
        if (attr.uri !== undefined) throw invalidValue(`"${key}" is not an attribute of ${schema}.`);
        attr = { ...attr, uri: schema };
      }
      this.applyTarget(op, { attr }, item, 'value');
    }
  }

  private applySchemaObject(
    op: Op,
    schema: SchemaDefinition,
    value: JsonValue | undefined,
    origin: Origin,
  ): void {
    if (op === 'remove' || (op === 'replace' && value === null)) {
      if (schema.id === this.coreSchema) throw invalidValue(`The core schema cannot be removed.`);
      const key = keyOf(this.root, schema.id);
      if (key !== undefined) delete this.root[key];
      return;
    }
    if (value === null) return;
    if (!isJsonObject(value)) {
      throw origin === 'path'
        ? invalidValue(`The value for ${schema.id} must be an object of its attributes.`)
        : invalidValue(`"${schema.id}" must be an object of its attributes.`);
    }
    this.applyAttributes(op, value, schema.id);
  }

  private applyTarget(op: Op, target: PatchPath, value: JsonValue | undefined, origin: Origin): void {
    const label = formatPatchPath(target);
    const { attr } = target;
    if (attr.uri === undefined && attr.sub === undefined && sameName(attr.name, 'schemas')) return;

    const wholeSchema =
      attr.uri === undefined
        ? undefined
        : this.schemas.find((s) => sameName(s.id, `${attr.uri}:${attr.name}`));
    if (wholeSchema && attr.sub === undefined && !target.filter) {
      this.applySchemaObject(op, wholeSchema, value, origin);
      return;
    }

    const resolved = resolveAttribute(this.resourceType, attr);
    if (!resolved) {
      throw origin === 'path'
        ? ScimError.badRequest('invalidPath', `"${label}" is not an attribute of ${this.resourceType}.`)
        : invalidValue(`"${label}" is not an attribute of ${this.resourceType}.`);
    }
    const { schema, definition, sub } = resolved;
    // Passwords are never stored (password sync is not supported): Okta's password PATCH is accepted.
    if (definition.mutability === 'writeOnly') return;
    if (this.resourceType === 'Group' && definition.name === 'members') {
      throw new Error('Group members must be separated with splitGroupPatch before applyPatch.');
    }

    const container = this.container(schema, op !== 'remove');
    if (!container) return;
    if (definition.mutability === 'readOnly' || sub?.mutability === 'readOnly') {
      this.checkReadOnly(op, container, definition, sub, value, label);
      return;
    }
    if (definition.mutability === 'immutable') {
      const current = getMember(container, definition.name);
      if (current !== undefined && current !== null) {
        this.checkReadOnly(op, container, definition, sub, value, label);
        return;
      }
    }

    if (target.filter) {
      if (!definition.multiValued || definition.type !== 'complex') {
        throw ScimError.badRequest(
          'invalidPath',
          `"${label}": a value filter needs a multi-valued complex attribute.`,
        );
      }
      this.applyFiltered(op, container, schema, definition, target.filter, target.subAttr, value, label);
    } else if (sub) {
      this.applySub(op, container, definition, sub, value, label);
    } else {
      this.applyWhole(op, container, definition, value, label);
    }
  }

  /**
   * Clients echo read-only attributes: Okta sends `{"id": "<same id>", "displayName": "X"}` on every
   * group push, and `meta` comes back stale. Unchanged or empty is ignored; a change is refused.
   */
  private checkReadOnly(
    op: Op,
    container: JsonObject,
    definition: AttributeDefinition,
    sub: AttributeDefinition | undefined,
    value: JsonValue | undefined,
    label: string,
  ): void {
    if (definition.name === 'meta') return;
    if (op !== 'remove' && (value === undefined || isEmpty(value))) return;
    const current = getMember(container, definition.name);
    const currentValue = sub && isJsonObject(current) ? getMember(current, sub.name) : current;
    if (op !== 'remove' && isDeepStrictEqual(currentValue, value)) return;
    throw ScimError.badRequest(
      'mutability',
      `"${label}" is ${sub?.mutability ?? definition.mutability} and cannot be changed.`,
    );
  }

  private applyWhole(
    op: Op,
    container: JsonObject,
    definition: AttributeDefinition,
    value: JsonValue | undefined,
    label: string,
  ): void {
    const name = definition.name;
    if (op === 'remove') {
      if (definition.multiValued && value !== undefined && value !== null) {
        this.removeValues(container, definition, value, label);
        return;
      }
      this.clear(container, definition, label);
      return;
    }
    if (value === null || value === undefined) {
      // RFC 7643 §2.5: null is unassigned. Entra never sends it, so a replace with null is deliberate.
      if (op === 'replace') this.clear(container, definition, label);
      return;
    }
    if (definition.multiValued) {
      const items = listOf(value).flatMap((item, index) =>
        item === null ? [] : [coerce(definition, item, `${label}[${index}]`)],
      );
      const existing = op === 'add' ? elementsOf(container, name) : [];
      const added = items.filter((item) => !existing.some((old) => isDeepStrictEqual(old, item)));
      if (added.some(isPrimary)) clearPrimaries(existing);
      const result = [...existing, ...added];
      if (result.filter(isPrimary).length > 1)
        throw invalidValue(`At most one value of ${label} may be primary.`);
      if (result.length === 0) deleteMember(container, name);
      else setMember(container, name, result);
      return;
    }
    const coerced = coerce(definition, value, label);
    // RFC 7644 §3.5.2.3: sub-attributes missing from the value of a complex replace are left unchanged.
    const current = getMember(container, name);
    if (isJsonObject(coerced) && isJsonObject(current)) {
      setMember(container, name, { ...current, ...coerced });
    } else {
      setMember(container, name, coerced);
    }
  }

  /**
   * Entra and JumpCloud send `{"op":"Remove","path":"members","value":[{"value":"u1"}]}` meaning
   * "remove u1". RFC 7644 read literally clears the attribute; remove only the values listed.
   */
  private removeValues(
    container: JsonObject,
    definition: AttributeDefinition,
    value: JsonValue,
    label: string,
  ): void {
    const name = definition.name;
    const valueSub = findAttribute(definition.subAttributes ?? [], 'value');
    const wanted = listOf(value).flatMap((item, index) =>
      item === null ? [] : [coerce(definition, item, `${label}[${index}]`)],
    );
    const remaining = elementsOf(container, name).filter(
      (element) => !wanted.some((item) => sameValue(definition, valueSub, element, item)),
    );
    if (remaining.length === 0) deleteMember(container, name);
    else setMember(container, name, remaining);
  }

  private clear(container: JsonObject, definition: AttributeDefinition, label: string): void {
    if (definition.required) throw invalidValue(`"${label}" is required and cannot be removed.`);
    deleteMember(container, definition.name);
  }

  private applySub(
    op: Op,
    container: JsonObject,
    definition: AttributeDefinition,
    sub: AttributeDefinition,
    value: JsonValue | undefined,
    label: string,
  ): void {
    const name = definition.name;
    const coerced =
      value === undefined || value === null || op === 'remove' ? undefined : coerce(sub, value, label);
    if (coerced === undefined && op === 'add') return;
    if (definition.multiValued) {
      // A sub-attribute of a multi-valued attribute without a filter addresses every value.
      const elements = elementsOf(container, name);
      if (elements.length === 0 && coerced !== undefined) elements.push({});
      for (const element of elements) setOrDelete(element, sub.name, coerced);
      if (coerced === true && sub.name === 'primary' && elements.length > 1) {
        throw invalidValue(`At most one value of ${name} may be primary.`);
      }
      const kept = elements.filter((element) => Object.keys(element).length > 0);
      if (kept.length === 0) deleteMember(container, name);
      else setMember(container, name, kept);
      return;
    }
    const current = getMember(container, name);
    const parent = isJsonObject(current) ? current : {};
    setOrDelete(parent, sub.name, coerced);
    if (Object.keys(parent).length === 0) deleteMember(container, name);
    else setMember(container, name, parent);
  }

  private applyFiltered(
    op: Op,
    container: JsonObject,
    schema: string,
    definition: AttributeDefinition,
    filter: Filter,
    subAttr: string | undefined,
    value: JsonValue | undefined,
    label: string,
  ): void {
    const name = definition.name;
    const sub = subAttr === undefined ? undefined : findAttribute(definition.subAttributes ?? [], subAttr);
    if (subAttr !== undefined && !sub) {
      throw ScimError.badRequest('invalidPath', `"${label}": ${subAttr} is not a sub-attribute of ${name}.`);
    }
    if (sub?.mutability === 'readOnly') {
      throw ScimError.badRequest('mutability', `"${label}" is read-only and cannot be changed.`);
    }
    const elements = elementsOf(container, name);
    const selector: Filter = { kind: 'valuePath', path: { uri: schema, name }, filter };
    const probe = (element: JsonObject): JsonObject =>
      schema === this.coreSchema ? { [name]: [element] } : { [schema]: { [name]: [element] } };
    let matched: JsonObject[];
    try {
      matched = elements.filter((element) => matchesFilter(this.resourceType, probe(element), selector));
    } catch (error) {
      if (error instanceof ScimError)
        throw ScimError.badRequest('invalidPath', `"${label}": ${error.detail}`);
      throw error;
    }

    if (op === 'remove') {
      const remaining = sub
        ? elements.filter((element) => {
            if (matched.includes(element)) setOrDelete(element, sub.name, undefined);
            return Object.keys(element).length > 0;
          })
        : elements.filter((element) => !matched.includes(element));
      if (remaining.length === 0) deleteMember(container, name);
      else setMember(container, name, remaining);
      return;
    }

    if (value === undefined || value === null) {
      if (op === 'add') return;
      throw invalidValue(`"${label}": replace needs a value.`);
    }
    const replacement = sub ? coerce(sub, value, label) : coerce(definition, value, label);
    if (!sub && !isJsonObject(replacement)) throw invalidValue(`"${label}" needs an object value.`);

    if (matched.length === 0) {
      // Entra replaces `emails[type eq "work"].value` for users who have no work email yet: when
      // the filter names the value to create (`type eq "X"`), add it; otherwise there is no target.
      const seed = seedOf(definition, filter);
      if (!seed) throw ScimError.badRequest('noTarget', `"${label}" matches no value.`);
      const created: JsonObject = sub
        ? { ...seed, [sub.name]: replacement }
        : { ...seed, ...(replacement as JsonObject) };
      if (isPrimary(created)) clearPrimaries(elements);
      setMember(container, name, [...elements, created]);
      return;
    }

    for (const element of matched) {
      if (sub) {
        element[sub.name] = replacement;
      } else {
        const source = replacement as JsonObject;
        const next: JsonObject = op === 'add' ? { ...element, ...source } : { ...source };
        for (const key of Object.keys(element)) delete element[key];
        Object.assign(element, next);
      }
    }
    if (matched.some(isPrimary)) clearPrimaries(elements.filter((element) => !matched.includes(element)));
    if (elements.filter(isPrimary).length > 1)
      throw invalidValue(`At most one value of ${name} may be primary.`);
    setMember(container, name, elements);
  }

  private container(schema: string, create: boolean): JsonObject | undefined {
    if (schema === this.coreSchema) return this.root;
    const existing = getMember(this.root, schema);
    if (isJsonObject(existing)) return existing;
    if (!create) return undefined;
    const created: JsonObject = {};
    setMember(this.root, schema, created);
    return created;
  }
}

/**
 * Splits a Group PATCH into attribute operations (for `applyPatch`) and member operations (for the
 * membership store), each list in the order the client sent.
 */
export function splitGroupPatch(ops: PatchOperation[]): {
  attributeOps: PatchOperation[];
  memberOps: MemberOp[];
} {
  const attributeOps: PatchOperation[] = [];
  const memberOps: MemberOp[] = [];
  for (const op of ops) {
    if (op.path) {
      if (isMembersPath(op.path.attr)) memberOps.push(memberOpOf(op, op.path));
      else attributeOps.push(op);
      continue;
    }
    if (op.op === 'remove' || !isJsonObject(op.value)) {
      attributeOps.push(op);
      continue;
    }
    const membersKey = Object.keys(op.value).find((key) => isMembersPath(attrPathOrUndefined(key)));
    if (membersKey === undefined) {
      attributeOps.push(op);
      continue;
    }
    const { [membersKey]: members, ...rest } = op.value;
    if (Object.keys(rest).length > 0) attributeOps.push({ ...op, value: rest });
    const list = members === null || members === undefined ? [] : membersOf(members, membersKey);
    memberOps.push(op.op === 'add' ? { kind: 'add', members: list } : { kind: 'replace', members: list });
  }
  return { attributeOps, memberOps };
}

function memberOpOf(op: PatchOperation, path: PatchPath): MemberOp {
  const label = formatPatchPath(path);
  if (path.attr.sub !== undefined || path.subAttr !== undefined) {
    throw ScimError.badRequest('invalidPath', `"${label}": member sub-attributes cannot be changed.`);
  }
  if (op.op === 'remove') {
    if (path.filter) {
      const ids = valueEqualities(path.filter);
      return ids ? { kind: 'remove', ids } : { kind: 'removeWhere', filter: path.filter };
    }
    if (op.value === undefined || op.value === null) return { kind: 'removeAll' };
    // Entra and JumpCloud: a value array on remove names the members to remove, never "all".
    return { kind: 'remove', ids: membersOf(op.value, label).map((member) => member.value) };
  }
  if (path.filter) {
    throw ScimError.badRequest(
      'invalidPath',
      `"${label}": add and replace take the members path without a filter.`,
    );
  }
  const members = op.value === null || op.value === undefined ? [] : membersOf(op.value, label);
  return op.op === 'add' ? { kind: 'add', members } : { kind: 'replace', members };
}

/** `value eq "id"`, or an `or` of them: the member ids a filter names exactly. */
function valueEqualities(filter: Filter): string[] | undefined {
  if (filter.kind === 'or') {
    const left = valueEqualities(filter.left);
    const right = valueEqualities(filter.right);
    return left && right ? [...left, ...right] : undefined;
  }
  if (
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    typeof filter.value === 'string' &&
    filter.path.uri === undefined &&
    filter.path.sub === undefined &&
    sameName(filter.path.name, 'value')
  ) {
    return [filter.value];
  }
  return undefined;
}

/** Member objects arrive as `{"value": "id"}` plus, depending on the client, `display`, `type`, `$ref: null`. */
function membersOf(value: JsonValue, label: string): MemberRef[] {
  return listOf(value).map((item, index) => {
    const id = isJsonObject(item) ? getMember(item, 'value') : undefined;
    if (typeof id !== 'string' || id === '') {
      throw invalidValue(`${label}[${index}] must be an object with a string "value" (the member's id).`);
    }
    const display = isJsonObject(item) ? getMember(item, 'display') : undefined;
    return typeof display === 'string' ? { value: id, display } : { value: id };
  });
}

function isMembersPath(attr: AttrPath | undefined): boolean {
  if (!attr || !sameName(attr.name, 'members')) return false;
  return attr.uri === undefined || sameName(attr.uri, 'urn:ietf:params:scim:schemas:core:2.0:Group');
}

function attrPathOrUndefined(key: string): AttrPath | undefined {
  try {
    return parseAttrPath(key);
  } catch {
    return undefined;
  }
}

/** `type eq "work"` names the value to create when a filtered replace finds none. */
function seedOf(definition: AttributeDefinition, filter: Filter): JsonObject | undefined {
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
function coerce(definition: AttributeDefinition, value: JsonValue, label: string): JsonValue {
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
function sameValue(
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

function elementsOf(container: JsonObject, name: string): JsonObject[] {
  const current = getMember(container, name);
  if (current === undefined || current === null) return [];
  return listOf(current).filter(isJsonObject);
}

function listOf(value: JsonValue): JsonValue[] {
  return Array.isArray(value) ? value : [value];
}

function isPrimary(value: JsonValue): boolean {
  return isJsonObject(value) && value.primary === true;
}

/** RFC 7643 §2.4: at most one value is primary; the value just written wins. */
function clearPrimaries(elements: JsonObject[]): void {
  for (const element of elements) if (element.primary === true) element.primary = false;
}

function isEmpty(value: JsonValue): boolean {
  if (value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isJsonObject(value)) return Object.values(value).every(isEmpty);
  return false;
}

function keyOf(node: JsonObject, name: string): string | undefined {
  if (Object.hasOwn(node, name)) return name;
  return Object.keys(node).find((key) => sameName(key, name));
}

/** Writes under the canonical name, dropping any differently cased copy. */
function setMember(node: JsonObject, name: string, value: JsonValue): void {
  deleteMember(node, name);
  node[name] = value;
}

function deleteMember(node: JsonObject, name: string): void {
  for (const key of Object.keys(node)) if (sameName(key, name)) delete node[key];
}

function setOrDelete(node: JsonObject, name: string, value: JsonValue | undefined): void {
  if (value === undefined) deleteMember(node, name);
  else setMember(node, name, value);
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function invalidValue(detail: string): ScimError {
  return ScimError.badRequest('invalidValue', detail);
}
