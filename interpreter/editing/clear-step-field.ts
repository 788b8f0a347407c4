/**
 * `clear`: removes one field of a step: the key's lines, the comment on its line and the comment
 * lines right above it. A mapping or list left empty becomes `{}` / `[]`. A flow collection on
 * the way is re-rendered whole, in flow style. Clearing a field that is not there changes nothing. Pure.
 */
import { isMap, isScalar, type Node } from 'yaml';
import type { EditResult } from './edit-types.ts';
import { checkFieldPath, deleteIn, locateStepField, walkPath, type PathSegment } from './field-path.ts';
import { isTextRefusal } from './find-step.ts';
import { contentEnd, type RunbookText } from './runbook-text.ts';
import { writeField } from './set-step-field.ts';
import { splice } from './step-splice.ts';
import { indentOf, isCommentLine, replaceRange } from './text-lines.ts';
import { textStyle } from './text-style.ts';
import { renderFlow } from './yaml-render.ts';

/**
 * Removes `path` from step `step`.
 *
 * @example
 * clearStepField(text, 'close_period', ['when'])
 */
export function clearStepField(text: string, step: string, path: readonly PathSegment[]): EditResult {
  const problem = checkFieldPath(path);
  if (problem) return { ok: false, ...problem };
  const located = locateStepField(text, step, path);
  if (isTextRefusal(located)) return { ok: false, ...located };
  const { source, block, walk } = located;
  if (walk.found < path.length) return { ok: true, text };
  if (walk.flowAt !== null) {
    const node = walk.containers[walk.flowAt];
    const [start, end] = node.range ?? [0, 0];
    return { ok: true, text: replaceRange(text, start, end, renderFlow(deleteIn(node.toJS(source.document), path.slice(walk.flowAt)), textStyle(source))) };
  }
  const container = walk.containers[path.length - 1];
  if (container.items.length === 1) {
    const parent = walkPath(block.node, path.slice(0, -1));
    if (isTextRefusal(parent)) return { ok: false, ...parent };
    return { ok: true, text: writeField(source, parent, path.slice(0, -1), isMap(container) ? {} : []) };
  }
  const first = walk.pair ? (walk.pair.key as Node) : walk.node;
  const last = walk.pair ? ((walk.pair.value as Node | null) ?? (walk.pair.key as Node)) : walk.node;
  if (!last) return { ok: true, text };
  return { ok: true, text: removeEntry(source, first, last, path[path.length - 1], container.items) };
}

/** Removes a pair or list item: its whole lines, or (a first key sharing a `- ` line) up to the next key. */
function removeEntry(source: RunbookText, first: Node | null, last: Node, segment: PathSegment, items: readonly unknown[]): string {
  const { text, index, lines } = source;
  const start = first?.range?.[0] ?? 0;
  const line = index.lineOf(start);
  const before = text.slice(index.lineStart(line), start);
  const ownLine = typeof segment === 'number' ? /^\s*-\s*$/.test(before) : /^\s*$/.test(before);
  const end = contentEnd(last) ?? start;
  if (!ownLine && typeof segment === 'string') {
    // `- key: value` followed by more keys: the next key moves up onto the `- ` line.
    const at = items.findIndex((item) => isScalar((item as { key?: unknown }).key) && ((item as { key: { value: unknown } }).key.value === segment));
    const next = items[at + 1] as { key?: Node } | undefined;
    const nextStart = next?.key?.range?.[0];
    if (nextStart !== undefined) return replaceRange(text, start, nextStart, '');
  }
  let from = line;
  const column = indentOf(lines[line]);
  while (ownLine && from - 1 >= 0 && isCommentLine(lines[from - 1]) && indentOf(lines[from - 1]) === column) from--;
  const to = index.lineOf(Math.max(start, end - 1));
  return splice(source, { start: from, end: to + 1 }, null);
}
