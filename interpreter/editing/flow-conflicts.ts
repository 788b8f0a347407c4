/**
 * What a move would break in the data flow: the moved step reading a step that would no longer
 * run before it, or a step reading the moved step that would then run before it. Conflicts that
 * exist before the move are not the move's doing and are left out. Pure.
 */
import type { FlowConflict, StepOutline } from './edit-types.ts';

/**
 * The conflicts of moving `stepId` to `toIndex` (0-based, in the list after the move).
 *
 * @example
 * flowConflicts(outlineSteps(text) ?? [], 'commit_trial_balance', 2)
 * // [{ reader: 'commit_trial_balance', read: 'review_extraction', message: 'step "commit_trial_balance" (line 157) reads ...' }]
 */
export function flowConflicts(outline: readonly StepOutline[], stepId: string, toIndex: number): FlowConflict[] {
  const moved = outline.find((step) => step.id === stepId);
  if (!moved) return [];
  const order = outline.filter((step) => step !== moved);
  order.splice(Math.max(0, Math.min(toIndex, order.length)), 0, moved);
  const after = new Map(order.map((step, index) => [step.id, index]));
  const before = new Map(outline.map((step) => [step.id, step.index]));
  const byId = new Map(outline.map((step) => [step.id, step]));
  const conflicts: FlowConflict[] = [];
  const check = (reader: StepOutline, read: StepOutline): void => {
    if (reader === read) return;
    const ranBefore = (before.get(read.id) ?? 0) < (before.get(reader.id) ?? 0);
    const runsBefore = (after.get(read.id) ?? 0) < (after.get(reader.id) ?? 0);
    if (!ranBefore || runsBefore) return;
    conflicts.push({
      reader: reader.id,
      read: read.id,
      reader_line: reader.line,
      read_line: read.line,
      message: `step "${reader.id}" (line ${reader.line}) reads $steps.${read.id} (line ${read.line}), which would no longer run before it`,
    });
  };
  for (const id of moved.reads) {
    const read = byId.get(id);
    if (read) check(moved, read);
  }
  for (const reader of outline) if (reader.reads.includes(moved.id)) check(reader, moved);
  return conflicts;
}
