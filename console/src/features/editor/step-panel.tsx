/**
 * The side panel: edits the selected step. Title and icon have their own controls; the rest is a
 * form generated from the step kind's part of the runbook schema (step-schema.ts). Every change is
 * sent as `set` / `clear` operations of the fields that changed (use-step-draft.ts): the server
 * rewrites those lines only.
 */
import { useId, useMemo } from 'react';
import type { EditOperation, EditorDiagnostic, StepOutline } from '../../shared/api/index.ts';
import { SchemaForm } from '../../shared/schema-form/index.tsx';
import { DiagnosticList } from './diagnostics.tsx';
import { IconPicker } from './icon-picker.tsx';
import { kindLabel, StepFlow } from './step-item.tsx';
import { fieldDescription, PANEL_FIELDS, stepFormSchema } from './step-schema.ts';
import { useStepDraft, type StepData } from './use-step-draft.ts';
import { YamlValueField } from './yaml-value-field.tsx';

const FIELDS = { yamlValue: YamlValueField };

interface StepPanelProps {
  readonly step: StepOutline;
  readonly text: string;
  readonly diagnostics: readonly EditorDiagnostic[];
  readonly apply: (operations: readonly EditOperation[]) => Promise<boolean>;
  readonly onShowLine: (line: number) => void;
}

export function StepPanel({ step, text, diagnostics, apply, onShowLine }: StepPanelProps) {
  const { draft, change, pending } = useStepDraft(text, step.id, apply);
  const id = useId();
  const form = step.kind ? stepFormSchema(step.kind) : null;
  const formValue = useMemo(() => {
    if (!draft) return {};
    return Object.fromEntries(Object.entries(draft).filter(([key]) => !PANEL_FIELDS.includes(key)));
  }, [draft]);
  const onForm = (value: unknown): void => {
    const next = typeof value === 'object' && value !== null ? (value as StepData) : {};
    const patch: Record<string, unknown> = { ...next };
    for (const key of Object.keys(formValue)) if (!(key in next)) patch[key] = undefined;
    change(patch);
  };
  const title = typeof draft?.title === 'string' ? draft.title : '';
  const icon = typeof draft?.icon === 'string' ? draft.icon : null;
  return (
    <section className="panel step-panel" aria-labelledby={`${id}-heading`} data-testid="editor-panel" data-step={step.id}>
      <div className="panel-head">
        <h2 id={`${id}-heading`}>{step.title ?? step.id}</h2>
        <span className="muted small" role="status">{pending ? 'Saving into the working text…' : 'Changes go into the working text at once'}</span>
      </div>
      <p className="muted small">
        {kindLabel(step.kind)} step{form?.description ? `: ${form.description}` : ''}{' '}
        <button type="button" className="button-link" onClick={() => onShowLine(step.line)}>Show in the YAML (line {step.line})</button>
      </p>
      <StepFlow step={step} />
      <DiagnosticList diagnostics={diagnostics} onLine={onShowLine} />
      {!draft ? (
        <p className="notice">This step cannot be read from the text as it is; fix it in the YAML view below.</p>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-title`}>Title</label>
            <input id={`${id}-title`} value={title} onChange={(event) => change({ title: event.target.value })} aria-describedby={`${id}-title-help`} data-testid="editor-field-title" />
            <p className="field-description" id={`${id}-title-help`}>{step.kind ? fieldDescription(step.kind, 'title') : null}</p>
          </div>
          <div className="field">
            <label htmlFor={`${id}-id`}>Id</label>
            <input id={`${id}-id`} value={step.id} readOnly className="mono" aria-describedby={`${id}-id-help`} data-testid="editor-field-id" />
            <p className="field-description" id={`${id}-id-help`}>
              {step.kind ? fieldDescription(step.kind, 'id') : null} Other steps refer to it, so it is changed in the YAML view.
            </p>
          </div>
          <div className="field">
            <span className="field-label" id={`${id}-icon-label`}>Icon</span>
            <IconPicker value={icon} onChange={(name) => change({ icon: name ?? undefined })} describedBy={`${id}-icon-label`} />
            <p className="field-description">{step.kind ? fieldDescription(step.kind, 'icon') : null}</p>
          </div>
          {form && step.kind ? (
            <SchemaForm
              key={step.id}
              schema={form.schema}
              uiSchema={form.uiSchema}
              fields={FIELDS}
              value={formValue}
              onChange={onForm}
              onSubmit={() => undefined}
              idPrefix={`step-${step.id}`}
            >
              <></>
            </SchemaForm>
          ) : (
            <p className="notice">This step has no kind the editor knows (call, review, wait, child or timer); edit it in the YAML view.</p>
          )}
        </>
      )}
    </section>
  );
}
