/**
 * A runbook text as the edits see it: its lines (each with its own ending), the parsed
 * document with source ranges, and each step as a block of whole lines (its leading comment
 * included). Edits cut and paste these line blocks, so nothing they do not touch changes. Pure.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { EditRefusalCode } from './edit-types.ts';
import { LineIndex, indentOf, isBlankLine, isCommentLine, lineEnding, splitLines } from './text-lines.ts';

/** One step of the `steps` sequence as lines: 0-based, inclusive. */
export interface StepBlock {
  readonly index: number;
  /** The item node (a mapping for a well-formed step). */
  readonly node: Node | null;
  readonly id: string | null;
  /** First line: its leading comment, or the `- ` line. */
  readonly start: number;
  /** The line of its `- `. */
  readonly dash: number;
  /** Its last line (trailing blank lines are not part of it). */
  readonly end: number;
}

export interface RunbookText {
  readonly text: string;
  /** Every line with its ending; a missing final newline is added here and taken off again by `render`. */
  readonly lines: readonly string[];
  readonly finalNewline: boolean;
  readonly eol: string;
  readonly index: LineIndex;
  readonly document: Document.Parsed;
  readonly steps: YAMLSeq;
  /** Column of the steps' `- ` (block sequences). */
  readonly dashColumn: number;
  readonly blocks: readonly StepBlock[];
}

export interface TextRefusal {
  readonly code: EditRefusalCode;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * Parses a runbook text for editing, or says why it cannot be edited. `tolerant` (for the
 * outline) reads what it can of a text with YAML errors.
 */
export function readRunbookText(text: string, tolerant = false): RunbookText | TextRefusal {
  const document = parseDocument(text, { keepSourceTokens: true, prettyErrors: false, uniqueKeys: !tolerant });
  const index = new LineIndex(text);
  const error = document.errors[0];
  if (error && !tolerant) {
    const at = error.pos[0];
    const [line, column] = [index.lineOf(at) + 1, index.columnOf(at) + 1];
    return { code: 'EDIT_NOT_A_RUNBOOK', message: `the text is not valid YAML (line ${line}, column ${column}): ${error.message.split('\n')[0]}`, line, column };
  }
  const steps = stepsNode(document);
  if (!steps) return { code: 'EDIT_NOT_A_RUNBOOK', message: 'the text has no `steps` list: a runbook is a mapping with `steps:` and a list of steps under it' };
  if (steps.flow && !tolerant) return { code: 'EDIT_NOT_A_RUNBOOK', message: '`steps` is written as a flow list (`[...]`): write it as a block list (`- id: ...` lines) to edit it' };
  const finalNewline = text === '' || text.endsWith('\n');
  const eol = lineEnding(text);
  const lines = splitLines(text);
  if (!finalNewline) lines[lines.length - 1] += eol;
  const keyRange = isMap(document.contents) ? (stepsPair(document.contents)?.key as Node | null)?.range : undefined;
  const blocks = stepBlocks(steps, lines, index, keyRange ? index.lineOf(keyRange[0]) : -1);
  if (!blocks) return { code: 'EDIT_NOT_A_RUNBOOK', message: 'the `steps` list could not be read item by item' };
  const dashColumn = blocks.length > 0 ? indentOf(lines[blocks[0].dash]) : 2;
  return { text, lines, finalNewline, eol, index, document, steps, dashColumn, blocks };
}

export function isRefusal(value: RunbookText | TextRefusal): value is TextRefusal {
  return 'code' in value;
}

/** Lines back to text, with the file's own final-newline convention. */
export function renderLines(lines: readonly string[], source: RunbookText): string {
  const text = lines.join('');
  if (source.finalNewline) return text;
  return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** The top-level `steps` sequence, if the document is a mapping that has one. */
export function stepsNode(document: Document.Parsed): YAMLSeq | undefined {
  if (!isMap(document.contents)) return undefined;
  const value = stepsPair(document.contents)?.value;
  return isSeq(value) ? value : undefined;
}

function stepsPair(map: YAMLMap): Pair | undefined {
  return map.items.find((pair) => isScalar(pair.key) && pair.key.value === 'steps');
}

/** The step's id when it is a mapping with a string `id`. */
export function stepId(node: unknown): string | null {
  if (!isMap(node)) return null;
  const id = node.get('id');
  return typeof id === 'string' ? id : null;
}

/** Offset just after the last character of real content of a node (trailing comments and blank lines excluded). */
export function contentEnd(node: unknown): number | undefined {
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    const last = node.items[node.items.length - 1];
    if (last === undefined) return node.range?.[1];
    if (isSeq(node)) return contentEnd(last) ?? node.range?.[1];
    const pair = last as Pair;
    const value = pair.value as Node | null;
    if (value && value.range && value.range[1] > value.range[0]) return contentEnd(value);
    return (pair.key as Node | null)?.range?.[1];
  }
  const range = (node as Node | null)?.range;
  return range?.[1];
}

function stepBlocks(steps: YAMLSeq, lines: readonly string[], index: LineIndex, keyLine: number): StepBlock[] | undefined {
  if (steps.flow) return flowStepBlocks(steps, index);
  const token = steps.srcToken;
  if (!token || token.type !== 'block-seq') return undefined;
  const dashes = token.items.flatMap((item) => item.start.filter((t) => t.type === 'seq-item-ind').map((t) => t.offset));
  if (dashes.length !== steps.items.length) return undefined;
  const blocks: StepBlock[] = [];
  let previousEnd = keyLine;
  steps.items.forEach((item, at) => {
    const node = (item ?? null) as Node | null;
    const dash = index.lineOf(dashes[at]);
    const dashColumn = indentOf(lines[dash]);
    let start = dash;
    while (start - 1 > previousEnd && isCommentLine(lines[start - 1]) && indentOf(lines[start - 1]) <= dashColumn) start--;
    const endOffset = contentEnd(node);
    let end = endOffset === undefined || endOffset <= dashes[at] ? dash : index.lineOf(endOffset - 1);
    const nextDash = at + 1 < dashes.length ? index.lineOf(dashes[at + 1]) : lines.length;
    while (end + 1 < nextDash && isCommentLine(lines[end + 1]) && indentOf(lines[end + 1]) > dashColumn) end++;
    blocks.push({ index: at, node, id: stepId(node), start, dash, end });
    previousEnd = end;
  });
  return blocks;
}

/** The blank-line count that separates steps in this file (the most common one; 0 with one step). */
export function stepSeparation(source: RunbookText): number {
  const counts = new Map<number, number>();
  const { blocks, lines } = source;
  for (let at = 0; at + 1 < blocks.length; at++) {
    const gap = lines.slice(blocks[at].end + 1, blocks[at + 1].start);
    if (!gap.every(isBlankLine)) continue;
    counts.set(gap.length, (counts.get(gap.length) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [blank, count] of counts) if (count > bestCount) [best, bestCount] = [blank, count];
  return best;
}

/** Steps of a flow list (`steps: [...]`): each its own range of lines (for the outline only). */
function flowStepBlocks(steps: YAMLSeq, index: LineIndex): StepBlock[] {
  return steps.items.map((item, at) => {
    const node = (item ?? null) as Node | null;
    const range = node?.range ?? steps.range ?? [0, 0, 0];
    const start = index.lineOf(range[0]);
    return { index: at, node, id: stepId(node), start, dash: start, end: index.lineOf(Math.max(range[0], range[1] - 1)) };
  });
}
