/**
 * Group PATCH: the member operations taken out of a Group PATCH for the membership store, so that
 * a PATCH costs O(changed members) whatever the group's size (a stored Group body never holds its
 * members). Written here rather than with a JSON-patch library because SCIM's member paths and
 * filters (`members[value eq "id"]`) and the IdPs' shapes (Entra's value array on remove) have no
 * equivalent there.
 */
import { ScimError } from './error';
import { parseAttrPath } from './filter';
import type { AttrPath, Filter, PatchPath } from './filter-ast';
import { getMember } from './filter-match';
import { isJsonObject } from './json';
import type { JsonValue } from './json';
import type { PatchOperation } from './patch-op';
import { formatPatchPath } from './patch-path';
import { invalidValue, listOf, sameName } from './patch-values';

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
