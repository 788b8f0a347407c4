/**
 * `display_hint.type: upload` on a wait: a file picker whose submission becomes the signal's
 * payload. The hint's `payload` prefills the signal's other fields (e.g. the period), which show
 * as a form generated from the rest of the signal's payload schema. A small file goes inline as
 * `content`; a larger one (over 64 KiB) is first stored with `POST /api/runs/:id/uploads` (the hint's
 * `store_with` handler) and goes by reference as `document_id`.
 */
import { useId, useMemo, useState, type FormEvent } from 'react';
import { Upload } from 'lucide-react';
import { api, apiErrorOf, type ApiError } from '../../shared/api/index.ts';
import { SchemaForm } from '../../shared/schema-form/index.tsx';
import { ErrorNotice } from '../../shared/ui/error-notice.tsx';
import type { HintComponentProps } from './hint-component.ts';

/** Files up to this size go inline in the signal; larger ones by reference. */
export const INLINE_LIMIT_BYTES = 64 * 1024;
const FILE_FIELDS = ['filename', 'content', 'document_id', 'path'];

interface JsonSchemaObject {
  readonly type?: unknown;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly required?: readonly string[];
  readonly [key: string]: unknown;
}

const asSchema = (value: unknown): JsonSchemaObject | null => (typeof value === 'object' && value !== null ? (value as JsonSchemaObject) : null);

/** The payload schema without the fields the file fills in; null when nothing else remains. */
function remainingSchemaOf(schema: JsonSchemaObject | null): JsonSchemaObject | null {
  if (!schema?.properties) return null;
  const properties = Object.fromEntries(Object.entries(schema.properties).filter(([key]) => !FILE_FIELDS.includes(key)));
  if (Object.keys(properties).length === 0) return null;
  return { ...schema, properties, required: (schema.required ?? []).filter((key) => !FILE_FIELDS.includes(key)) };
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};

export function UploadWait({ runId, page, pending, hint }: HintComponentProps) {
  const fileId = useId();
  const formId = `upload-${useId().replace(/:/g, '')}`;
  const signalName = pending.signals?.[0] ?? '';
  const signalSpec = page.definition?.signals?.[signalName];
  const schema = asSchema(signalSpec?.payload);
  const remaining = useMemo(() => remainingSchemaOf(schema), [schema]);
  const [fields, setFields] = useState<unknown>(() => record(hint.payload));
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [phase, setPhase] = useState<'idle' | 'storing' | 'sending' | 'sent'>('idle');
  const pattern = typeof hint.filename_pattern === 'string' ? hint.filename_pattern : null;
  // The fields the hint fills in (the period of this run) are shown, not edited.
  const prefilledReadOnly = useMemo(() => Object.fromEntries(Object.keys(record(hint.payload)).map((key) => [key, { 'ui:readonly': true }])), [hint.payload]);
  const accepts = (name: string): boolean => schema?.properties === undefined || name in schema.properties;

  if (!page.can.signal) return null;
  if (phase === 'sent') return <p className="notice notice-ok" role="status" data-testid="upload-sent">Uploaded {file?.name}. The run continues…</p>;

  const submit = async (values: unknown): Promise<void> => {
    setError(null);
    if (!file) {
      setError({ code: 'FILE_REQUIRED', message: 'choose a file to upload' });
      return;
    }
    try {
      const payload: Record<string, unknown> = { ...record(hint.payload), ...record(values), filename: file.name };
      if (file.size > INLINE_LIMIT_BYTES || !accepts('content')) {
        setPhase('storing');
        const { stored } = await api.upload(runId, file.name, file);
        const documentId = stored.document_id;
        if (typeof documentId !== 'string') throw new Error('the store handler returned no document_id');
        payload.document_id = documentId;
      } else {
        payload.content = await file.text();
      }
      setPhase('sending');
      await api.signal(runId, { name: signalName, payload });
      setPhase('sent');
    } catch (failure) {
      setError(apiErrorOf(failure));
      setPhase('idle');
    }
  };
  const busy = phase === 'storing' || phase === 'sending';
  const picker = (
    <div className="field upload-picker">
      <label htmlFor={fileId}>File to upload{pattern ? <span className="muted"> (expected: <code>{pattern}</code>)</span> : null}</label>
      <input id={fileId} type="file" onChange={(event) => setFile(event.target.files?.[0] ?? null)} data-testid="upload-file" disabled={busy} aria-describedby={`${fileId}-note`} />
      <p id={`${fileId}-note`} className="muted small">
        {file ? `${file.name}: ${(file.size / 1024).toFixed(1)} KiB, ${file.size > INLINE_LIMIT_BYTES ? 'stored first and sent by reference' : 'sent with the upload'}` : 'No file chosen yet.'}
      </p>
      {file && pattern && file.name !== pattern ? <p className="notice small" role="status">The file is named <code>{file.name}</code>, not <code>{pattern}</code>; check it is the right one.</p> : null}
    </div>
  );
  const button = (
    <div className="form-actions">
      <button type="submit" className="button button-primary" disabled={busy} data-testid="upload-submit">
        <Upload size={16} aria-hidden="true" /> {phase === 'storing' ? 'Storing the file…' : phase === 'sending' ? 'Sending…' : 'Upload'}
      </button>
    </div>
  );
  return (
    <div className="upload">
      {picker}
      <ErrorNotice error={error} testId="upload-error" title="Not accepted" />
      {remaining ? (
        <SchemaForm id={formId} schema={remaining} uiSchema={prefilledReadOnly} value={fields} onChange={setFields} onSubmit={(values) => void submit(values)} idPrefix={formId} disabled={busy}>
          {button}
        </SchemaForm>
      ) : (
        <form id={formId} onSubmit={(event: FormEvent) => { event.preventDefault(); void submit({}); }}>
          {button}
        </form>
      )}
    </div>
  );
}
