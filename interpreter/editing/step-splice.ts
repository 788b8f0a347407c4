/**
 * Cutting a step's lines out of a runbook text and pasting step lines in, keeping the file's
 * blank-line separation between steps. Every line not cut or pasted stays byte for byte. Pure.
 */
import { renderLines, stepSeparation, type RunbookText, type StepBlock } from './runbook-text.ts';
import { isBlankLine } from './text-lines.ts';

/** Lines `[start, end)` of the original text. */
export interface LineSpan {
  readonly start: number;
  readonly end: number;
}

/** Where pasted lines go: before line `line` of the original text. */
export interface Paste {
  readonly line: number;
  readonly lines: readonly string[];
}

/** The lines of a step block (leading comment included). */
export function blockLines(source: RunbookText, block: StepBlock): string[] {
  return source.lines.slice(block.start, block.end + 1);
}

/** A step's lines and the blank lines that separated it from its neighbour (after it; before it for the last step). */
export function cutSpan(source: RunbookText, block: StepBlock): LineSpan {
  const { blocks, lines } = source;
  const next = blocks[block.index + 1];
  if (next) {
    let end = block.end + 1;
    while (end < next.start && isBlankLine(lines[end])) end++;
    return { start: block.start, end };
  }
  const previous = blocks[block.index - 1];
  let start = block.start;
  while (previous && start - 1 > previous.end && isBlankLine(lines[start - 1])) start--;
  return { start, end: block.end + 1 };
}

/**
 * Where a step goes among `others` (the steps in order, without any step being moved): at
 * `index`, right after the step before it when `after`, else right before the step at `index`.
 */
export function pasteAt(source: RunbookText, others: readonly StepBlock[], index: number, after: boolean, step: readonly string[]): Paste {
  const blank = Array.from({ length: stepSeparation(source) }, () => source.eol);
  const before = others[index];
  if (before && !after) return { line: before.start, lines: [...step, ...blank] };
  const previous = others[index - 1];
  if (!previous) return { line: source.blocks[0]?.start ?? source.lines.length, lines: [...step, ...blank] };
  return { line: previous.end + 1, lines: [...blank, ...step] };
}

/** The text with `cut` removed and `paste` inserted (both in original line numbers). */
export function splice(source: RunbookText, cut: LineSpan | null, paste: Paste | null): string {
  const out: string[] = [];
  source.lines.forEach((line, at) => {
    if (paste && paste.line === at) out.push(...paste.lines);
    if (!cut || at < cut.start || at >= cut.end) out.push(line);
  });
  if (paste && paste.line >= source.lines.length) out.push(...paste.lines);
  return renderLines(out, source);
}
