/**
 * `set`: one field of a step to a new value. Only the value's text changes (a quoted string
 * keeps its quotes); a new key goes at the end of its mapping, at the mapping's indentation,
 * with any missing mappings in block style. A flow collection on the way (`{ ... }`) is
 * re-rendered whole, in flow style. Pure.
 */
import { isCollection, isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { EditResult } from './edit-types.ts';
import { checkFieldPath, checkNewPath, locateStepField, setIn, type PathSegment, type PathWalk } from './field-path.ts';
import { isTextRefusal } from './find-step.ts';
import { contentEnd, type RunbookText } from './runbook-text.ts';
import { splice } from './step-splice.ts';
import { replaceRange } from './text-lines.ts';
import { textStyle } from './text-style.ts';
import { isJsonValue, renderFlow, renderPair, renderPairValue } from './yaml-render.ts';

/**
 * Sets `path` of step `step` to `value` (JSON values only).
 *
 * @example
 * setStepField(text, 'commit_trial_balance', ['call', 'timeout'], '45s')
 */
export function setStepField(text: string, step: string, path: readonly PathSegment[], value: unknown): EditResult {
  const problem = checkFieldPath(path) ?? (isJsonValue(value) ? undefined : { code: 'EDIT_FIELD_INVALID' as const, message: 'the value is not one YAML can hold as written (null, a boolean, a finite number, a string, or lists and plain objects of them)' });
  if (problem) return { ok: false, ...problem };
  const located = locateStepField(text, step, path);
  if (isTextRefusal(located)) return { ok: false, ...located };
  const { source, walk } = located;
  if (walk.found < path.length) {
    const missing = checkNewPath(path.slice(walk.found + 1));
    if (missing) return { ok: false, ...missing };
  }
  return { ok: true, text: writeField(source, walk, path, value) };
}

/** The text with the walked field set; shared with `clear`, which sets emptied mappings to `{}`. */
export function writeField(source: RunbookText, walk: PathWalk, path: readonly PathSegment[], value: unknown): string {
  const style = textStyle(source);
  const { text, eol, index } = source;
  if (walk.flowAt !== null) {
    const node = walk.containers[walk.flowAt];
    const [start, end] = node.range ?? [0, 0];
    return replaceRange(text, start, end, renderFlow(setIn(node.toJS(source.document), path.slice(walk.flowAt), value), style));
  }
  const { found } = walk;
  if (found === path.length || (found > 0 && isScalar(walk.node) && walk.node.value === null)) {
    const leaf = found === path.length ? value : setIn(undefined, path.slice(found), value);
    return replaceValue(source, walk, leaf);
  }
  // A new key (or list item) at the end of the deepest existing collection.
  const container = walk.containers[found];
  const end = contentEnd(container) ?? 0;
  const line = index.lineOf(Math.max(0, end - 1)) + 1;
  const first = container.items[0] as unknown;
  const firstNode = (isMap(container) ? (first as { key: Node }).key : first) as Node | null;
  const column = firstNode?.range ? index.columnOf(firstNode.range[0]) : 0;
  const rest = setIn(undefined, path.slice(found + 1), value);
  const lines = isSeq(container)
    ? itemLines(rest, source, column)
    : renderPair(String(path[found]), rest, column, style, eol);
  return splice(source, null, { line, lines });
}

function itemLines(value: unknown, source: RunbookText, itemColumn: number): string[] {
  // The item's value starts two columns after its `- `.
  const dash = Math.max(0, itemColumn - 2);
  const rendered = renderPairValue(value, itemColumn, textStyle(source), source.eol).replace(/^ /, '');
  const body = rendered.startsWith(source.eol) ? rendered.slice(source.eol.length).trimStart() : rendered;
  return `${' '.repeat(dash)}- ${body}${source.eol}`.split(/(?<=\n)/);
}

/** An end offset moved back before line endings (a block scalar's range takes its last newline). */
function withoutLineEnd(text: string, end: number): number {
  let at = end;
  while (at > 0 && (text[at - 1] === '\n' || text[at - 1] === '\r')) at--;
  return at;
}

/** Replaces the value of an existing pair or list item. */
function replaceValue(source: RunbookText, walk: PathWalk, value: unknown): string {
  const { text, eol, index } = source;
  const style = textStyle(source);
  const old = walk.node;
  const keep = isScalar(old) && typeof value === 'string' && old.type !== 'PLAIN' ? (old.type as Scalar.Type) : undefined;
  const range = old?.range;
  if (walk.pair === null) {
    // A list item: its own text only.
    if (!range) return text;
    const column = index.columnOf(range[0]);
    const rendered = renderPairValue(value, column, style, eol, keep).replace(/^ /, '');
    const body = rendered.startsWith(eol) ? rendered.slice(eol.length).trimStart() : rendered;
    return replaceRange(text, range[0], withoutLineEnd(text, contentEnd(old) ?? range[1]), body);
  }
  const key = walk.pair.key as Node;
  const keyRange = key.range ?? [0, 0, 0];
  const keyColumn = index.columnOf(keyRange[0]);
  const singleLine = range !== undefined && range !== null && range[1] > range[0] && index.lineOf(range[0]) === index.lineOf(range[1] - 1);
  const isBlockScalar = isScalar(old) && (old.type === 'BLOCK_LITERAL' || old.type === 'BLOCK_FOLDED');
  if (range && singleLine && !isBlockScalar) {
    if (isCollection(value) || (value !== null && typeof value === 'object')) {
      if (isCollection(old) && old.flow) return replaceRange(text, range[0], range[1], renderFlow(value, style));
    } else {
      const rendered = renderPairValue(value, keyColumn, style, eol, keep);
      if (!rendered.includes('\n')) return replaceRange(text, range[0], range[1], rendered.trimStart());
    }
  }
  const colon = text.indexOf(':', keyRange[1]) + 1;
  const end = old && range && range[1] > range[0] ? withoutLineEnd(text, contentEnd(old) ?? range[1]) : colon;
  return replaceRange(text, colon, Math.max(colon, end), renderPairValue(value, keyColumn, style, eol, keep));
}
