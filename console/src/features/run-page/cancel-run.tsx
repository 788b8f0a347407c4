/** Cancelling a run (operators): a confirmation dialog first; the server's refusal shows in it. */
import { useRef, useState } from 'react';
import { Ban } from 'lucide-react';
import { api, apiErrorOf, type ApiError } from '../../shared/api/index.ts';
import { ErrorNotice } from '../../shared/ui/error-notice.tsx';

export function CancelRun({ runId, title }: { readonly runId: string; readonly title: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api.cancel(runId);
      dialog.current?.close();
    } catch (failure) {
      setError(apiErrorOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="button button-quiet button-danger-quiet" onClick={() => { setError(null); dialog.current?.showModal(); }} data-testid="run-cancel">
        <Ban size={16} aria-hidden="true" /> Cancel run
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby="cancel-title" data-testid="cancel-dialog">
        <h2 id="cancel-title">Cancel this run?</h2>
        <p>{title} stops where it is. Steps already done are not undone, and a cancelled run cannot be resumed.</p>
        <ErrorNotice error={error} testId="cancel-error" />
        <div className="button-row">
          <button type="button" className="button button-danger" onClick={() => void confirm()} disabled={busy} data-testid="cancel-confirm">
            {busy ? 'Cancelling…' : 'Cancel the run'}
          </button>
          <button type="button" className="button button-quiet" onClick={() => dialog.current?.close()} autoFocus>
            Keep it running
          </button>
        </div>
      </dialog>
    </>
  );
}
