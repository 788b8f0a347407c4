/**
 * One step of the editor's list: drag handle, icon, title, id, kind, where its data comes from and
 * goes, its diagnostics, its menu. Memoised: an analysis that leaves a step as it was does not render
 * it again (the list hands over the same objects, see use-stable-steps.ts).
 */
import { memo, type CSSProperties } from 'react';
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { GripVertical } from 'lucide-react';
import type { EditorDiagnostic, StepOutline, StepTemplate } from '../../shared/api/index.ts';
import { StepIcon } from '../../shared/ui/step-icon.tsx';
import { DiagnosticBadges, DiagnosticList } from './diagnostics.tsx';
import { StepMenu, type StepActions } from './step-menu.tsx';

const KIND_LABEL: Readonly<Record<NonNullable<StepOutline['kind']>, string>> = {
  call: 'automatic', review: 'review', wait: 'wait', child: 'child runbooks', timer: 'timer', commit: 'commits a document', previous: 'reads a document', agent: 'agent',
};
export const kindLabel = (kind: StepOutline['kind']): string => (kind ? KIND_LABEL[kind] : 'unknown kind');

export function StepFlow({ step }: { readonly step: StepOutline }) {
  if (!step.reads.length && !step.read_by.length && !step.gotos.length) return null;
  return (
    <dl className="step-flow">
      {step.reads.length ? <div><dt>reads</dt><dd>{step.reads.map((id) => <code key={id}>{id}</code>)}</dd></div> : null}
      {step.read_by.length ? <div><dt>read by</dt><dd>{step.read_by.map((id) => <code key={id}>{id}</code>)}</dd></div> : null}
      {step.gotos.length ? <div><dt>goes back to</dt><dd>{step.gotos.map((id) => <code key={id}>{id}</code>)}</dd></div> : null}
    </dl>
  );
}

/** The step's face: shared by the list item and the drag overlay. */
export function StepCard({ step, diagnostics, onSelect, selected }: {
  readonly step: StepOutline;
  readonly diagnostics: readonly EditorDiagnostic[];
  readonly onSelect?: (id: string) => void;
  readonly selected?: boolean;
}) {
  const title = step.title ?? step.id;
  return (
    <>
      <span className="step-icon" aria-hidden="true"><StepIcon name={step.icon} /></span>
      <div className="editor-step-body">
        <div className="editor-step-head">
          {onSelect ? (
            <button type="button" className="editor-step-select step-title" onClick={() => onSelect(step.id)} aria-pressed={selected} data-testid={`editor-select-${step.id}`}>{title}</button>
          ) : (
            <span className="step-title">{title}</span>
          )}
          <DiagnosticBadges diagnostics={diagnostics} />
        </div>
        <p className="editor-step-meta"><code>{step.id}</code> · {kindLabel(step.kind)} · line {step.line}</p>
        <StepFlow step={step} />
      </div>
    </>
  );
}

interface StepItemProps {
  readonly step: StepOutline;
  readonly position: number;
  readonly diagnostics: readonly EditorDiagnostic[];
  readonly selected: boolean;
  /** While a step is dragged: dropping it at this item's place would break data flow. */
  readonly forbidden: boolean;
  /** This is the dragged step's placeholder and the drop here conflicts. */
  readonly conflict: boolean;
  readonly templates: readonly StepTemplate[];
  readonly actions: StepActions;
  readonly disabled: boolean;
}

export const StepItem = memo(function StepItem({ step, position, diagnostics, selected, forbidden, conflict, templates, actions, disabled }: StepItemProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: step.id, disabled });
  const style: CSSProperties = { transform: CSS.Translate.toString(transform), transition };
  const classes = ['editor-step'];
  if (selected) classes.push('is-selected');
  if (isDragging) classes.push('is-placeholder');
  if (isDragging && conflict) classes.push('is-conflict');
  if (forbidden && !isDragging) classes.push('drop-forbidden');
  const title = step.title ?? step.id;
  return (
    <li ref={setNodeRef} style={style} className={classes.join(' ')} data-testid={`editor-step-${step.id}`} data-icon={step.icon ?? undefined} data-forbidden={forbidden || undefined} data-selected={selected || undefined}>
      <button type="button" ref={setActivatorNodeRef} className="drag-handle" {...attributes} {...listeners} aria-label={`Move step ${position + 1}, ${title}`} data-testid={`editor-move-${step.id}`}>
        <GripVertical size={18} aria-hidden="true" />
      </button>
      {/* A click anywhere on the card selects it (the title is the keyboard's way). */}
      <div className="editor-step-main" onClick={() => actions.select(step.id)}>
        <StepCard step={step} diagnostics={diagnostics} onSelect={actions.select} selected={selected} />
      </div>
      <StepMenu step={step} templates={templates} actions={actions} />
      {diagnostics.length ? <div className="editor-step-diagnostics"><DiagnosticList diagnostics={diagnostics} /></div> : null}
    </li>
  );
});
