/**
 * Maps JSON pointers to file positions through the parsed YAML node tree.
 * Only consulted when there is something to report, so a valid file pays nothing.
 */
import type { Alias, Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { yamlLibrary } from './yaml-library.ts';

// `yaml` loads on the first lookup (yaml-library.ts): a valid file never needs it.
function isAlias(node: unknown): node is Alias { return yamlLibrary().isAlias(node); }
function isMap(node: unknown): node is YAMLMap { return yamlLibrary().isMap(node); }
function isPair(node: unknown): node is Pair { return yamlLibrary().isPair(node); }
function isScalar(node: unknown): node is Scalar { return yamlLibrary().isScalar(node); }
function isSeq(node: unknown): node is YAMLSeq { return yamlLibrary().isSeq(node); }
import type { Diagnostic, PendingDiagnostic, PendingRelated, RelatedLocation, SourceLocation } from './diagnostic.ts';
import { fromPointer } from './json-pointer.ts';

/** Longer source lines are cut (minified or hostile input would flood the output). */
const MAX_SOURCE_LINE = 400;

interface Position {
  readonly line: number;
  readonly column: number;
  readonly sourceLine: string;
}

/** Locates pointers and offsets of one file. */
export class SourceLocator {
  private lineStarts: number[] | undefined;
  private parsed: Document.Parsed | undefined;
  private parse: (() => Document.Parsed | undefined) | undefined;

  /** `document` may be a function that parses it: called once, on the first pointer lookup (a valid file rarely needs it). */
  constructor(
    readonly file: string,
    readonly text: string,
    document?: Document.Parsed | (() => Document.Parsed | undefined),
  ) {
    if (typeof document === 'function') this.parse = document;
    else this.parsed = document;
  }

  private get document(): Document.Parsed | undefined {
    if (this.parse) {
      this.parsed = this.parse();
      this.parse = undefined;
    }
    return this.parsed;
  }

  /** Line, column (1-based) and the text of the line at a character offset. */
  position(offset: number): Position {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    const at = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= at) low = mid;
      else high = mid - 1;
    }
    const start = starts[low];
    const end = low + 1 < starts.length ? starts[low + 1] : this.text.length;
    const line = this.text.slice(start, Math.min(end, start + MAX_SOURCE_LINE + 1)).replace(/\r?\n$/, '');
    const sourceLine = line.length > MAX_SOURCE_LINE ? line.slice(0, MAX_SOURCE_LINE) + '…' : line;
    return { line: low + 1, column: at - start + 1, sourceLine };
  }

  /** Character offset of the node a pointer names (its key with `at: 'key'`), or of the nearest ancestor that exists. */
  offsetOf(pointer: string, at: 'key' | 'value' = 'value', inner?: number): number {
    const found = this.resolve(fromPointer(pointer));
    if (!found) return 0;
    const { node, pair, complete } = found;
    if (complete && inner !== undefined && isScalar(node) && typeof node.value === 'string') return this.innerOffset(node, inner);
    const keyStart = isPair(pair) && (pair.key as Node | null)?.range ? (pair.key as Node).range![0] : undefined;
    const valueStart = node?.range?.[0];
    const preferKey = at === 'key' || !complete || (isScalar(node) && node.value === null);
    if (preferKey && keyStart !== undefined) return keyStart;
    return valueStart ?? keyStart ?? 0;
  }

  /** Places a pending diagnostic in this file. */
  place(pending: PendingDiagnostic, relatedLocator?: (file: string) => SourceLocator | undefined): Diagnostic {
    const location = this.locate(pending.pointer, pending.at, pending.offset);
    const related = pending.related?.map((r) => this.placeRelated(r, relatedLocator));
    return {
      code: pending.code,
      severity: pending.severity ?? 'error',
      message: pending.message,
      ...location,
      ...(related && related.length > 0 ? { related } : {}),
    };
  }

  locate(pointer: string, at?: 'key' | 'value', inner?: number): SourceLocation {
    const { line, column, sourceLine } = this.position(this.offsetOf(pointer, at, inner));
    return { file: this.file, pointer, line, column, sourceLine };
  }

  private placeRelated(related: PendingRelated, relatedLocator?: (file: string) => SourceLocator | undefined): RelatedLocation {
    const locator = related.file && related.file !== this.file ? relatedLocator?.(related.file) : this;
    if (!locator) return { message: related.message, file: related.file ?? this.file, pointer: related.pointer, line: 1, column: 1 };
    return { message: related.message, ...locator.locate(related.pointer, related.at) };
  }

  private resolve(segments: string[]): { node: Node | null; pair?: Pair; complete: boolean } | undefined {
    if (!this.document) return undefined;
    let node = this.document.contents as Node | null;
    let pair: Pair | undefined;
    for (const segment of segments) {
      if (isAlias(node)) node = (node.resolve(this.document) as Node | undefined) ?? null;
      let next: { node: Node | null; pair?: Pair } | undefined;
      if (isMap(node)) {
        const match = node.items.find((item) => keyText(item.key) === segment);
        if (match) next = { node: match.value as Node | null, pair: match };
      } else if (isSeq(node) && /^\d+$/.test(segment)) {
        const item = node.items[Number(segment)] as Node | undefined;
        if (item !== undefined) next = { node: item };
      }
      if (!next) return { node, pair, complete: false };
      node = next.node;
      pair = next.pair;
    }
    return { node, pair, complete: true };
  }

  /** Offset of a character inside a string scalar: exact for single-line flow scalars and literal blocks, else the scalar's start. */
  private innerOffset(node: Scalar, inner: number): number {
    const [start, end] = node.range!;
    const source = this.text.slice(start, end);
    switch (node.type) {
      case yamlLibrary().Scalar.PLAIN:
        return source.includes('\n') ? start : start + inner;
      case yamlLibrary().Scalar.QUOTE_SINGLE:
      case yamlLibrary().Scalar.QUOTE_DOUBLE:
        return source.includes('\n') ? start : start + 1 + inner;
      case yamlLibrary().Scalar.BLOCK_LITERAL:
        return this.literalOffset(node, start, end, inner);
      default:
        return start;
    }
  }

  private literalOffset(node: Scalar, start: number, end: number, inner: number): number {
    const value = String(node.value);
    const before = value.slice(0, inner);
    const lineIndex = before.split('\n').length - 1;
    const column = inner - (before.lastIndexOf('\n') + 1);
    const header = this.position(start).line;
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    const firstContent = starts[header];
    if (firstContent === undefined) return start;
    const indent = /^[ ]*/.exec(this.text.slice(firstContent, end).split('\n').find((line) => line.trim() !== '') ?? '')![0].length;
    const lineStart = starts[header + lineIndex];
    if (lineStart === undefined || lineStart + indent + column > end) return start;
    return lineStart + indent + column;
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  return undefined;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
