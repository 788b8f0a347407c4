/**
 * `/runs/:id`: the run's header (status, identity, who started it, timings), what it waits for
 * (rendered by the app's `renderPending`, so acting stays in its own feature), the failure or the
 * output, what the run committed (rendered by the app's `renderDocuments`), the step ladder and the
 * timeline. Live through server-sent events.
 */
import { useEffect, type ReactNode } from 'react';
import type { PendingAction, RunPageResponse } from '../../shared/api/index.ts';
import { durationBetween, formatDuration } from '../../shared/format.ts';
import { Link } from '../../shared/router.tsx';
import { ErrorNotice } from '../../shared/ui/error-notice.tsx';
import { IdentityList } from '../../shared/ui/identity-list.tsx';
import { PayloadView } from '../../shared/ui/payload-view.tsx';
import { StatusBadge } from '../../shared/ui/status-badge.tsx';
import { DateTime, Elapsed, RelativeTime } from '../../shared/ui/times.tsx';
import { CancelRun } from './cancel-run.tsx';
import { StepLadder } from './step-ladder.tsx';
import { Timeline } from './timeline.tsx';
import { useRunPage } from './use-run-page.ts';

export interface RunPageProps {
  readonly runId: string;
  /** Renders the pending action (the app composes the act and signals features here). */
  readonly renderPending: (page: RunPageResponse, pending: PendingAction) => ReactNode;
  /** Renders the run's diagram below the ladder and timeline (the app composes the graph feature here). */
  readonly renderDiagram?: (page: RunPageResponse) => ReactNode;
  /** Renders what the run committed, below its output (the app composes the documents feature here). */
  readonly renderDocuments?: (page: RunPageResponse) => ReactNode;
}

function PendingPanel({ page, pending, renderPending }: { readonly page: RunPageResponse; readonly pending: PendingAction; readonly renderPending: RunPageProps['renderPending'] }) {
  // A review's decision and an agent's answer are acts (operator role, separation of duties); the rest are signals.
  const acts = pending.kind === 'review' || pending.kind === 'agent';
  const may = acts ? page.can.act : page.can.signal;
  return (
    <section className="panel panel-pending" aria-labelledby="pending-heading" data-testid="pending-action" data-action={pending.action}>
      <div className="panel-head">
        <h2 id="pending-heading">{pending.step_title ?? pending.step}: {pending.kind === 'review' ? 'waiting for a decision' : pending.kind === 'agent' ? 'the agent asks' : 'waiting for input'}</h2>
        <p className="muted small">
          {pending.since ? <>Waiting <Elapsed iso={pending.since} /></> : null}
          {pending.deadline ? <> · deadline <RelativeTime iso={pending.deadline} /> (<DateTime iso={pending.deadline} />)</> : null}
        </p>
      </div>
      {/* An agent's question is its reason; the act component shows it. */}
      {pending.reason && pending.kind !== 'agent' ? <p className="pending-reason">{pending.reason}</p> : null}
      {!may ? (
        <p className="notice" role="note" data-testid="act-blocked">
          {page.can.act_blocked_reason ?? (pending.kind === 'review' ? 'You may not act on this review.' : pending.kind === 'agent' ? 'You may not answer this question.' : 'Sending this needs the operator role.')}
        </p>
      ) : null}
      {may && pending.excluded_actors && pending.excluded_actors.length > 0 ? (
        <p className="muted small">Separation of duties: {pending.excluded_actors.map((e) => `${e.actor} (${e.because})`).join(', ')} may not decide.</p>
      ) : null}
      {renderPending(page, pending)}
    </section>
  );
}

export function RunPage({ runId, renderPending, renderDiagram, renderDocuments }: RunPageProps) {
  const { page, error, stream } = useRunPage(runId);
  const heading = page ? `${page.state.title} (${page.state.status})` : null;
  useEffect(() => {
    if (heading) document.title = `${heading} · Runbook console`;
  }, [heading]);
  if (!page) {
    return (
      <section className="page" aria-labelledby="run-heading">
        <h1 id="run-heading">Run</h1>
        <p className="muted small mono">{runId}</p>
        {error ? <ErrorNotice error={error} title="The run could not be loaded" /> : <p role="status">Loading…</p>}
      </section>
    );
  }
  const { state } = page;
  const took = durationBetween(state.started_at, state.ended_at);
  const live = state.status === 'running' || state.status === 'waiting';
  return (
    <section className="page" aria-labelledby="run-heading">
      <p className="breadcrumb">
        <Link to="/runs">Runs</Link> /
        {state.parent ? <> <Link to={`/runs/${encodeURIComponent(state.parent.run_id)}`}>parent run</Link> ({state.parent.runbook}, step {state.parent.step}, {state.parent.index + 1} of {state.parent.count}) /</> : null}
      </p>
      <div className="page-head">
        <div>
          <h1 id="run-heading">{state.title}</h1>
          <p className="muted small mono">{state.run_id}</p>
        </div>
        <div className="run-head-side">
          <span className="run-status" data-testid="run-status" data-status={state.status}>
            <span className="sr-only">Status: </span><StatusBadge status={state.status} />
          </span>
          {live ? <span className={`live live-${stream}`} role="status">{stream === 'live' ? 'Live' : stream === 'connecting' ? 'Connecting…' : 'Reconnecting…'}</span> : null}
          {page.can.cancel && live ? <CancelRun runId={state.run_id} title={state.title} /> : null}
        </div>
      </div>
      <div className="run-facts">
        <IdentityList identity={state.identity} />
        <dl className="facts">
          <div><dt>Started</dt><dd><DateTime iso={state.started_at} />{state.started_by ? <> by {state.started_by}</> : null}</dd></div>
          {state.ended_at ? <div><dt>Ended</dt><dd><DateTime iso={state.ended_at} /></dd></div> : null}
          {took !== null ? <div><dt>{state.ended_at ? 'Took' : 'Running for'}</dt><dd>{formatDuration(took)}</dd></div> : null}
        </dl>
      </div>

      {state.pending_action && state.status === 'waiting' ? (
        <PendingPanel key={`${state.pending_action.step}:${state.pending_action.since ?? ''}`} page={page} pending={state.pending_action} renderPending={renderPending} />
      ) : null}

      {state.status === 'failed' && state.error ? (
        <section className="panel panel-failed" aria-labelledby="failure-heading" data-testid="run-error">
          <h2 id="failure-heading">Failed{state.error.step ? ` at ${state.steps.find((s) => s.id === state.error?.step)?.title ?? state.error.step}` : ''}</h2>
          <p><code className="error-code">{state.error.type}</code> {state.error.message}</p>
        </section>
      ) : null}

      {state.status === 'completed' ? (
        <section className="panel panel-done" aria-labelledby="output-heading">
          <h2 id="output-heading">Output</h2>
          <PayloadView value={state.output ?? null} testId="run-output" />
        </section>
      ) : null}

      {renderDocuments?.(page)}

      <div className="run-columns">
        <section aria-labelledby="steps-heading" className="panel">
          <h2 id="steps-heading">Steps</h2>
          <StepLadder steps={state.steps} runStatus={state.status} />
        </section>
        <section aria-labelledby="timeline-heading" className="panel">
          <h2 id="timeline-heading">Timeline</h2>
          <Timeline entries={state.timeline ?? []} steps={state.steps} />
        </section>
      </div>

      {renderDiagram?.(page)}
    </section>
  );
}
