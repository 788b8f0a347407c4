/**
 * The diagram, composed into the start page and the run page. The graph feature loads on its own
 * the first time a diagram is shown, so neither page (nor the inbox) carries it.
 */
import { lazy, Suspense } from 'react';
import type { RunPageResponse } from '../shared/api/index.ts';

const RunbookGraphSection = lazy(() => import('../features/graph/index.ts').then((m) => ({ default: m.RunbookGraphSection })));
const RunGraphSection = lazy(() => import('../features/graph/index.ts').then((m) => ({ default: m.RunGraphSection })));

const loading = <p role="status" className="muted">Loading the diagram…</p>;

/** The start page's `renderDiagram`: the runbook's diagram. */
export const renderRunbookDiagram = (slug: string) => (
  <Suspense fallback={loading}><RunbookGraphSection slug={slug} /></Suspense>
);

/** The run page's `renderDiagram`: the run's diagram, coloured by its live step statuses. */
export const renderRunDiagram = (page: RunPageResponse) => (
  <Suspense fallback={loading}>
    <RunGraphSection runId={page.state.run_id} statuses={Object.fromEntries(page.state.steps.map((step) => [step.id, step.status]))} />
  </Suspense>
);
