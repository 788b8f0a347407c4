/**
 * `display_hint.type: agent_question` on a pending action of kind `agent`: which agent asks, its
 * question, and the answer: a form generated from the question's JSON Schema (`hint.schema`), else
 * a text box whose text is the answer (as `runbook run` takes a line of text). Send posts
 * `{ step, action: 'answered', payload }`; a refusal (`ANSWER_INVALID`, ...) shows beside the form,
 * which keeps what was typed. Decline (a second click confirms, with an optional reason) posts
 * `{ step, action: 'declined', comment? }`: the agent's task is cancelled and the step fails with
 * AGENT_DECLINED. Offered only when `page.can.act` (operator, separation of duties).
 */
import { useId, useState, type FormEvent } from 'react';
import { Bot, Send, XCircle } from 'lucide-react';
import { api, apiErrorOf, type ApiError } from '../../shared/api/index.ts';
import { SchemaForm } from '../../shared/schema-form/index.tsx';
import { ErrorNotice } from '../../shared/ui/error-notice.tsx';
import { PayloadView } from '../../shared/ui/payload-view.tsx';
import type { HintComponentProps } from './hint-component.ts';

const objectOr = (value: unknown): Readonly<Record<string, unknown>> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

export function AgentQuestion({ runId, page, pending, hint }: HintComponentProps) {
  const baseId = useId().replace(/:/g, '');
  const formId = `agent-answer-${baseId}`;
  const headingId = `agent-question-heading-${baseId}`;
  const agent = typeof hint.agent === 'string' ? hint.agent : 'The agent';
  const question = typeof hint.question === 'string' ? hint.question : pending.reason ?? '';
  const schema = objectOr(hint.schema);
  const data = objectOr(pending.payload)?.data;
  const [value, setValue] = useState<unknown>(undefined);
  const [text, setText] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [phase, setPhase] = useState<'idle' | 'sending' | 'declining' | 'sent' | 'declined'>('idle');
  const [declineOpen, setDeclineOpen] = useState(false);
  const [reason, setReason] = useState('');

  const post = async (request: { action: 'answered'; payload: unknown } | { action: 'declined'; comment?: string }): Promise<void> => {
    const answering = request.action === 'answered';
    setPhase(answering ? 'sending' : 'declining');
    setError(null);
    try {
      await api.act(runId, { step: pending.step, ...request });
      setPhase(answering ? 'sent' : 'declined');
    } catch (failure) {
      setError(apiErrorOf(failure));
      setPhase('idle');
    }
  };
  const send = (payload: unknown): Promise<void> => post({ action: 'answered', payload });
  const decline = (): Promise<void> => post({ action: 'declined', ...(reason.trim() ? { comment: reason.trim() } : {}) });
  const busy = phase === 'sending' || phase === 'declining';
  const button = (
    <div className="form-actions">
      <button type="submit" form={formId} className="button button-primary" disabled={busy || (!schema && text.trim() === '')} data-testid="agent-answer-send">
        <Send size={16} aria-hidden="true" /> {phase === 'sending' ? 'Sending…' : 'Send answer'}
      </button>
      {declineOpen ? null : (
        <button type="button" className="button button-danger" disabled={busy} onClick={() => setDeclineOpen(true)} data-testid="agent-decline">
          <XCircle size={16} aria-hidden="true" /> Decline
        </button>
      )}
    </div>
  );
  const declining = declineOpen ? (
    <div className="agent-decline" role="group" aria-labelledby={`${formId}-decline-title`} data-testid="agent-decline-panel">
      <p id={`${formId}-decline-title`}>
        <strong>Decline the question?</strong> {agent}'s task is cancelled and this step fails (AGENT_DECLINED); the runbook may handle that.
      </p>
      <div className="field">
        <label htmlFor={`${formId}-decline-reason`}>Why (optional)</label>
        <textarea id={`${formId}-decline-reason`} rows={2} value={reason} onChange={(event) => setReason(event.target.value)} disabled={busy} data-testid="agent-decline-reason" />
      </div>
      <div className="form-actions">
        <button type="button" className="button button-danger" disabled={busy} onClick={() => void decline()} data-testid="agent-decline-confirm">
          <XCircle size={16} aria-hidden="true" /> {phase === 'declining' ? 'Declining…' : 'Decline question'}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => setDeclineOpen(false)} data-testid="agent-decline-cancel">
          Keep the question
        </button>
      </div>
    </div>
  ) : null;

  return (
    <div className="agent-question" data-testid="agent-question" data-agent={agent}>
      <p className="agent-question-asker" id={headingId}>
        <Bot size={18} aria-hidden="true" /> <strong>{agent}</strong> asks:
      </p>
      <blockquote className="agent-question-text" data-testid="agent-question-text">{question}</blockquote>
      {data !== undefined ? (
        <details className="agent-question-data">
          <summary>What the agent sent with its question</summary>
          <PayloadView value={data ?? null} />
        </details>
      ) : null}
      {phase === 'sent' ? (
        <p className="notice notice-ok" role="status" data-testid="agent-answer-sent">Answer sent to {agent}. The run continues…</p>
      ) : phase === 'declined' ? (
        <p className="notice" role="status" data-testid="agent-declined">Question declined: {agent}'s task is cancelled and the step fails.</p>
      ) : page.can.act ? (
        <div className="agent-answer">
          <ErrorNotice error={error} testId="agent-answer-error" title="Not accepted" />
          {schema ? (
            <SchemaForm id={formId} schema={schema} value={value} onChange={setValue} onSubmit={(answer) => void send(answer ?? {})} idPrefix={formId} disabled={busy}>
              {button}
            </SchemaForm>
          ) : (
            <form id={formId} onSubmit={(event: FormEvent) => { event.preventDefault(); if (text.trim()) void send(text); }}>
              <div className="field">
                <label htmlFor={`${formId}-text`}>Your answer</label>
                <textarea id={`${formId}-text`} rows={3} value={text} onChange={(event) => setText(event.target.value)} disabled={busy} data-testid="agent-answer-text" />
                <p className="muted small">Sent to the agent as text; recorded on the run's timeline with your name.</p>
              </div>
              {button}
            </form>
          )}
          {declining}
        </div>
      ) : null}
    </div>
  );
}
