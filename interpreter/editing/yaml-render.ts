/**
 * New YAML text for values an edit writes (a template step, a field's new value), in the file's
 * own style (text-style.ts): the `yaml` package quotes and escapes, this places the lines. Pure.
 */
import { Document, isMap, isScalar, visit, type Scalar } from 'yaml';
import type { TextStyle } from './text-style.ts';

/** A value YAML can hold as written: null, booleans, finite numbers, strings, lists and plain objects of them. */
export function isJsonValue(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((item) => isJsonValue(item, depth + 1));
}

function options(style: TextStyle) {
  return { indent: style.indent, indentSeq: style.indentSeq, singleQuote: style.singleQuote, lineWidth: 0, flowCollectionPadding: style.flowPadding } as const;
}

/** Lines (no endings) of a value rendered in block style at column 0; short lists of plain values in flow style (`[a, b]`). */
function blockLines(value: unknown, style: TextStyle, scalarType?: Scalar.Type): string[] {
  const document = new Document(value, { aliasDuplicateObjects: false });
  visit(document, {
    Seq(_, seq) {
      const short = (item: unknown): boolean => isScalar(item) && (typeof item.value !== 'string' || (item.value.length <= 40 && !item.value.includes('\n')));
      if (seq.items.length > 0 && seq.items.length <= 8 && seq.items.every(short)) seq.flow = true;
    },
  });
  // Only the value keeps the old quoting: `x: value` is rendered, and `x` stays plain.
  const root = document.contents;
  const pair = isMap(root) ? root.items[0] : undefined;
  if (scalarType && pair && isScalar(pair.value) && typeof pair.value.value === 'string') pair.value.type = scalarType;
  return document.toString({ ...options(style), flowCollectionPadding: style.flowSeqPadding }).replace(/\n$/, '').split('\n');
}

function padded(lines: readonly string[], column: number): string[] {
  return lines.map((line) => (line === '' ? line : ' '.repeat(column) + line));
}

/** A step as a `steps` item: `- ` at the steps' column, its keys at the file's offset from it. */
export function renderStepItem(step: Record<string, unknown>, style: TextStyle, dashColumn: number, eol: string): string[] {
  const lines = blockLines(step, style);
  const keyColumn = dashColumn + style.stepKeyOffset;
  const first = ' '.repeat(dashColumn) + '-' + ' '.repeat(style.stepKeyOffset - 1) + lines[0];
  return [first, ...padded(lines.slice(1), keyColumn)].map((line) => line + eol);
}

/**
 * What follows `key` for a pair at `keyColumn`: `: value` on the line, or `:` and the value's lines
 * below it. `scalarType` keeps a string's old quoting (QUOTE_SINGLE, QUOTE_DOUBLE, BLOCK_LITERAL...).
 */
export function renderPairValue(value: unknown, keyColumn: number, style: TextStyle, eol: string, scalarType?: Scalar.Type): string {
  const [first, ...rest] = blockLines({ x: value }, style, scalarType);
  const head = first.slice('x:'.length);
  return [head, ...padded(rest, keyColumn)].join(eol);
}

/** `key: value` lines (with endings) for a new pair at `keyColumn`. */
export function renderPair(key: string, value: unknown, keyColumn: number, style: TextStyle, eol: string): string[] {
  const lines = blockLines({ [key]: value }, style);
  return padded(lines, keyColumn).map((line) => line + eol);
}

/** A value in flow style on one line (`{ a: 1, b: [x] }`), for flow collections re-rendered whole. */
export function renderFlow(value: unknown, style: TextStyle): string {
  const document = new Document(value, { aliasDuplicateObjects: false });
  visit(document, {
    Map(_, map) {
      map.flow = true;
    },
    Seq(_, seq) {
      seq.flow = true;
    },
  });
  visit(document, {
    Scalar(_, scalar) {
      if (typeof scalar.value === 'string' && scalar.value.includes('\n')) scalar.type = 'QUOTE_DOUBLE';
    },
  });
  return document.toString(options(style)).replace(/\n$/, '');
}

/** True for a value rendered as a collection (it gets its own lines in block style). */
export function isCollectionValue(value: unknown): boolean {
  return value !== null && typeof value === 'object';
}
