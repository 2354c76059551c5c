/**
 * The PATCH `path` of RFC 7644 §3.5.2: `attrPath`, or `attrPath[valFilter]` optionally followed by
 * `.subAttr` (`emails[type eq "work"].value`, which Entra sends). The bracketed part is a filter and
 * is read by the filter parser; failures are reported as `invalidPath`.
 */
import { ScimError } from './error';
import { parseAttrPath, parseFilter } from './filter';
import type { AttrPath, Filter, PatchPath } from './filter-ast';

const SUB_ATTR = /^[A-Za-z$][A-Za-z0-9_$-]*$/;

export function parsePatchPath(text: string): PatchPath {
  const trimmed = text.trim();
  if (trimmed === '') throw invalidPath('The path is empty.');
  const open = trimmed.indexOf('[');
  if (open < 0) return { attr: attrPathOf(trimmed) };

  const attr = attrPathOf(trimmed.slice(0, open));
  if (attr.sub !== undefined) {
    throw invalidPath(
      `'${trimmed}': a value filter applies to a multi-valued attribute, not to a sub-attribute.`,
    );
  }
  const close = closingBracket(trimmed, open);
  if (close < 0) throw invalidPath(`'${trimmed}': the value filter has no closing ']'.`);
  const filter = filterOf(trimmed.slice(open + 1, close), trimmed);
  const tail = trimmed.slice(close + 1);
  if (tail === '') return { attr, filter };
  const subAttr = tail.slice(1);
  if (!tail.startsWith('.') || !SUB_ATTR.test(subAttr)) {
    throw invalidPath(`'${trimmed}': expected '.subAttribute' or nothing after ']'.`);
  }
  return { attr, filter, subAttr };
}

/** The path as RFC 7644 writes it, for error details. */
export function formatPatchPath(path: PatchPath): string {
  const attr = formatAttrPath(path.attr);
  if (!path.filter) return attr;
  return `${attr}[${formatFilter(path.filter)}]${path.subAttr !== undefined ? `.${path.subAttr}` : ''}`;
}

export function formatAttrPath(path: AttrPath): string {
  return `${path.uri !== undefined ? `${path.uri}:` : ''}${path.name}${path.sub !== undefined ? `.${path.sub}` : ''}`;
}

function formatFilter(filter: Filter): string {
  switch (filter.kind) {
    case 'compare':
      return `${formatAttrPath(filter.path)} ${filter.op} ${JSON.stringify(filter.value)}`;
    case 'present':
      return `${formatAttrPath(filter.path)} pr`;
    case 'and':
    case 'or':
      return `(${formatFilter(filter.left)} ${filter.kind} ${formatFilter(filter.right)})`;
    case 'not':
      return `not (${formatFilter(filter.filter)})`;
    case 'valuePath':
      return `${formatAttrPath(filter.path)}[${formatFilter(filter.filter)}]`;
  }
}

function attrPathOf(text: string): AttrPath {
  try {
    return parseAttrPath(text);
  } catch {
    throw invalidPath(`'${text}' is not an attribute path.`);
  }
}

function filterOf(text: string, path: string): Filter {
  let filter: Filter;
  try {
    filter = parseFilter(text);
  } catch (error) {
    if (error instanceof ScimError) throw invalidPath(`'${path}': ${error.detail}`);
    throw error;
  }
  if (containsValuePath(filter)) throw invalidPath(`'${path}': a value filter cannot contain another one.`);
  return filter;
}

function containsValuePath(filter: Filter): boolean {
  switch (filter.kind) {
    case 'valuePath':
      return true;
    case 'and':
    case 'or':
      return containsValuePath(filter.left) || containsValuePath(filter.right);
    case 'not':
      return containsValuePath(filter.filter);
    default:
      return false;
  }
}

/** The `]` that closes the `[` at `open`, skipping brackets inside JSON strings and nested ones. */
function closingBracket(text: string, open: number): number {
  let inString = false;
  let depth = 0;
  for (let i = open + 1; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '[') {
      depth++;
    } else if (char === ']') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function invalidPath(detail: string): ScimError {
  return ScimError.badRequest('invalidPath', detail);
}
