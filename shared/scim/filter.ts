/**
 * The SCIM filter grammar of RFC 7644 §3.4.2.2, parsed by recursive descent into the `Filter` AST.
 *
 * Precedence is `not` > `and` > `or`; `and` and `or` associate to the left. Keywords, operators and
 * the literals true/false/null are case-insensitive (§3.4.2.2: "attribute names and attribute
 * operators used in filters are case insensitive").
 *
 * `attr[valFilter].sub op value` (a value path followed by a sub-attribute comparison, which Entra
 * sends as `emails[type eq "work"].value eq "x"`) is represented as the value path whose inner filter
 * is `valFilter and sub op value`: "some value of attr satisfies valFilter and has sub op value",
 * which is what the expression means.
 */
import { ScimError } from './error';
import type { AttrPath, CompareOp, ComparisonValue, Filter } from './filter-ast';

/** Filters arrive in URLs and POST bodies; anything longer than this is not a real client's. */
export const MAX_FILTER_LENGTH = 4096;
/** Bounds recursion on hostile input such as `((((...))))` or `not (not (...))`. */
export const MAX_FILTER_DEPTH = 32;

const COMPARE_OPS: ReadonlySet<string> = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le']);
const NAME = /^[A-Za-z$][A-Za-z0-9_$-]*$/;
const PATH_CHAR = /[A-Za-z0-9_$:.-]/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const WORD_END = /[\s()[\]]/;

export function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER_LENGTH) {
    throw invalid(`The filter is longer than ${MAX_FILTER_LENGTH} characters.`);
  }
  const parser = new FilterParser(text);
  const filter = parser.parseOr(false);
  parser.skipSpace();
  if (!parser.atEnd()) {
    throw invalid(`Unexpected '${parser.rest(20)}' at position ${parser.pos + 1} of the filter.`);
  }
  return filter;
}

/**
 * Parses `[uri:]name[.sub]`. The URI is everything before the last colon, so
 * `urn:ietf:params:scim:schemas:core:2.0:User:name.givenName` has the URN as its `uri`.
 */
export function parseAttrPath(text: string): AttrPath {
  const colon = text.lastIndexOf(':');
  const uri = colon >= 0 ? text.slice(0, colon) : undefined;
  const local = colon >= 0 ? text.slice(colon + 1) : text;
  const dot = local.indexOf('.');
  const name = dot >= 0 ? local.slice(0, dot) : local;
  const sub = dot >= 0 ? local.slice(dot + 1) : undefined;
  if (uri === '' || !NAME.test(name) || (sub !== undefined && !NAME.test(sub))) {
    throw invalid(`'${text}' is not an attribute path.`);
  }
  return { ...(uri !== undefined ? { uri } : {}), name, ...(sub !== undefined ? { sub } : {}) };
}

