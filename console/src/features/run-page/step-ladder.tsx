/**
 * The step ladder: each step with its Lucide icon, status, timings, attempts and go-backs, and the
 * fan-out children under their step (links to their run pages; each child's own ladder opens in place).
 */
import { useId, useState } from 'react';
import { ChevronDown, ChevronRight } from 'lucide-react';
import { api, type ChildView, type RunStatus, type StepView } from '../../shared/api/index.ts';
import { durationBetween, formatDuration } from '../../shared/format.ts';
import { useNow, useResource } from '../../shared/hooks.ts';
import { Link } from '../../shared/router.tsx';
import { StatusBadge } from '../../shared/ui/status-badge.tsx';
import { StepIcon } from '../../shared/ui/step-icon.tsx';
import { DateTime } from '../../shared/ui/times.tsx';

const TERMINAL: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

function ChildLadder({ runId }: { readonly runId: string }) {
  const child = useResource(`child:${runId}`, (signal) => api.run(runId, signal));
  if (child.error) return <p className="muted small">{child.error.code}: {child.error.message}</p>;
  if (!child.data) return <p className="muted small" role="status">Loading…</p>;
  return <StepLadder steps={child.data.state.steps} runStatus={child.data.state.status} nested />;
}

function ChildRow({ child }: { readonly child: ChildView }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <li className="child" data-testid={`child-${child.id}`} data-status={child.status}>
      <div className="child-head">
        <button type="button" className="icon-button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)} aria-label={`${open ? 'Hide' : 'Show'} the steps of ${child.title}`}>
          {open ? <ChevronDown size={16} aria-hidden="true" /> : <ChevronRight size={16} aria-hidden="true" />}
        </button>
        <Link to={`/runs/${encodeURIComponent(child.run_id)}`}>{child.title}</Link>
        <span className="muted small mono">{child.id}</span>
        <StatusBadge status={child.status} />
      </div>
      <div id={id} hidden={!open}>{open ? <ChildLadder runId={child.run_id} /> : null}</div>
    </li>
  );
}

function Timing({ step, now, runEnded }: { readonly step: StepView; readonly now: number; readonly runEnded: boolean }) {
  if (!step.started_at) return null;
  // A step the run left unfinished (cancelled, failed) has no duration to show.
  const took = step.ended_at || !runEnded ? durationBetween(step.started_at, step.ended_at, now) : null;
  return (
    <span className="step-timing">
      <span className="sr-only">Started </span><DateTime iso={step.started_at} />
      {took !== null ? <> · {step.ended_at ? 'took' : 'for'} {formatDuration(took)}</> : null}
    </span>
  );
}

export function StepLadder({ steps, runStatus, nested = false }: { readonly steps: readonly StepView[]; readonly runStatus: RunStatus; readonly nested?: boolean }) {
  const now = useNow(nested ? 60_000 : 10_000);
  const ended = TERMINAL.includes(runStatus);
  return (
    <ol className={nested ? 'ladder ladder-nested' : 'ladder'} aria-label={nested ? 'Steps of the child run' : 'Steps'}>
      {steps.map((step) => {
        const status = ended && (step.status === 'waiting' || step.status === 'running') ? 'interrupted' : step.status;
        const done = (step.children ?? []).filter((child) => child.status === 'completed').length;
        return (
          <li key={step.id} className={`step step-${status}`} data-testid={nested ? undefined : `step-${step.id}`} data-status={step.status} aria-current={step.status === 'waiting' || step.status === 'running' ? 'step' : undefined}>
            <span className="step-icon" aria-hidden="true"><StepIcon name={step.icon} /></span>
            <div className="step-body">
              <div className="step-head">
                <span className="step-title">{step.title}</span>
                <StatusBadge status={status} />
                {step.attempts && step.attempts > 1 ? <span className="tag" title="Handler attempts of its last start">{step.attempts} attempts</span> : null}
                {step.iteration ? <span className="tag" title="How many times the step started before (go-backs)">run {step.iteration + 1} times</span> : null}
              </div>
              <Timing step={step} now={now} runEnded={ended} />
              {step.children && step.children.length > 0 ? (
                <div className="children">
                  <p className="muted small">{done} of {step.children.length} child runs completed</p>
                  <ul className="child-list">{step.children.map((child) => <ChildRow key={child.run_id} child={child} />)}</ul>
                </div>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
