/**
 * Which drop positions of a dragged step would break data flow, computed in the browser from the
 * outline while dragging (no round trip per pointer move). Mirrors `flowConflicts` of the editing
 * module: the moved step must still run after every step it reads and before every step that reads
 * it. A move also must not put a step after a step that goes back (`goto`) to it, since a go-back
 * targets an earlier step. The server re-checks every applied move (RB_STEP_ORDER).
 */
import type { FlowConflict, StepOutline } from '../../shared/api/index.ts';

export interface MoveConflict extends FlowConflict {
  /** `reads`: a data-flow conflict; `goto`: a go-back that would point forward. */
  readonly kind: 'reads' | 'goto';
}

/** The order of ids after moving `id` to `index` (0-based in the resulting list), as `arrayMove` does. */
export function movedOrder(ids: readonly string[], id: string, index: number): string[] {
  const from = ids.indexOf(id);
  if (from < 0) return [...ids];
  const order = ids.filter((other) => other !== id);
  order.splice(Math.max(0, Math.min(index, order.length)), 0, id);
  return order;
}

const conflict = (kind: MoveConflict['kind'], reader: StepOutline, read: StepOutline): MoveConflict => ({
  kind,
  reader: reader.id,
  read: read.id,
  reader_line: reader.line,
  read_line: read.line,
  message:
    kind === 'reads'
      ? `${reader.id} reads ${read.id}, which would no longer run before it`
      : `${reader.id} goes back to ${read.id}, which would no longer come before it`,
});

/** The conflicts of moving step `id` to `index`; empty when the move keeps every read and go-back in order. */
export function moveConflicts(steps: readonly StepOutline[], id: string, index: number): MoveConflict[] {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const moved = byId.get(id);
  if (!moved) return [];
  const position = new Map(movedOrder(steps.map((step) => step.id), id, index).map((other, at) => [other, at]));
  const at = position.get(id) ?? 0;
  const found: MoveConflict[] = [];
  const before = (other: string): boolean => (position.get(other) ?? -1) < at;
  for (const read of moved.reads) {
    const step = byId.get(read);
    if (step && read !== id && !before(read)) found.push(conflict('reads', moved, step));
  }
  for (const reader of moved.read_by) {
    const step = byId.get(reader);
    if (step && reader !== id && before(reader)) found.push(conflict('reads', step, moved));
  }
  // A go-back between the same two steps as a read says nothing new.
  const known = (reader: string, read: string): boolean => found.some((c) => c.reader === reader && c.read === read);
  for (const target of moved.gotos) {
    const step = byId.get(target);
    if (step && target !== id && !before(target) && !known(id, target)) found.push(conflict('goto', moved, step));
  }
  for (const step of steps) {
    if (step.id !== id && step.gotos.includes(id) && before(step.id) && !known(step.id, id)) found.push(conflict('goto', step, moved));
  }
  return found;
}

/** For each index of the list, whether dropping `id` there conflicts (for marking the positions while dragging). */
export function conflictingPositions(steps: readonly StepOutline[], id: string): ReadonlySet<number> {
  const positions = new Set<number>();
  for (let index = 0; index < steps.length; index += 1) if (moveConflicts(steps, id, index).length > 0) positions.add(index);
  return positions;
}
