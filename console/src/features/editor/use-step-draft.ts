/**
 * The selected step as the panel edits it: a draft of the step's mapping (as parsed from the working
 * text) that the form, the title field and the icon picker change at once; after a pause (300 ms)
 * the fields that differ from the text go to the server as `set` / `clear` operations. An edit from
 * elsewhere (the YAML view, a move) shows in the draft when nothing typed is waiting to be sent.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { parse } from 'yaml';
import type { EditOperation } from '../../shared/api/index.ts';
import { fieldOperations, sameValue } from './field-diff.ts';

const FLUSH_DELAY_MS = 300;

export type StepData = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is StepData => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every step mapping of a runbook text by id (an unparsable text: none). */
export function parseSteps(text: string): ReadonlyMap<string, StepData> {
  const steps = new Map<string, StepData>();
  try {
    const doc: unknown = parse(text, { uniqueKeys: false });
    const list = isRecord(doc) ? doc.steps : null;
    if (Array.isArray(list)) for (const step of list) if (isRecord(step) && typeof step.id === 'string') steps.set(step.id, step);
  } catch {
    // an invalid text: the panel says to fix it in the YAML view
  }
  return steps;
}

export interface StepDraft {
  readonly draft: StepData | null;
  readonly change: (patch: StepData) => void;
  /** Edits typed and not yet sent or answered. */
  readonly pending: boolean;
}

export function useStepDraft(text: string, stepId: string | null, apply: (operations: readonly EditOperation[]) => Promise<boolean>): StepDraft {
  const steps = useMemo(() => parseSteps(text), [text]);
  const current = stepId ? steps.get(stepId) ?? null : null;
  const [draft, setDraft] = useState<StepData | null>(current);
  const [pending, setPending] = useState(false);
  const [settled, setSettled] = useState(0);
  const draftRef = useRef(draft);
  const currentRef = useRef(current);
  currentRef.current = current;
  const dirty = useRef(false);
  const flushing = useRef(false);
  const timer = useRef<number | undefined>(undefined);

  // Another step, or the text changed with nothing typed waiting: the draft is the text's.
  useEffect(() => {
    if (dirty.current || flushing.current) return;
    if (!sameValue(draftRef.current, current)) {
      draftRef.current = current;
      setDraft(current);
    }
  }, [current, settled]);
  useEffect(() => {
    window.clearTimeout(timer.current);
    dirty.current = false;
    draftRef.current = currentRef.current;
    setDraft(currentRef.current);
    setPending(false);
  }, [stepId]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const flush = useCallback(async (): Promise<void> => {
    if (flushing.current || !stepId) return;
    const before = currentRef.current;
    const after = draftRef.current;
    dirty.current = false;
    if (!before || !after) { setPending(false); return; }
    const operations: EditOperation[] = fieldOperations(stepId, before, after);
    if (!operations.length) { setPending(false); return; }
    flushing.current = true;
    const ok = await apply(operations);
    flushing.current = false;
    if (dirty.current) {
      timer.current = window.setTimeout(() => void flush(), FLUSH_DELAY_MS);
      return;
    }
    setPending(false);
    if (!ok) {
      // Refused: the text is as it was; show what it holds.
      draftRef.current = currentRef.current;
      setDraft(currentRef.current);
    }
    // Rendered after the answer's text: the draft takes the text's values (as the server wrote them).
    setSettled((n) => n + 1);
  }, [stepId, apply]);

  const change = useCallback((patch: StepData): void => {
    const base = draftRef.current ?? {};
    const next: Record<string, unknown> = { ...base, ...patch };
    for (const [key, value] of Object.entries(patch)) if (value === undefined) delete next[key];
    draftRef.current = next;
    setDraft(next);
    dirty.current = true;
    setPending(true);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void flush(), FLUSH_DELAY_MS);
  }, [flush]);

  return { draft, change, pending };
}
