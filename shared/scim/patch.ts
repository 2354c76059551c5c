/**
 * PATCH (RFC 7644 §3.5.2) applied to a stored, canonical resource body, with the shapes real
 * clients send (see the comments at each quirk). `applyPatch` works on a copy and returns it only
 * when every operation succeeded, so a failing operation leaves nothing half-applied.
 *
 * Group members are not part of a stored Group body (a group may have 50,000 of them and a PATCH
 * must cost O(changed members)): `splitGroupPatch` (group-patch.ts) turns the member operations
 * into `MemberOp`s for the membership store, and `applyPatch` refuses any that reach it.
 */
import { isDeepStrictEqual } from 'node:util';
import { ScimError } from './error';
import { parseAttrPath } from './filter';
import type { AttrPath, Filter, PatchPath } from './filter-ast';
import { getMember, matchesFilter } from './filter-match';
import { isJsonObject } from './json';
import type { JsonObject, JsonValue } from './json';
import type { PatchOperation } from './patch-op';
import { formatPatchPath } from './patch-path';
import type { AttributeDefinition, ResourceTypeName, SchemaDefinition } from './schemas/attribute';
import { findAttribute, resolveAttribute, schemasFor } from './schemas/registry';
import {
  clearPrimaries,
  coerce,
  deleteMember,
  elementsOf,
  invalidValue,
  isEmpty,
  isPrimary,
  keyOf,
  listOf,
  sameName,
  sameValue,
  seedOf,
  setMember,
  setOrDelete,
} from './patch-values';

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
