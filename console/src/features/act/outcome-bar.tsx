/**
 * The decision bar of a review: a comment box and one button per allowed outcome
 * (`pending.outcomes`), the comment marked required where the review requires it. The server's
 * rejection shows beside it (`action-error`). A component that edits corrections itself passes
 * `onCorrect` (or `correctFormId` to submit its own form) for the Correct button.
 */
import { useId, type ReactNode } from 'react';
import { Check, PencilLine, X } from 'lucide-react';
import type { PendingAction, ReviewOutcome } from '../../shared/api/index.ts';
import { ErrorNotice } from '../../shared/ui/error-notice.tsx';
import type { ActionSender } from './use-action-sender.ts';

interface Props {
  readonly pending: PendingAction;
  readonly sender: ActionSender;
  /** Sends `corrected` with the component's corrections. */
  readonly onCorrect?: () => void;
  /** Or: the id of a form whose submission sends `corrected`. */
  readonly correctFormId?: string;
  /** Why Approve is not offered now (e.g. unsent edits). */
  readonly approveBlocked?: string | null;
  readonly extra?: ReactNode;
}

const ORDER: readonly ReviewOutcome[] = ['approved', 'corrected', 'rejected'];

const commentRequired = (pending: PendingAction, outcome: ReviewOutcome): boolean =>
  (pending.comment_required ?? ['rejected']).includes(outcome);

export function OutcomeBar({ pending, sender, onCorrect, correctFormId, approveBlocked, extra }: Props) {
  const commentId = useId();
  const hintId = useId();
  const outcomes = ORDER.filter((outcome) => (pending.outcomes ?? ORDER).includes(outcome));
  const required = outcomes.filter((outcome) => commentRequired(pending, outcome));
  const labelOf = (outcome: ReviewOutcome): string => {
    const base = outcome === 'approved' ? 'Approve' : outcome === 'rejected' ? 'Reject' : 'Submit corrections';
    return required.includes(outcome) ? `${base} (comment required)` : base;
  };
  const busy = sender.busy !== null;
  if (sender.done) {
    return <p className="notice notice-ok" role="status" data-testid="action-sent">Sent: {sender.done}. The run continues…</p>;
  }
  return (
    <div className="outcome-bar">
      <div className="field">
        <label htmlFor={commentId}>
          Comment {required.length > 0 ? <span className="muted">(required to {required.map((o) => (o === 'approved' ? 'approve' : o === 'rejected' ? 'reject' : 'correct')).join(' or ')})</span> : <span className="muted">(optional)</span>}
        </label>
        <textarea id={commentId} rows={2} value={sender.comment} onChange={(event) => sender.setComment(event.target.value)} aria-describedby={hintId} data-testid="action-comment" />
        <p id={hintId} className="muted small">Saved with your decision in the run's record.</p>
      </div>
      <ErrorNotice error={sender.error} testId="action-error" title="Not accepted" />
      <div className="button-row">
        {outcomes.map((outcome) => {
          const Icon = outcome === 'approved' ? Check : outcome === 'rejected' ? X : PencilLine;
          const tone = outcome === 'approved' ? 'button-primary' : outcome === 'rejected' ? 'button-danger' : 'button-secondary';
          if (outcome === 'corrected' && !onCorrect && !correctFormId) return null;
          const blocked = outcome === 'approved' ? approveBlocked ?? null : null;
          return (
            <button
              key={outcome}
              type={outcome === 'corrected' && correctFormId ? 'submit' : 'button'}
              form={outcome === 'corrected' ? correctFormId : undefined}
              className={`button ${tone}`}
              disabled={busy || blocked !== null}
              title={blocked ?? undefined}
              data-testid={`action-${outcome}`}
              onClick={outcome === 'corrected' ? (correctFormId ? undefined : onCorrect) : () => void sender.send(outcome)}
            >
              <Icon size={16} aria-hidden="true" /> {sender.busy === outcome ? 'Sending…' : labelOf(outcome)}
            </button>
          );
        })}
        {extra}
      </div>
      {approveBlocked ? <p className="muted small">{approveBlocked}</p> : null}
    </div>
  );
}
