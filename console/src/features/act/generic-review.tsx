/**
 * The fallback for any review: the payload shown readably, a corrections form generated from the
 * review's `corrections` JSON Schema (when it has one and `corrected` is allowed), and the decision bar.
 */
import { useId, useState } from 'react';
import { PayloadView } from '../../shared/ui/payload-view.tsx';
import { SchemaForm } from '../../shared/schema-form/index.tsx';
import type { HintComponentProps } from './hint-component.ts';
import { OutcomeBar } from './outcome-bar.tsx';
import { useActionSender } from './use-action-sender.ts';

export function GenericReview({ runId, page, pending }: HintComponentProps) {
  const sender = useActionSender(runId, pending);
  const formId = useId().replace(/:/g, '');
  const [corrections, setCorrections] = useState<unknown>(undefined);
  const mayCorrect = (pending.outcomes ?? ['corrected']).includes('corrected');
  const schema = page.corrections_schema;
  return (
    <div className="review">
      <h3 className="subheading">What is under review</h3>
      <PayloadView value={pending.payload ?? null} testId="review-payload" />
      {page.can.act && mayCorrect && schema ? (
        <details className="corrections">
          <summary>Corrections</summary>
          <SchemaForm id={`corrections-${formId}`} schema={schema} value={corrections} onChange={setCorrections} onSubmit={(value) => void sender.send('corrected', value)} idPrefix={`corrections-${formId}`} disabled={sender.busy !== null}>
            <></>
          </SchemaForm>
        </details>
      ) : null}
      {page.can.act ? <OutcomeBar pending={pending} sender={sender} correctFormId={mayCorrect && schema ? `corrections-${formId}` : undefined}
        onCorrect={mayCorrect && !schema ? () => void sender.send('corrected', corrections ?? {}) : undefined} /> : null}
    </div>
  );
}
