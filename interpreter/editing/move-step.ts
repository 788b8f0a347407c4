/** `move`: a step (with its leading comment) to another place in `steps`; nothing else changes. Pure. */
import type { EditResult, StepPosition } from './edit-types.ts';
import { findStep, isTextRefusal, resolvePosition } from './find-step.ts';
import { isRefusal, readRunbookText } from './runbook-text.ts';
import { blockLines, cutSpan, pasteAt, splice } from './step-splice.ts';

/**
 * Moves step `step` to `to`; the text is otherwise unchanged byte for byte.
 *
 * @example
 * moveStep(text, 'close_period', { before: 'commit_trial_balance' }) // { ok: true, text: '...' }
 */
export function moveStep(text: string, step: string, to: StepPosition): EditResult {
  const source = readRunbookText(text);
  if (isRefusal(source)) return { ok: false, ...source };
  const block = findStep(source, step);
  if (isTextRefusal(block)) return { ok: false, ...block };
  const target = resolvePosition(source, to, step);
  if (isTextRefusal(target)) return { ok: false, ...target };
  if (target.index === block.index) return { ok: true, text };
  const others = source.blocks.filter((other) => other !== block);
  return { ok: true, text: splice(source, cutSpan(source, block), pasteAt(source, others, target.index, target.after, blockLines(source, block))) };
}
