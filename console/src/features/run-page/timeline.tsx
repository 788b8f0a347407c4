/** What happened in a run, oldest first: steps, signals, decisions (actor, outcome, comment) and failures. */
import type { StepView, TimelineEntry } from '../../shared/api/index.ts';
import { formatDateTime, formatTime } from '../../shared/format.ts';

const WHAT: Readonly<Record<TimelineEntry['type'], string>> = {
  'run.started': 'Run started',
  'step.started': 'Started',
  'step.completed': 'Completed',
  'step.failed': 'Failed',
  'step.skipped': 'Skipped',
  'step.waiting': 'Waiting',
  'step.retrying': 'Retrying',
  'signal.received': 'Signal received',
  'action.taken': 'Decision',
  'run.completed': 'Run completed',
  'run.failed': 'Run failed',
  'run.cancelled': 'Run cancelled',
};

const tone = (entry: TimelineEntry): string => {
  if (entry.type === 'action.taken') return entry.outcome === 'rejected' ? 'tl-reject' : 'tl-decision';
  if (entry.type.endsWith('failed') || entry.type === 'run.cancelled') return 'tl-failure';
  if (entry.type === 'step.retrying') return 'tl-warn';
  if (entry.type.startsWith('run.')) return 'tl-run';
  return '';
};

export function Timeline({ entries, steps }: { readonly entries: readonly TimelineEntry[]; readonly steps: readonly StepView[] }) {
  const titleOf = new Map(steps.map((step) => [step.id, step.title]));
  if (entries.length === 0) return <p className="muted">Nothing recorded yet.</p>;
  return (
    <ol className="timeline">
      {entries.map((entry, i) => (
        <li key={`${entry.at}-${i}`} className={`tl-entry ${tone(entry)}`} data-testid="timeline-entry" data-type={entry.type}>
          <time dateTime={entry.at} title={formatDateTime(entry.at)} className="tl-time">{formatTime(entry.at)}</time>
          <div className="tl-body">
            <span className="tl-what">
              {WHAT[entry.type] ?? entry.type}
              {entry.step ? <> · {titleOf.get(entry.step) ?? entry.step}</> : null}
              {entry.type === 'action.taken' && entry.outcome ? <> · <strong>{entry.outcome}</strong></> : null}
              {entry.signal ? <> · <code>{entry.signal}</code></> : null}
              {entry.attempt ? <> · attempt {entry.attempt}</> : null}
            </span>
            {entry.actor ? <span className="tl-actor">by {entry.actor}</span> : null}
            {entry.comment ? <blockquote className="tl-comment">{entry.comment}</blockquote> : null}
            {entry.error_type || entry.message ? (
              <span className={entry.error_type ? 'tl-message tl-error' : 'tl-message'}>{entry.error_type ? <code>{entry.error_type}</code> : null} {entry.message}</span>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
