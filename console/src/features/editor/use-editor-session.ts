/**
 * The editor's working state for one runbook file: the text as loaded (the base of the diff and of
 * the save's `base_hash`), the working text and its analysis. Operations go to `apply` one at a time,
 * each on the latest working text; YAML typing is analysed after a pause, and an answer for a text
 * that has changed since is dropped. The working text survives a re-mount of the page
 * (sessionStorage, while the file on disk is still the one it was based on).
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

function restore(doc: EditorDocument): string | null {
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(storageKey(doc.slug)) ?? 'null') as { base_hash?: string; text?: string } | null;
    return stored?.base_hash === doc.hash && typeof stored.text === 'string' && stored.text !== doc.text ? stored.text : null;
  } catch {
    return null;
  }
}

function remember(slug: string, base: Base, text: string): void {
  try {
    if (text === base.text) window.sessionStorage.removeItem(storageKey(slug));
    else window.sessionStorage.setItem(storageKey(slug), JSON.stringify({ base_hash: base.hash, text }));
  } catch {
    // storage full or disabled: the working text stays in memory only
  }
}

export function useEditorSession(doc: EditorDocument, onReloaded: (doc: EditorDocument) => void): EditorSession {
  const [restoredText] = useState(() => restore(doc));
  const [base, setBase] = useState<Base>({ text: doc.text, hash: doc.hash });
  const [text, setText] = useState(restoredText ?? doc.text);
  const [analysis, setAnalysis] = useState<EditorAnalysis>(doc.analysis);
  const [pending, setPending] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const [fileChanged, setFileChanged] = useState<FileChanged | null>(null);
  const [saved, setSaved] = useState<SaveResult | null>(null);
  const [saving, setSaving] = useState(false);
  const textRef = useRef(text);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
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
    const run = queue.current.then(async (): Promise<boolean> => {
      for (const operation of operations) {
        try {
          const answer = await track(editorApi.apply(slug, textRef.current, operation));
          window.clearTimeout(analyzeTimer.current);
          textRef.current = answer.text;
          setText(answer.text);
          setAnalysis(answer.analysis);
          setSaved(null);
          setError(null);
        } catch (failure) {
          setError(apiErrorOf(failure));
          return false;
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
          setFileChanged({ currentText, currentHash, message: apiErrorOf(failure).message });
          return;
        }
      }
      setError(apiErrorOf(failure));
    } finally {
      setSaving(false);
    }
  }, [slug, base.hash]);

  const reload = useCallback(async (): Promise<void> => {
    try {
      const fresh = await track(editorApi.open(slug));
      window.clearTimeout(analyzeTimer.current);
      window.sessionStorage.removeItem(storageKey(slug));
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
