/**
 * The "Diagram" section of a runbook's start page and of a run page: the diagram from
 * `GET /api/runbooks/:slug/graph` or `GET /api/runs/:id/graph`, and a "Copy Mermaid" button for
 * the same diagram as Mermaid text (a README, an issue, a review).
 */
import { useId, useState } from 'react';
import { Copy } from 'lucide-react';
import { api, type GraphResponse, type StepStatus } from '../../shared/api/index.ts';
import { useResource } from '../../shared/hooks.ts';
import { ErrorNotice } from '../../shared/ui/error-notice.tsx';
import { GraphDiagram } from './graph-diagram.tsx';

function CopyMermaid({ mermaid }: { readonly mermaid: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'shown'>('idle');
  const textId = useId();
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(mermaid);
      setState('copied');
    } catch {
      // No clipboard (an insecure origin, a refused permission): show the text to copy by hand.
      setState('shown');
    }
  };
  return (
    <div className="graph-actions">
      <button type="button" className="button button-secondary" onClick={() => void copy()} data-testid="graph-copy-mermaid" aria-controls={state === 'shown' ? textId : undefined}>
        <Copy size={16} aria-hidden="true" /> Copy Mermaid
      </button>
      <span role="status" className="muted small">{state === 'copied' ? 'Copied to the clipboard' : state === 'shown' ? 'The clipboard is not available: copy the text below' : ''}</span>
      {state === 'shown' ? <pre id={textId} className="graph-mermaid" tabIndex={0}>{mermaid}</pre> : null}
    </div>
  );
}

function Section({ response, error, statuses, loading }: { readonly response: GraphResponse | null; readonly error: Parameters<typeof ErrorNotice>[0]['error']; readonly statuses?: Readonly<Record<string, StepStatus>>; readonly loading: boolean }) {
  const headingId = useId();
  return (
    <section className="panel graph-panel" aria-labelledby={headingId} data-testid="graph-section">
      <div className="panel-head graph-head">
        <h2 id={headingId}>Diagram</h2>
        {response ? <CopyMermaid mermaid={response.mermaid} /> : null}
      </div>
      <ErrorNotice error={error} title="The diagram could not be loaded" />
      {response ? <GraphDiagram graph={response.graph} statuses={statuses ?? response.statuses} /> : loading ? <p role="status">Loading the diagram…</p> : null}
    </section>
  );
}

/** A runbook's diagram (the start page). */
export function RunbookGraphSection({ slug }: { readonly slug: string }) {
  const graph = useResource(`graph:${slug}`, (signal) => api.runbookGraph(slug, signal));
  return <Section response={graph.data} error={graph.error} loading={graph.loading} />;
}

/** A run's diagram, coloured by `statuses` (the run page's live step statuses) once given. */
export function RunGraphSection({ runId, statuses }: { readonly runId: string; readonly statuses?: Readonly<Record<string, StepStatus>> }) {
  const graph = useResource(`run-graph:${runId}`, (signal) => api.runGraph(runId, signal));
  return <Section response={graph.data} error={graph.error} statuses={statuses} loading={graph.loading} />;
}
