/** A form generated from a JSON Schema; its library loads on first use (not in the inbox's bundle). */
import { lazy, Suspense } from 'react';
import type { SchemaFormProps } from './schema-form-props.ts';

const RjsfForm = lazy(() => import('./rjsf-form.tsx'));

export function SchemaForm(props: SchemaFormProps) {
  return (
    <Suspense fallback={<p className="muted" role="status">Loading the form…</p>}>
      <RjsfForm {...props} />
    </Suspense>
  );
}

export type { SchemaFormProps };
