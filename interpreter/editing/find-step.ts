/** Finding a step of a runbook text by id, and where a StepPosition puts a step. Pure. */
import { didYouMean } from '../loader/did-you-mean.ts';
import type { EditRefusalCode, StepPosition } from './edit-types.ts';
import type { RunbookText, StepBlock, TextRefusal } from './runbook-text.ts';

export function refusal(code: EditRefusalCode, message: string): TextRefusal {
  return { code, message };
}

/** The step with this id, or EDIT_STEP_NOT_FOUND with a did-you-mean. */
export function findStep(source: RunbookText, id: string): StepBlock | TextRefusal {
  const block = source.blocks.find((candidate) => candidate.id === id);
  if (block) return block;
  return refusal('EDIT_STEP_NOT_FOUND', `no step "${id}" in the runbook${didYouMean(id, stepIds(source))}`);
}

export function stepIds(source: RunbookText): string[] {
  return source.blocks.flatMap((block) => (block.id === null ? [] : [block.id]));
}

export function isTextRefusal(value: unknown): value is TextRefusal {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

/**
 * Where `position` puts a step in the list of `others` (the steps without the one placed): a
 * 0-based index into that list, and whether it goes right after a named step.
 */
export function resolvePosition(source: RunbookText, position: StepPosition, moving: string | null): { index: number; after: boolean } | TextRefusal {
  const others = source.blocks.filter((block) => moving === null || block.id !== moving);
  if ('index' in position) {
    const last = others.length;
    if (!Number.isInteger(position.index) || position.index < 0 || position.index > last) {
      return refusal('EDIT_POSITION_INVALID', `position ${position.index} is out of range: the step can go at 0 to ${last} (0-based)`);
    }
    return { index: position.index, after: false };
  }
  const target = 'before' in position ? position.before : position.after;
  if (moving !== null && target === moving) return refusal('EDIT_POSITION_INVALID', `step "${moving}" cannot go ${'before' in position ? 'before' : 'after'} itself`);
  const at = others.findIndex((block) => block.id === target);
  if (at < 0) {
    const ids = others.flatMap((block) => (block.id === null ? [] : [block.id]));
    return refusal('EDIT_POSITION_INVALID', `no step "${target}" to go ${'before' in position ? 'before' : 'after'}${didYouMean(target, ids)}`);
  }
  return 'before' in position ? { index: at, after: false } : { index: at + 1, after: true };
}
