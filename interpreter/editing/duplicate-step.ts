/** `duplicate`: a copy of a step's lines (leading comment included) right after it, with a new id. Pure. */
import { isMap, isScalar, type Scalar } from 'yaml';
import type { EditResult } from './edit-types.ts';
import { findStep, isTextRefusal, stepIds } from './find-step.ts';
import { checkNewStepId } from './new-step-check.ts';
import { freeStepId } from './new-step-id.ts';
import { isRefusal, readRunbookText } from './runbook-text.ts';
import { blockLines, pasteAt, splice } from './step-splice.ts';

/**
 * Duplicates step `step` right after it, as `id` (default `<step>_<n>`).
 *
 * @example
 * duplicateStep(text, 'review_extraction', 'second_review')
 */
export function duplicateStep(text: string, step: string, id?: string): EditResult {
  const source = readRunbookText(text);
  if (isRefusal(source)) return { ok: false, ...source };
  const block = findStep(source, step);
  if (isTextRefusal(block)) return { ok: false, ...block };
  const taken = stepIds(source);
  const problem = id === undefined ? undefined : checkNewStepId(id, taken);
  if (problem) return { ok: false, ...problem };
  const newId = id ?? freeStepId(step, taken);
  const idNode = isMap(block.node) ? block.node.items.find((pair) => isScalar(pair.key) && pair.key.value === 'id')?.value : undefined;
  if (!isScalar(idNode) || !idNode.range) return { ok: false, code: 'EDIT_STEP_NOT_FOUND', message: `step "${step}" has no id to copy` };
  const copy = blockLines(source, block).join('');
  const base = source.index.lineStart(block.start);
  const [from, to] = [idNode.range[0] - base, idNode.range[1] - base];
  const renamed = copy.slice(0, from) + quoted(newId, idNode.type) + copy.slice(to);
  const lines = renamed.split(/(?<=\n)/);
  return { ok: true, text: splice(source, null, pasteAt(source, source.blocks, block.index + 1, true, lines)) };
}

function quoted(id: string, type: Scalar.Type | undefined): string {
  if (type === 'QUOTE_SINGLE') return `'${id}'`;
  if (type === 'QUOTE_DOUBLE') return `"${id}"`;
  return id;
}
