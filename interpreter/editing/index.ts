/**
 * Lossless edits of runbook texts (move, insert, delete, duplicate, set, clear), the editor's
 * step outline and the data-flow conflicts of a move. Pure: shared by the CLI, the console server
 * and the browser editor.
 */
export { applyEdit } from './apply-edit.ts';
export { moveStep } from './move-step.ts';
export { insertStep } from './insert-step.ts';
export { deleteStep } from './delete-step.ts';
export { duplicateStep } from './duplicate-step.ts';
export { setStepField } from './set-step-field.ts';
export { clearStepField } from './clear-step-field.ts';
export { STEP_TEMPLATES } from './step-templates.ts';
export { outlineSteps } from './outline-steps.ts';
export { flowConflicts } from './flow-conflicts.ts';
export { introducedDiagnostics } from './introduced-diagnostics.ts';
export type { ComparableDiagnostic } from './introduced-diagnostics.ts';
export { unifiedDiff, changedLines } from './unified-diff.ts';
export { readRunbookText, isRefusal, renderLines } from './runbook-text.ts';
export type { RunbookText, StepBlock } from './runbook-text.ts';
export type { StepPosition, EditOperation, EditResult, EditRefusalCode, StepTemplate, StepOutline, FlowConflict } from './edit-types.ts';
