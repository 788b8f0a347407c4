/**
 * Every analysis brings new objects; the list's memoised items should render again only for the
 * steps that changed. These hooks hand back the previous object where the new one is equal.
 */
import { useRef } from 'react';
import type { EditorDiagnostic, StepOutline } from '../../shared/api/index.ts';

const EMPTY: readonly EditorDiagnostic[] = [];

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((item, index) => item === b[index]);

function sameStep(a: StepOutline, b: StepOutline): boolean {
  return a.id === b.id && a.index === b.index && a.kind === b.kind && a.title === b.title && a.icon === b.icon && a.line === b.line &&
    a.end_line === b.end_line && sameList(a.reads, b.reads) && sameList(a.read_by, b.read_by) && sameList(a.gotos, b.gotos);
}

const diagnosticKey = (list: readonly EditorDiagnostic[]): string =>
  list.map((d) => `${d.severity}|${d.code}|${d.line}|${d.column}|${d.message}`).join('\n');

/** The steps, each the previous object when unchanged (null stays null: the text has no step list). */
export function useStableSteps(steps: readonly StepOutline[] | null): readonly StepOutline[] | null {
  const previous = useRef(new Map<string, StepOutline>());
  const last = useRef<readonly StepOutline[] | null>(null);
  if (steps === null) return null;
  let changed = last.current === null || last.current.length !== steps.length;
  const next = new Map<string, StepOutline>();
  const stable = steps.map((step, index) => {
    const before = previous.current.get(step.id);
    const kept = before && sameStep(before, step) ? before : step;
    if (last.current?.[index] !== kept) changed = true;
    next.set(step.id, kept);
    return kept;
  });
  previous.current = next;
  if (changed) last.current = stable;
  return last.current;
}

/** Diagnostics by step id (each list the previous one when unchanged), and those on no step. */
export function useStepDiagnostics(diagnostics: readonly EditorDiagnostic[]): { readonly byStep: (id: string) => readonly EditorDiagnostic[]; readonly unplaced: readonly EditorDiagnostic[] } {
  const cache = useRef(new Map<string, { key: string; list: readonly EditorDiagnostic[] }>());
  const grouped = new Map<string, EditorDiagnostic[]>();
  const unplaced: EditorDiagnostic[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.step) grouped.set(diagnostic.step, [...(grouped.get(diagnostic.step) ?? []), diagnostic]);
    else unplaced.push(diagnostic);
  }
  const next = new Map<string, { key: string; list: readonly EditorDiagnostic[] }>();
  for (const [id, list] of grouped) {
    const key = diagnosticKey(list);
    const before = cache.current.get(id);
    next.set(id, before && before.key === key ? before : { key, list });
  }
  cache.current = next;
  return { byStep: (id) => next.get(id)?.list ?? EMPTY, unplaced };
}
