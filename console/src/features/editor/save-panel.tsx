/**
 * Saving: "Review changes" shows the diff against the text as loaded; "Save" is refused while the
 * text has errors (the reason is beside the button) and sends the base hash. A file changed on disk
 * meanwhile (at a save, or found when unsaved work kept from before is restored) is shown as a diff
 * with what to do; a save shows who saved it and when the worker serves it.
 */
import { lazy, Suspense, useRef, useState } from 'react';
import { FileDiff, RotateCcw, Save } from 'lucide-react';
import type { EditorSession } from './use-editor-session.ts';
import type { ServedHash } from './use-served-hash.ts';
import { countOf, plural } from './diagnostics.tsx';

const DiffView = lazy(() => import('./diff-view.tsx'));

export const shortHash = (hash: string | null): string => (hash ? hash.slice(0, 12) : 'none');

function whyNot(session: EditorSession): string | null {
  if (session.saving) return 'Saving…';
  if (!session.analysis.valid) {
    const { errors } = countOf(session.analysis.diagnostics);
    return `Fix ${plural(errors, 'error')} before saving: a runbook with errors is never written (the worker would refuse it).`;
  }
  if (!session.dirty) return 'Nothing to save: the text is the file as loaded.';
  if (session.busy) return 'Checking the latest change…';
  return null;
}

export function SaveButtons({ session }: { readonly session: EditorSession }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const blocked = whyNot(session);
  const show = (): void => { setOpen(true); dialog.current?.showModal(); };
  const close = (): void => { dialog.current?.close(); };
  return (
    <div className="save-buttons">
      <div className="button-row">
        <button type="button" className="button" onClick={show} data-testid="editor-review-changes">
          <FileDiff size={16} aria-hidden="true" /> Review changes
        </button>
        <button type="button" className="button button-primary" disabled={blocked !== null} aria-describedby="editor-save-why" onClick={() => void session.save()} data-testid="editor-save">
          <Save size={16} aria-hidden="true" /> {session.saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      <p id="editor-save-why" className="save-why small" data-testid="editor-save-blocked">{blocked ?? 'Ready to save: the file is checked as CI checks it.'}</p>
      <dialog ref={dialog} className="dialog dialog-wide" aria-labelledby="editor-review-title" onClose={() => setOpen(false)} data-testid="editor-review-dialog">
        <h2 id="editor-review-title">Changes to {session.doc.path}</h2>
        <p className="muted">Left: the file as loaded. Right: your working text, which Save writes.</p>
        {open ? (
          <Suspense fallback={<p role="status">Loading the diff…</p>}>
            <DiffView original={session.base.text} modified={session.text} originalLabel="The file as loaded" modifiedLabel="Your working text" />
          </Suspense>
        ) : null}
        <div className="button-row">
          <button type="button" className="button button-primary" disabled={blocked !== null} onClick={() => { close(); void session.save(); }} data-testid="editor-review-save">
            <Save size={16} aria-hidden="true" /> Save
          </button>
          <button type="button" className="button button-quiet" onClick={close} autoFocus>Close</button>
          {blocked ? <span className="small muted">{blocked}</span> : null}
        </div>
      </dialog>
    </div>
  );
}

export function FileChangedNotice({ session }: { readonly session: EditorSession }) {
  const [confirming, setConfirming] = useState(false);
  const changed = session.fileChanged;
  if (!changed) return null;
  return (
    <section className="notice notice-error file-changed" role="alert" aria-labelledby="editor-file-changed-title" data-testid="editor-file-changed" data-reason={changed.reason}>
      {changed.reason === 'restored' ? (
        <>
          <h2 id="editor-file-changed-title" className="notice-title">{session.doc.path} changed on disk since your unsaved changes were made</h2>
          <p>
            Your working text was kept, and nothing is written until you choose. Below, left: the file on disk now; right: your working text.
            Reload the file (your changes are lost), or keep your text and save it over the new file once you have checked the difference.
          </p>
        </>
      ) : (
        <>
          <h2 id="editor-file-changed-title" className="notice-title">Not saved: someone changed {session.doc.path} since you opened it</h2>
          <p>
            Saving now would overwrite their change, so nothing was written. Below, left: the file on disk now; right: your working text.
            Reload the file (your changes are lost), or keep your text and save it over theirs once you have checked the difference.
          </p>
        </>
      )}
      <Suspense fallback={<p role="status">Loading the diff…</p>}>
        <DiffView original={changed.currentText} modified={session.text} originalLabel="The file on disk now" modifiedLabel="Your working text" testId="editor-file-changed-diff" />
      </Suspense>
      <div className="button-row">
        {confirming ? (
          <>
            <button type="button" className="button button-danger" onClick={() => void session.reload()} data-testid="editor-reload-confirm">
              <RotateCcw size={16} aria-hidden="true" /> Discard my changes and reload
            </button>
            <button type="button" className="button button-quiet" onClick={() => setConfirming(false)}>Keep my changes</button>
          </>
        ) : (
          <>
            <button type="button" className="button" onClick={() => setConfirming(true)} data-testid="editor-reload">
              <RotateCcw size={16} aria-hidden="true" /> Reload from disk
            </button>
            <button type="button" className="button" onClick={session.rebase} data-testid="editor-keep-mine">Keep my text (save it over the new file)</button>
          </>
        )}
      </div>
    </section>
  );
}

export function SavedNotice({ session, served }: { readonly session: EditorSession; readonly served: ServedHash }) {
  const saved = session.saved;
  if (!saved) return null;
  return (
    <div className="notice notice-ok" role="status" data-testid="editor-saved">
      <strong>Saved by {saved.savedBy}</strong> at {new Date(saved.savedAt).toLocaleTimeString()} (file hash <code>{shortHash(saved.hash)}</code>).{' '}
      {served.hash === saved.hash ? (
        <span data-testid="editor-served-new">The worker serves <code>{shortHash(saved.hash)}</code>: new runs follow this version; runs already going keep theirs.</span>
      ) : served.gaveUp ? (
        <span>The worker does not serve it yet (it serves <code>{shortHash(served.hash)}</code>): is a worker watching this runbooks directory?</span>
      ) : (
        <span>Waiting for the worker to load it…</span>
      )}
    </div>
  );
}
