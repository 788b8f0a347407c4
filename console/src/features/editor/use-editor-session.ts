/**
 * The editor's working state for one runbook file: the text as loaded (the base of the diff and of
 * the save's `base_hash`), the working text and its analysis. Operations go to `apply` one at a time,
 * each on the latest working text; YAML typing is analysed after a pause, and an answer for a text
 * that has changed since is dropped. An operation whose answer comes back after the text changed
 * (typing in the YAML view while it was on its way) is sent again on the text as it is now: the
 * typing is never overwritten. `reload` discards the operations queued or on their way.
 *
 * The working text survives a re-mount of the page (sessionStorage: the working text with the text
 * and hash it was based on). When the file on disk changed meanwhile, the working text is kept and
 * shown against the file on disk now (`fileChanged`, reason `restored`); the stored text is removed
 * only when the person reloads, saves, or its text is the base again: nothing is lost unnoticed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiRequestError, apiErrorOf, editorApi, type ApiError, type EditOperation, type EditorAnalysis, type EditorDocument } from '../../shared/api/index.ts';

const ANALYZE_DELAY_MS = 250;

export interface Base {
  readonly text: string;
  readonly hash: string;
}

export interface FileChanged {
  readonly currentText: string;
  readonly currentHash: string;
  readonly message: string;
  /** `save`: a save was refused (FILE_CHANGED); `restored`: unsaved work kept from before is based on an older file. */
  readonly reason: 'save' | 'restored';
}

export interface SaveResult {
  readonly hash: string;
  readonly savedBy: string;
  readonly savedAt: string;
}

export interface EditorSession {
  readonly doc: EditorDocument;
  readonly base: Base;
  readonly text: string;
  readonly analysis: EditorAnalysis;
  /** An apply or analyze request is on its way. */
  readonly busy: boolean;
  /** The last refused operation (`EDIT_*`) or failed request; cleared by the next success. */
  readonly error: ApiError | null;
  readonly restored: boolean;
  readonly fileChanged: FileChanged | null;
  readonly saved: SaveResult | null;
  readonly saving: boolean;
  readonly dirty: boolean;
  /** Applies the operations in order; resolves false when one was refused (the text keeps the ones before it). */
  readonly apply: (operations: readonly EditOperation[]) => Promise<boolean>;
  /** The YAML view's text changed. */
  readonly editText: (text: string) => void;
  readonly save: () => Promise<void>;
  /** Discards the working text: the file as on disk now. */
  readonly reload: () => Promise<void>;
  /** Keeps the working text and takes the file on disk now as its base (after the person saw the diff). */
  readonly rebase: () => void;
  readonly dismissError: () => void;
}

const storageKey = (slug: string): string => `runbook-editor:${slug}`;

/** How many times an operation is sent again when the text keeps changing under it before it is given up (with a notice). */
const MAX_APPLY_ATTEMPTS = 8;

interface Stored {
  readonly base_hash: string;
  /** Absent in items stored before it was kept. */
  readonly base_text?: string;
  readonly text: string;
}

interface Restored {
  readonly text: string;
  readonly base: Base;
  readonly fileChanged: FileChanged | null;
}

function readStored(slug: string): Stored | null {
  try {
    const stored: unknown = JSON.parse(window.sessionStorage.getItem(storageKey(slug)) ?? 'null');
    if (typeof stored !== 'object' || stored === null) return null;
    const { base_hash: baseHash, base_text: baseText, text } = stored as Record<string, unknown>;
    if (typeof baseHash !== 'string' || typeof text !== 'string') return null;
    return { base_hash: baseHash, text, ...(typeof baseText === 'string' ? { base_text: baseText } : {}) };
  } catch {
    return null;
  }
}

/** The working text kept from before, if any; on a file changed since, with its own base and the file as it is now. */
function restore(doc: EditorDocument): Restored | null {
  const stored = readStored(doc.slug);
  if (!stored || stored.text === doc.text) return null;
  if (stored.base_hash === doc.hash) return { text: stored.text, base: { text: doc.text, hash: doc.hash }, fileChanged: null };
  // The file changed on disk since the working text was based on it: keep both, the person chooses.
  // The base stays the old one, so a save without a choice is refused (FILE_CHANGED) rather than overwriting.
  return {
    text: stored.text,
    base: { text: stored.base_text ?? doc.text, hash: stored.base_hash },
    fileChanged: {
      currentText: doc.text,
      currentHash: doc.hash,
      message: 'The file on disk changed since your unsaved changes were made.',
      reason: 'restored',
    },
  };
}

function remember(slug: string, base: Base, text: string): void {
  try {
    if (text === base.text) window.sessionStorage.removeItem(storageKey(slug));
    else window.sessionStorage.setItem(storageKey(slug), JSON.stringify({ base_hash: base.hash, base_text: base.text, text } satisfies Stored));
  } catch {
    // storage full or disabled: the working text stays in memory only
  }
}