class FilterParser {
  pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  rest(max: number): string {
    return this.text.slice(this.pos, this.pos + max);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  parseOr(inValuePath: boolean): Filter {
    let left = this.parseAnd(inValuePath);
    while (this.acceptKeyword('or')) {
      left = { kind: 'or', left, right: this.parseAnd(inValuePath) };
    }
    return left;
  }

  private parseAnd(inValuePath: boolean): Filter {
    let left = this.parseUnary(inValuePath);
    while (this.acceptKeyword('and')) {
      left = { kind: 'and', left, right: this.parseUnary(inValuePath) };
    }
    return left;
  }

  private parseUnary(inValuePath: boolean): Filter {
    this.skipSpace();
    if (this.peekKeyword('not') && this.nextNonSpaceAfter(3) === '(') {
      this.pos += 3;
      return this.nested(() => ({ kind: 'not', filter: this.parseUnary(inValuePath) }));
    }
    if (this.text[this.pos] === '(') {
      this.pos++;
      const filter = this.nested(() => this.parseOr(inValuePath));
      this.skipSpace();
      this.expect(')');
      return filter;
    }
    return this.parseAttrExp(inValuePath);
  }

  private parseAttrExp(inValuePath: boolean): Filter {
    const start = this.pos;
    const path = this.parsePath();
    if (this.text[this.pos] === '[') {
      if (inValuePath)
        throw invalid(`A value filter cannot contain another value filter (position ${this.pos + 1}).`);
      if (path.sub !== undefined) {
        throw invalid(
          `A value filter applies to a multi-valued attribute, not to '${path.name}.${path.sub}'.`,
        );
      }
      this.pos++;
      const inner = this.nested(() => this.parseOr(true));
      this.skipSpace();
      this.expect(']');
      if (this.text[this.pos] !== '.') return { kind: 'valuePath', path, filter: inner };
      this.pos++;
      const subStart = this.pos;
      const sub = this.readWhile(PATH_CHAR);
      if (!NAME.test(sub)) throw invalid(`Expected a sub-attribute name at position ${subStart + 1}.`);
      const tail = this.parseOperation({ name: sub });
      return { kind: 'valuePath', path, filter: { kind: 'and', left: inner, right: tail } };
    }
    if (this.pos === start) throw invalid(`Expected an attribute path at position ${start + 1}.`);
    return this.parseOperation(path);
  }

  private parseOperation(path: AttrPath): Filter {
    this.requireSpace();
    const opStart = this.pos;
    const op = this.readWord().toLowerCase();
    if (op === 'pr') return { kind: 'present', path };
    if (!COMPARE_OPS.has(op)) {
      throw invalid(
        `Expected an operator (eq, ne, co, sw, ew, gt, lt, ge, le, pr) at position ${opStart + 1}.`,
      );
    }
    this.requireSpace();
    return { kind: 'compare', path, op: op as CompareOp, value: this.parseValue() };
  }

  private parseValue(): ComparisonValue {
    const start = this.pos;
    if (this.text[this.pos] === '"') return this.parseString();
    const word = this.readWord();
    if (word === '') throw invalid(`Expected a value at position ${start + 1}.`);
    const lower = word.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (NUMBER.test(word)) return Number(word);
    // Entra sends `externalId eq jyoung` with the value unquoted: read a bare word as a string.
    if (word.includes('"')) throw invalid(`Malformed value '${word}' at position ${start + 1}.`);
    return word;
  }

  private parseString(): string {
    const start = this.pos;
    let i = this.pos + 1;
    while (i < this.text.length && this.text[i] !== '"') {
      i += this.text[i] === '\\' ? 2 : 1;
    }
    if (i >= this.text.length) throw invalid(`Unterminated string starting at position ${start + 1}.`);
    const literal = this.text.slice(start, i + 1);
    this.pos = i + 1;
    try {
      return JSON.parse(literal) as string;
    } catch {
      throw invalid(`Invalid string ${literal} at position ${start + 1}: use JSON escapes.`);
    }
  }

  private parsePath(): AttrPath {
    const start = this.pos;
    const text = this.readWhile(PATH_CHAR);
    if (text === '') {
      const found = this.atEnd() ? 'the end of the filter' : `'${this.rest(10)}'`;
      throw invalid(`Expected an attribute path at position ${start + 1}, found ${found}.`);
    }
    return parseAttrPath(text);
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_FILTER_DEPTH) {
      throw invalid(`The filter nests deeper than ${MAX_FILTER_DEPTH} levels.`);
    }
    const result = parse();
    this.depth--;
    return result;
  }

  /** `and`/`or` need a space or a parenthesis on each side, so `origin` is never read as `or`. */
  private acceptKeyword(keyword: string): boolean {
    const save = this.pos;
    this.skipSpace();
    const separated = this.pos > save || this.text[save - 1] === ')' || this.text[save - 1] === ']';
    if (separated && this.peekKeyword(keyword) && this.text[this.pos + keyword.length] !== ')') {
      this.pos += keyword.length;
      return true;
    }
    this.pos = save;
    return false;
  }

  private peekKeyword(keyword: string): boolean {
    const candidate = this.text.slice(this.pos, this.pos + keyword.length).toLowerCase();
    const after = this.text[this.pos + keyword.length];
    return candidate === keyword && (after === undefined || WORD_END.test(after));
  }

  private nextNonSpaceAfter(offset: number): string | undefined {
    let i = this.pos + offset;
    while (i < this.text.length && /\s/.test(this.text[i] ?? '')) i++;
    return this.text[i];
  }

  private requireSpace(): void {
    const start = this.pos;
    this.skipSpace();
    if (this.pos === start) {
      throw invalid(
        `Expected a space at position ${start + 1}${this.atEnd() ? ' (the filter ends early)' : ''}.`,
      );
    }
  }

  private readWord(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !WORD_END.test(this.text[this.pos] ?? '')) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private readWhile(pattern: RegExp): string {
    const start = this.pos;
    while (this.pos < this.text.length && pattern.test(this.text[this.pos] ?? '')) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private expect(char: string): void {
    if (this.text[this.pos] !== char) {
      const found = this.atEnd() ? 'the end of the filter' : `'${this.rest(10)}'`;
      throw invalid(`Expected '${char}' at position ${this.pos + 1}, found ${found}.`);
    }
    this.pos++;
  }
}

function invalid(detail: string): ScimError {
  return ScimError.badRequest('invalidFilter', detail);
}
