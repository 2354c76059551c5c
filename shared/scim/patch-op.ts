/**
 * The PatchOp message of RFC 7644 §3.5.2, validated into operations. Lenient where real clients
 * differ from the RFC and harmless: `schemas` may be missing, and the `Operations` key, its members'
 * keys and `op` values are read case-insensitively (Entra sends `"op":"Replace"`).
 */
import { ScimError } from './error';
import type { PatchPath } from './filter-ast';
import { isJsonObject } from './json';
import type { JsonObject, JsonValue } from './json';
import { parsePatchPath } from './patch-path';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Bounds the work one request can ask for; real clients send a handful, Entra at most a few dozen. */
export const MAX_PATCH_OPERATIONS = 1000;

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path?: PatchPath;
  value?: JsonValue;
}

export function parsePatchRequest(body: JsonValue): PatchOperation[] {
  if (!isJsonObject(body)) throw invalidSyntax('A PATCH body must be a PatchOp JSON object.');
  const schemas = member(body, 'schemas');
  if (schemas !== undefined && !listsPatchOpSchema(schemas)) {
    throw invalidSyntax(`A PATCH body's schemas must include "${PATCH_OP_SCHEMA}".`);
  }
  const operations = member(body, 'Operations');
  if (!Array.isArray(operations)) throw invalidSyntax('A PATCH body needs an "Operations" array.');
  if (operations.length > MAX_PATCH_OPERATIONS) {
    throw ScimError.badRequest('tooMany', `A PATCH may carry at most ${MAX_PATCH_OPERATIONS} operations.`);
  }
  return operations.map((operation, index) => parseOperation(operation, index));
}

function parseOperation(operation: JsonValue, index: number): PatchOperation {
  const where = `Operations[${index}]`;
  if (!isJsonObject(operation)) throw invalidSyntax(`${where} must be an object.`);
  const rawOp = member(operation, 'op');
  const op = typeof rawOp === 'string' ? rawOp.toLowerCase() : undefined;
  if (op !== 'add' && op !== 'remove' && op !== 'replace') {
    throw invalidSyntax(
      `${where}.op must be "add", "remove" or "replace", not ${JSON.stringify(rawOp ?? null)}.`,
    );
  }

  const rawPath = member(operation, 'path');
  let path: PatchPath | undefined;
  // Some template-driven clients send `"path": null` or `""` for a path-less operation.
  if (typeof rawPath === 'string' && rawPath.trim() !== '') {
    path = parsePatchPath(rawPath);
  } else if (rawPath !== undefined && rawPath !== null && rawPath !== '') {
    throw ScimError.badRequest('invalidPath', `${where}.path must be a string.`);
  }

  const value = member(operation, 'value');
  if (op === 'remove') {
    if (!path) throw ScimError.badRequest('noTarget', `${where}: a remove operation needs a path.`);
    return { op, path, ...(value !== undefined ? { value } : {}) };
  }
  if (value === undefined) throw ScimError.badRequest('invalidValue', `${where}: ${op} needs a value.`);
  if (!path && !isJsonObject(value)) {
    throw ScimError.badRequest(
      'invalidValue',
      `${where}: without a path, the value of ${op} must be an object of attributes.`,
    );
  }
  return { op, ...(path ? { path } : {}), value };
}

function listsPatchOpSchema(schemas: JsonValue): boolean {
  const list = Array.isArray(schemas) ? schemas : [schemas];
  return list.some(
    (schema) => typeof schema === 'string' && schema.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase(),
  );
}

function member(object: JsonObject, key: string): JsonValue | undefined {
  if (Object.hasOwn(object, key)) return object[key];
  const lower = key.toLowerCase();
  const found = Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
  return found === undefined ? undefined : object[found];
}

function invalidSyntax(detail: string): ScimError {
  return ScimError.badRequest('invalidSyntax', detail);
}