export function useEditorSession(doc: EditorDocument, onReloaded: (doc: EditorDocument) => void): EditorSession {
  const [restored] = useState(() => restore(doc));
  const restoredText = restored?.text ?? null;
  const [base, setBase] = useState<Base>(restored?.base ?? { text: doc.text, hash: doc.hash });
  const [text, setText] = useState(restoredText ?? doc.text);
  const [analysis, setAnalysis] = useState<EditorAnalysis>(doc.analysis);
  const [pending, setPending] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const [fileChanged, setFileChanged] = useState<FileChanged | null>(restored?.fileChanged ?? null);
  const [saved, setSaved] = useState<SaveResult | null>(null);
  const [saving, setSaving] = useState(false);
  const textRef = useRef(text);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  /** Bumped by `reload`: operations asked for before it are dropped, their answers too. */
  const generation = useRef(0);
  const analyzeTimer = useRef<number | undefined>(undefined);
  const slug = doc.slug;

  const track = useCallback(<T,>(work: Promise<T>): Promise<T> => {
    setPending((n) => n + 1);
    return work.finally(() => setPending((n) => n - 1));
  }, []);

  const analyzeNow = useCallback((asked: string): void => {
    void track(editorApi.analyze(slug, asked)).then(
      (answer) => { if (textRef.current === asked) { setAnalysis(answer); setError(null); } },
      (failure: unknown) => { if (textRef.current === asked) setError(apiErrorOf(failure)); },
    );
  }, [slug, track]);

  // A restored working text was analysed as the file on disk: analyse it as it is.
  useEffect(() => {
    if (restoredText !== null) analyzeNow(restoredText);
  }, [restoredText, analyzeNow]);

  useEffect(() => remember(slug, base, text), [slug, base, text]);
  useEffect(() => () => window.clearTimeout(analyzeTimer.current), []);

  const editText = useCallback((next: string): void => {
    textRef.current = next;
    setText(next);
    setSaved(null);
    window.clearTimeout(analyzeTimer.current);
    analyzeTimer.current = window.setTimeout(() => analyzeNow(next), ANALYZE_DELAY_MS);
  }, [analyzeNow]);

  const apply = useCallback((operations: readonly EditOperation[]): Promise<boolean> => {
    const asked = generation.current;
    const run = queue.current.then(async (): Promise<boolean> => {
      for (const operation of operations) {
        if (generation.current !== asked) return false;
        let applied = false;
        for (let attempt = 0; !applied; attempt++) {
          if (attempt === MAX_APPLY_ATTEMPTS) {
            setError({ code: 'EDIT_TEXT_CHANGING', message: 'The text kept changing while the change was on its way, so it was not made; your text is as you typed it. Make the change again.' });
            return false;
          }
          const sent = textRef.current;
          try {
            const answer = await track(editorApi.apply(slug, sent, operation));
            if (generation.current !== asked) return false;
            // Typed meanwhile: the answer is for an older text; the operation (by step id) goes again on the text as it is now.
            if (textRef.current !== sent) continue;
            window.clearTimeout(analyzeTimer.current);
            textRef.current = answer.text;
            setText(answer.text);
            setAnalysis(answer.analysis);
            setSaved(null);
            setError(null);
            applied = true;
          } catch (failure) {
            if (generation.current !== asked) return false;
            // Refused on an older text: the text as it is now may take it.
            if (textRef.current !== sent) continue;
            setError(apiErrorOf(failure));
            return false;
          }
        }
      }
      return true;
    });
    queue.current = run.catch(() => false);
    return run;
  }, [slug, track]);

  const save = useCallback(async (): Promise<void> => {
    const asked = textRef.current;
    setSaving(true);
    setError(null);
    try {
      const answer = await editorApi.save(slug, asked, base.hash);
      setBase({ text: asked, hash: answer.hash });
      setSaved({ hash: answer.hash, savedBy: answer.saved_by, savedAt: answer.saved_at });
      setFileChanged(null);
    } catch (failure) {
      if (failure instanceof ApiRequestError && failure.code === 'FILE_CHANGED') {
        const { current_text: currentText, current_hash: currentHash } = failure.details;
        if (typeof currentText === 'string' && typeof currentHash === 'string') {
          setFileChanged({ currentText, currentHash, message: apiErrorOf(failure).message, reason: 'save' });
          return;
        }
      }
      setError(apiErrorOf(failure));
    } finally {
      setSaving(false);
    }
  }, [slug, base.hash]);

  const reloadNow = useCallback(async (): Promise<void> => {
    try {
      const fresh = await track(editorApi.open(slug));
      window.clearTimeout(analyzeTimer.current);
      try { window.sessionStorage.removeItem(storageKey(slug)); } catch { /* storage disabled */ }
      textRef.current = fresh.text;
      setBase({ text: fresh.text, hash: fresh.hash });
      setText(fresh.text);
      setAnalysis(fresh.analysis);
      setFileChanged(null);
      setSaved(null);
      setError(null);
      onReloaded(fresh);
    } catch (failure) {
      setError(apiErrorOf(failure));
    }
  }, [slug, track, onReloaded]);

  const reload = useCallback((): Promise<void> => {
    // The person discards the working text: operations queued or on their way are dropped (their
    // answers are not applied, nor sent again on the reloaded text); the reload runs after them.
    generation.current += 1;
    const run = queue.current.then(reloadNow);
    queue.current = run.catch(() => undefined);
    return run;
  }, [reloadNow]);

  const rebase = useCallback((): void => {
    if (!fileChanged) return;
    setBase({ text: fileChanged.currentText, hash: fileChanged.currentHash });
    setFileChanged(null);
  }, [fileChanged]);

  const dismissError = useCallback(() => setError(null), []);

  return {
    doc, base, text, analysis, busy: pending > 0, error, restored: restoredText !== null, fileChanged, saved, saving,
    dirty: text !== base.text, apply, editText, save, reload, rebase, dismissError,
  };
}
