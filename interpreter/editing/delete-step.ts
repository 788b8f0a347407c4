/** `delete`: a step's lines (its leading comment included) and the blank lines that separated it. Pure. */
import type { EditResult } from './edit-types.ts';
import { findStep, isTextRefusal } from './find-step.ts';
import { isRefusal, readRunbookText, renderLines } from './runbook-text.ts';
import { cutSpan, splice } from './step-splice.ts';

/**
 * Deletes step `step`. The last remaining step leaves `steps: []` behind.
 *
 * @example
 * deleteStep(text, 'close_period')
 */
export function deleteStep(text: string, step: string): EditResult {
  const source = readRunbookText(text);
  if (isRefusal(source)) return { ok: false, ...source };
  const block = findStep(source, step);
  if (isTextRefusal(block)) return { ok: false, ...block };
  if (source.blocks.length > 1) return { ok: true, text: splice(source, cutSpan(source, block), null) };
  // The only step: an empty flow list keeps `steps` a list.
  let keyLine = block.start - 1;
  while (keyLine >= 0 && !/^\s*steps\s*:/.test(source.lines[keyLine])) keyLine--;
  const lines = source.lines.filter((_, at) => at < block.start || at > block.end);
  if (keyLine >= 0) lines[keyLine] = lines[keyLine].replace(/^(\s*steps\s*:)/, '$1 []');
  return { ok: true, text: renderLines(lines, source) };
}
