/**
 * The run page's committed documents, composed in: the documents feature loads on its own, and only
 * for a run whose definition has a `commit` step (or whose definition this console does not know).
 */
import { lazy, Suspense } from 'react';
import type { RunPageResponse } from '../shared/api/index.ts';

const RunDocumentsSection = lazy(() => import('../features/documents/index.ts').then((m) => ({ default: m.RunDocumentsSection })));

/** The run page's `renderDocuments`. */
export function renderRunDocuments(page: RunPageResponse) {
  const { state, definition } = page;
  const commitSteps = new Set(definition ? definition.steps.filter((step) => 'commit' in step).map((step) => step.id) : []);
  if (definition && commitSteps.size === 0) return null;
  // Loaded again whenever a commit step (or the run) changes status: that is when the run may have committed.
  const refreshKey = [state.status, ...state.steps.filter((step) => !definition || commitSteps.has(step.id)).map((step) => `${step.id}:${step.status}:${step.iteration ?? 0}`)].join(',');
  const stepTitles = Object.fromEntries(state.steps.map((step) => [step.id, step.title]));
  return (
    <Suspense fallback={<p role="status" className="muted">Loading the committed documents…</p>}>
      <RunDocumentsSection runId={state.run_id} refreshKey={refreshKey} stepTitles={stepTitles} live={state.status === 'running' || state.status === 'waiting'} />
    </Suspense>
  );
}
