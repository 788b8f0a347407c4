/**
 * The runbook as a sortable list of steps (dnd-kit): drag a step by its handle, or focus the handle
 * and press Space, move with the arrow keys, Space again to drop (Escape cancels). While a step is
 * dragged, the places where it would break data flow are marked and a live message names the steps
 * and why. A drop there is not applied: the message stays with "Move anyway" (which applies the move
 * and shows the validator's RB_STEP_ORDER errors) and "Keep the order".
 */
import { useCallback, useMemo, useState } from 'react';
import {
  closestCenter, DndContext, DragOverlay, KeyboardSensor, PointerSensor, useSensor, useSensors,
  type Announcements, type DragEndEvent, type DragOverEvent, type DragStartEvent,
} from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable';
import type { EditorDiagnostic, StepOutline, StepTemplate } from '../../shared/api/index.ts';
import { conflictingPositions, moveConflicts, type MoveConflict } from './flow-conflicts.ts';
import { StepCard, StepItem } from './step-item.tsx';
import type { StepActions } from './step-menu.tsx';

interface Drag {
  readonly id: string;
  readonly from: number;
  readonly over: number;
  readonly forbidden: ReadonlySet<number>;
  readonly conflicts: readonly MoveConflict[];
}

export interface RefusedMove {
  readonly id: string;
  readonly index: number;
  readonly conflicts: readonly MoveConflict[];
}

interface StepListProps {
  readonly steps: readonly StepOutline[];
  readonly diagnosticsOf: (id: string) => readonly EditorDiagnostic[];
  readonly selected: string | null;
  readonly templates: readonly StepTemplate[];
  readonly actions: StepActions;
  readonly busy: boolean;
  /** Applies a move; resolves when the answer is in. */
  readonly move: (id: string, index: number) => Promise<void>;
}

const INSTRUCTIONS =
  'To move a step, focus its handle and press Space or Enter. Use the Up and Down arrow keys to move it, Space or Enter to drop it there, or Escape to cancel. Places where the step would break data flow are announced.';

export function ConflictMessage({ conflicts, title }: { readonly conflicts: readonly MoveConflict[]; readonly title: string }) {
  return (
    <>
      <strong className="notice-title">{title}</strong>
      <ul className="conflict-list">
        {conflicts.map((conflict) => (
          <li key={`${conflict.kind}-${conflict.reader}-${conflict.read}`}>
            {conflict.message} <span className="small">(lines {conflict.reader_line} and {conflict.read_line})</span>
          </li>
        ))}
      </ul>
    </>
  );
}

