/**
 * `/start` lists the runbooks the console can start; `/start/:slug` is the start form, generated
 * from the runbook's `input` JSON Schema and prefilled with its sample input.
 */
import { useState, type ReactNode } from 'react';
import { Play } from 'lucide-react';
import { api, apiErrorOf, type ApiError, type RunbookSummary } from '../../shared/api/index.ts';
import { useResource } from '../../shared/hooks.ts';
import { Link, navigate } from '../../shared/router.tsx';
import { useSession, hasRole } from '../../shared/session.tsx';
import { SchemaForm } from '../../shared/schema-form/index.tsx';
import { ErrorNotice } from '../../shared/ui/error-notice.tsx';

export function RunbookListPage() {
  const runbooks = useResource('runbooks', (signal) => api.runbooks(signal));
  return (
    <section className="page" aria-labelledby="start-heading">
      <div className="page-head">
        <div>
          <h1 id="start-heading">Start a run</h1>
          <p className="page-sub">Pick a runbook; the next page asks for its input.</p>
        </div>
      </div>
      <ErrorNotice error={runbooks.error} title="The runbooks could not be loaded" />
      <ul className="card-list">
        {runbooks.data?.runbooks.map((runbook) => (
          <li key={runbook.slug} className="card" data-testid={`runbook-${runbook.slug}`}>
            <h2 className="card-title"><Link to={`/start/${encodeURIComponent(runbook.slug)}`}>{runbook.title}</Link></h2>
            <p className="muted small mono">{runbook.slug}</p>
            {runbook.description ? <p>{runbook.description}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function StartForm({ runbook }: { readonly runbook: RunbookSummary }) {
  const me = useSession();
  const [value, setValue] = useState<unknown>(runbook.sample_input ?? {});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const mayStart = hasRole(me, 'operator');
  const start = async (input: unknown): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const { run_id } = await api.start({ runbook: runbook.slug, input });
      navigate(`/runs/${encodeURIComponent(run_id)}`);
    } catch (failure) {
      setError(apiErrorOf(failure));
      setBusy(false);
    }
  };
  // Not offered without the role (the API refuses it too): the form stays readable, the button is not there.
  const button = (
    <div className="form-actions">
      {mayStart ? (
        <button type="submit" className="button button-primary" disabled={busy} data-testid="start-submit">
          <Play size={16} aria-hidden="true" /> {busy ? 'Starting…' : `Start ${runbook.title}`}
        </button>
      ) : (
        <p className="muted" data-testid="start-blocked">Starting runs needs the operator role.</p>
      )}
    </div>
  );
  return (
    <div className="panel">
      <ErrorNotice error={error} testId="start-error" title="The run was not started" />
      {runbook.input_schema ? (
        <SchemaForm schema={runbook.input_schema} value={value} onChange={setValue} onSubmit={(input) => void start(input)} idPrefix="start" disabled={busy}>
          {button}
        </SchemaForm>
      ) : (
        <form onSubmit={(event) => { event.preventDefault(); void start({}); }}>
          <p className="muted">This runbook takes no input.</p>
          {button}
        </form>
      )}
    </div>
  );
}

export interface StartPageProps {
  readonly slug: string;
  /** Renders the runbook's diagram below the form (the app composes the graph feature here). */
  readonly renderDiagram?: (slug: string) => ReactNode;
}

export function StartPage({ slug, renderDiagram }: StartPageProps) {
  const runbooks = useResource('runbooks', (signal) => api.runbooks(signal));
  const runbook = runbooks.data?.runbooks.find((candidate) => candidate.slug === slug) ?? null;
  return (
    <>
      <section className="page page-narrow" aria-labelledby="start-form-heading">
        <p className="breadcrumb"><Link to="/start">Start a run</Link> /</p>
        <h1 id="start-form-heading">{runbook ? `Start ${runbook.title}` : `Start ${slug}`}</h1>
        {runbook?.description ? <p className="page-sub">{runbook.description}</p> : null}
        <ErrorNotice error={runbooks.error} title="The runbooks could not be loaded" />
        {runbooks.data && !runbook ? (
          <ErrorNotice error={{ code: 'RUNBOOK_UNKNOWN', message: `no runbook "${slug}" in this console` }} />
        ) : null}
        {runbook ? <StartForm key={runbook.slug} runbook={runbook} /> : null}
      </section>
      {/* Below the form, out of its narrow column: the diagram gets the page's width. */}
      {runbook ? renderDiagram?.(runbook.slug) : null}
    </>
  );
}
