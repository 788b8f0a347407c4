/**
 * `display_hint.type: agent_question` on a pending action of kind `agent`: which agent asks, its
 * question, and the answer: a form generated from the question's JSON Schema (`hint.schema`), else
 * a text box whose text is the answer (as `runbook run` takes a line of text). Send posts
 * `{ step, action: 'answered', payload }`; a refusal (`ANSWER_INVALID`, ...) shows beside the form,
 * which keeps what was typed. Offered only when `page.can.act` (operator, separation of duties).
 */
import { useId, useState, type FormEvent } from 'react';
import { Bot, Send } from 'lucide-react';
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
  const [phase, setPhase] = useState<'idle' | 'sending' | 'sent'>('idle');

  const send = async (payload: unknown): Promise<void> => {
    setPhase('sending');
    setError(null);
    try {
      await api.act(runId, { step: pending.step, action: 'answered', payload });
      setPhase('sent');
    } catch (failure) {
      setError(apiErrorOf(failure));
      setPhase('idle');
    }
  };
  const busy = phase === 'sending';
  const button = (
    <div className="form-actions">
      <button type="submit" form={formId} className="button button-primary" disabled={busy || (!schema && text.trim() === '')} data-testid="agent-answer-send">
        <Send size={16} aria-hidden="true" /> {busy ? 'Sending…' : 'Send answer'}
      </button>
    </div>
  );

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
        </div>
      ) : null}
    </div>
  );
}