export function StepList({ steps, diagnosticsOf, selected, templates, actions, busy, move }: StepListProps) {
  const [drag, setDrag] = useState<Drag | null>(null);
  const [refused, setRefused] = useState<RefusedMove | null>(null);
  const [optimistic, setOptimistic] = useState<{ readonly order: readonly string[]; readonly base: readonly StepOutline[] } | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  // Until the server's answer replaces the outline, the list shows the dropped order.
  const shown = useMemo(() => {
    if (!optimistic || optimistic.base !== steps) return steps;
    const byId = new Map(steps.map((step) => [step.id, step]));
    return optimistic.order.map((id) => byId.get(id)).filter((step): step is StepOutline => step !== undefined);
  }, [steps, optimistic]);
  const ids = useMemo(() => shown.map((step) => step.id), [shown]);
  const titleOf = useCallback((id: string | number): string => { const step = steps.find((s) => s.id === id); return step?.title ?? String(id); }, [steps]);
  const indexOf = useCallback((id: string | number | undefined): number => steps.findIndex((step) => step.id === id), [steps]);

  const apply = useCallback((id: string, from: number, index: number): void => {
    setOptimistic({ order: arrayMove(steps.map((step) => step.id), from, index), base: steps });
    void move(id, index).finally(() => setOptimistic(null));
  }, [steps, move]);

  const onDragStart = ({ active }: DragStartEvent): void => {
    const id = String(active.id);
    const from = indexOf(id);
    setRefused(null);
    setDrag({ id, from, over: from, forbidden: conflictingPositions(steps, id), conflicts: [] });
  };
  const onDragOver = ({ over }: DragOverEvent): void => {
    setDrag((current) => {
      if (!current || !over) return current;
      const index = indexOf(over.id);
      if (index < 0 || index === current.over) return current;
      return { ...current, over: index, conflicts: index === current.from ? [] : moveConflicts(steps, current.id, index) };
    });
  };
  const onDragEnd = ({ active, over }: DragEndEvent): void => {
    const id = String(active.id);
    const from = indexOf(id);
    const index = over ? indexOf(over.id) : -1;
    setDrag(null);
    if (index < 0 || index === from) return;
    const conflicts = moveConflicts(steps, id, index);
    if (conflicts.length) setRefused({ id, index, conflicts });
    else apply(id, from, index);
  };

  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${titleOf(active.id)}, step ${indexOf(active.id) + 1} of ${steps.length}.`,
    onDragOver: ({ active, over }) => {
      if (!over) return `${titleOf(active.id)} is no longer over a place in the list.`;
      const index = indexOf(over.id);
      const conflicts = index === indexOf(active.id) ? [] : moveConflicts(steps, String(active.id), index);
      const where = `${titleOf(active.id)} would be step ${index + 1} of ${steps.length}.`;
      return conflicts.length ? `${where} Not allowed here: ${conflicts.map((c) => c.message).join('; ')}.` : where;
    },
    onDragEnd: ({ active, over }) => {
      const index = over ? indexOf(over.id) : -1;
      if (index < 0 || index === indexOf(active.id)) return `${titleOf(active.id)} stays where it was.`;
      const conflicts = moveConflicts(steps, String(active.id), index);
      return conflicts.length
        ? `${titleOf(active.id)} was not moved: ${conflicts.map((c) => c.message).join('; ')}.`
        : `${titleOf(active.id)} moved to step ${index + 1} of ${steps.length}.`;
    },
    onDragCancel: ({ active }) => `Moving was cancelled. ${titleOf(active.id)} stays step ${indexOf(active.id) + 1}.`,
  };

  const dragged = drag ? steps.find((step) => step.id === drag.id) ?? null : null;
  const conflict = Boolean(drag && drag.conflicts.length);
  return (
    <div className={drag ? 'step-list-wrap is-dragging' : 'step-list-wrap'}>
      {/* Seen while dragging; screen readers hear the same through dnd-kit's announcements. */}
      <div className="drop-status" aria-hidden="true">
        {drag && dragged ? (
          conflict ? (
            <div className="notice notice-error drop-conflict" data-testid="editor-drop-conflict" data-step={drag.id}>
              <ConflictMessage conflicts={drag.conflicts} title={`${dragged.title ?? dragged.id} cannot go to place ${drag.over + 1}`} />
            </div>
          ) : (
            <div className="notice notice-ok drop-ok" data-testid="editor-drop-ok">
              {drag.over === drag.from ? `Moving ${dragged.title ?? dragged.id}` : `${dragged.title ?? dragged.id} can go to place ${drag.over + 1}`}
              {drag.forbidden.size ? <span className="small"> · places marked red would break data flow</span> : null}
            </div>
          )
        ) : null}
      </div>
      {refused ? (
        <div className="notice notice-error" role="alert" data-testid="editor-drop-conflict" data-step={refused.id}>
          <ConflictMessage conflicts={refused.conflicts} title={`Not moved: ${titleOf(refused.id)} would break data flow at place ${refused.index + 1}`} />
          <div className="button-row">
            <button type="button" className="button" onClick={() => setRefused(null)} autoFocus>Keep the order</button>
            <button type="button" className="button button-danger" onClick={() => { setRefused(null); apply(refused.id, indexOf(refused.id), refused.index); }} data-testid="editor-move-anyway">
              Move anyway
            </button>
          </div>
        </div>
      ) : null}
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        onDragStart={onDragStart}
        onDragOver={onDragOver}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDrag(null)}
        accessibility={{ announcements, screenReaderInstructions: { draggable: INSTRUCTIONS } }}
      >
        <SortableContext items={ids} strategy={verticalListSortingStrategy}>
          <ol className="editor-steps" aria-label="Steps, in the order they run">
            {shown.map((step, position) => (
              <StepItem
                key={step.id}
                step={step}
                position={position}
                diagnostics={diagnosticsOf(step.id)}
                selected={step.id === selected}
                forbidden={Boolean(drag?.forbidden.has(position))}
                conflict={conflict && drag?.id === step.id}
                templates={templates}
                actions={actions}
                disabled={busy && !drag}
              />
            ))}
          </ol>
        </SortableContext>
        <DragOverlay dropAnimation={null}>
          {dragged ? (
            <div className={conflict ? 'editor-step drag-overlay is-conflict' : 'editor-step drag-overlay'}>
              <StepCard step={dragged} diagnostics={diagnosticsOf(dragged.id)} />
            </div>
          ) : null}
        </DragOverlay>
      </DndContext>
    </div>
  );
}
