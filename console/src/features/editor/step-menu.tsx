/**
 * A step's menu (a disclosure: a button and the list it opens): add a review before it (the common
 * case: a person checks before a commit), insert a step from a template before or after it,
 * duplicate, delete. Escape or a choice closes it and focus goes back to its button.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { Copy, EllipsisVertical, Plus, ShieldCheck, Trash2 } from 'lucide-react';
import type { StepOutline, StepPosition, StepTemplate } from '../../shared/api/index.ts';

export interface StepActions {
  readonly select: (id: string) => void;
  readonly remove: (id: string) => void;
  readonly duplicate: (id: string) => void;
  readonly insert: (template: string, at: StepPosition) => void;
}

/** The templates with the review ones first: a review before a commit is what people add most. */
export function orderedTemplates(templates: readonly StepTemplate[]): StepTemplate[] {
  return [...templates].sort((a, b) => Number(b.kind === 'review') - Number(a.kind === 'review'));
}

export function StepMenu({ step, templates, actions }: { readonly step: StepOutline; readonly templates: readonly StepTemplate[]; readonly actions: StepActions }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const id = useId();
  const title = step.title ?? step.id;
  const review = templates.find((template) => template.kind === 'review');
  const close = (refocus = true): void => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  useEffect(() => {
    if (!open) return undefined;
    panel.current?.querySelector<HTMLButtonElement>('button')?.focus();
    const outside = (event: MouseEvent): void => {
      if (!panel.current?.contains(event.target as Node) && !button.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);
  const run = (action: () => void): void => {
    close();
    action();
  };
  return (
    <div className="step-menu" onKeyDown={(event) => { if (event.key === 'Escape' && open) { event.stopPropagation(); close(); } }}>
      <button
        ref={button}
        type="button"
        className="icon-button step-menu-button"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        aria-label={`Actions for ${title}`}
        onClick={() => setOpen((was) => !was)}
        data-testid={`editor-menu-${step.id}`}
      >
        <EllipsisVertical size={18} aria-hidden="true" />
      </button>
      {open ? (
        <div ref={panel} className="step-menu-panel" id={`${id}-menu`} data-testid="editor-step-menu">
          {review && step.kind !== 'review' ? (
            <button type="button" className="menu-item menu-item-suggested" onClick={() => run(() => actions.insert(review.name, { before: step.id }))} data-testid="editor-insert-review-before">
              <ShieldCheck size={16} aria-hidden="true" /> Add a review before this step
            </button>
          ) : null}
          <p className="menu-group">Insert before</p>
          {orderedTemplates(templates).map((template) => (
            <button key={`before-${template.name}`} type="button" className="menu-item" title={template.description} onClick={() => run(() => actions.insert(template.name, { before: step.id }))} data-testid={`editor-insert-before-${template.name}`}>
              <Plus size={16} aria-hidden="true" /> {template.label}
            </button>
          ))}
          <p className="menu-group">Insert after</p>
          {orderedTemplates(templates).map((template) => (
            <button key={`after-${template.name}`} type="button" className="menu-item" title={template.description} onClick={() => run(() => actions.insert(template.name, { after: step.id }))} data-testid={`editor-insert-after-${template.name}`}>
              <Plus size={16} aria-hidden="true" /> {template.label}
            </button>
          ))}
          <hr />
          <button type="button" className="menu-item" onClick={() => run(() => actions.duplicate(step.id))} data-testid="editor-duplicate">
            <Copy size={16} aria-hidden="true" /> Duplicate
          </button>
          <button type="button" className="menu-item menu-item-danger" onClick={() => run(() => actions.remove(step.id))} data-testid="editor-delete">
            <Trash2 size={16} aria-hidden="true" /> Delete
          </button>
        </div>
      ) : null}
    </div>
  );
}
