/** Whether an id given for a new step (insert, duplicate) can be used. Pure. */
import type { TextRefusal } from './runbook-text.ts';
import { STEP_ID_PATTERN } from './new-step-id.ts';

export function checkNewStepId(id: string, taken: readonly string[]): TextRefusal | undefined {
  if (!STEP_ID_PATTERN.test(id)) return { code: 'EDIT_FIELD_INVALID', message: `"${id}" is not a step id: lower_snake_case, starting with a letter (e.g. review_totals)` };
  if (taken.includes(id)) return { code: 'EDIT_STEP_ID_TAKEN', message: `another step already has the id "${id}"` };
  return undefined;
}
