/**
 * A wait for a signal with no display-hint component of its own: a form generated from the
 * signal's payload JSON Schema (`definition.signals.<name>.payload`), one per signal the wait takes,
 * or a JSON box when the signal declares no schema.
 */
import { useId, useState } from 'react';
import { Send } from 'lucide-react';
import { api, apiErrorOf, type ApiError, type PendingAction, type RunPageResponse } from '../../shared/api/index.ts';
import { SchemaForm } from '../../shared/schema-form/index.tsx';
import { ErrorNotice } from '../../shared/ui/error-notice.tsx';

interface Props {
  readonly runId: string;
  readonly page: RunPageResponse;
  readonly pending: PendingAction;
}

const prefillOf = (hint: unknown): unknown => {
  const payload = typeof hint === 'object' && hint !== null ? (hint as Record<string, unknown>).payload : undefined;
  return typeof payload === 'object' && payload !== null ? payload : {};
};

function OneSignal({ runId, name, page, pending }: Props & { readonly name: string }) {
  const spec = page.definition?.signals?.[name];
  const idPrefix = `signal-${name}-${useId().replace(/:/g, '')}`;
  const jsonId = useId();
  const [value, setValue] = useState<unknown>(() => prefillOf(pending.display_hint));
  const [json, setJson] = useState(() => JSON.stringify(prefillOf(pending.display_hint), null, 2));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const send = async (payload: unknown): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api.signal(runId, { name, payload });
      setSent(true);
    } catch (failure) {
      setError(apiErrorOf(failure));
    } finally {
      setBusy(false);
    }
  };
  if (sent) return <p className="notice notice-ok" role="status" data-testid="signal-sent">Sent {name}. The run continues…</p>;
  const button = (
    <div className="form-actions">
      <button type="submit" className="button button-primary" disabled={busy} data-testid={`signal-submit-${name}`}>
        <Send size={16} aria-hidden="true" /> {busy ? 'Sending…' : `Send ${name}`}
      </button>
    </div>
  );
  return (
    <div className="signal-form" data-testid={`signal-form-${name}`}>
      {spec?.description ? <p className="muted">{spec.description}</p> : null}
      <ErrorNotice error={error} testId="signal-error" title="Not accepted" />
      {spec?.payload ? (
        <SchemaForm schema={spec.payload} value={value} onChange={setValue} onSubmit={(payload) => void send(payload)} idPrefix={idPrefix} disabled={busy}>
          {button}
        </SchemaForm>
      ) : (
        <form onSubmit={(event) => {
          event.preventDefault();
          try {
            void send(JSON.parse(json || 'null'));
          } catch {
            setError({ code: 'JSON_INVALID', message: 'the payload is not valid JSON' });
          }
        }}>
          <div className="field">
            <label htmlFor={jsonId}>Payload (JSON)</label>
            <textarea id={jsonId} className="mono" rows={6} value={json} onChange={(event) => setJson(event.target.value)} />
          </div>
          {button}
        </form>
      )}
    </div>
  );
}

export function SignalForm(props: Props) {
  const names = props.pending.signals ?? [];
  if (!props.page.can.signal) return null;
  if (names.length === 0) return <p className="muted">This wait names no signal.</p>;
  return (
    <div className="signal-forms">
      {names.map((name) => (
        <section key={name} aria-label={`Signal ${name}`}>
          {names.length > 1 ? <h3 className="subheading">{name}</h3> : null}
          <OneSignal {...props} name={name} />
        </section>
      ))}
    </div>
  );
}
