/** One entry point for every edit operation, as the console sends them. Pure. */
import { clearStepField } from './clear-step-field.ts';
import { deleteStep } from './delete-step.ts';
import { duplicateStep } from './duplicate-step.ts';
import type { EditOperation, EditResult } from './edit-types.ts';
import { insertStep } from './insert-step.ts';
import { moveStep } from './move-step.ts';
import { setStepField } from './set-step-field.ts';

/**
 * Applies one operation to a runbook text; everything it does not touch stays byte for byte.
 *
 * @example
 * const result = applyEdit(text, { op: 'move', step: 'close_period', to: { index: 0 } });
 * if (result.ok) writeFileSync(file, result.text); else console.error(result.code, result.message);
 */
export function applyEdit(text: string, operation: EditOperation): EditResult {
  switch (operation.op) {
    case 'move':
      return moveStep(text, operation.step, operation.to);
    case 'insert':
      return insertStep(text, operation.template, operation.at, operation.id);
    case 'delete':
      return deleteStep(text, operation.step);
    case 'duplicate':
      return duplicateStep(text, operation.step, operation.id);
    case 'set':
      return setStepField(text, operation.step, operation.path, operation.value);
    case 'clear':
      return clearStepField(text, operation.step, operation.path);
    default:
      return unknownOperation(operation);
  }
}

function unknownOperation(operation: never): EditResult {
  const op = (operation as { op?: unknown }).op;
  return { ok: false, code: 'EDIT_FIELD_INVALID', message: `unknown edit operation ${JSON.stringify(op)} (move, insert, delete, duplicate, set or clear)` };
}
