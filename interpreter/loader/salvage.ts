/**
 * A runbook that failed the schema still gets its semantic checks, so one validation
 * run reports every problem: the parts that pass the format's own zod schemas are kept,
 * each invalid step becomes an inert placeholder (its id and position kept, so order and
 * goto checks still see it), and the checks' findings about dropped parts are discarded.
 */
import { RunbookSchema, SignalSchema, StepSchema, type Runbook, type Step } from '../format/index.ts';
import type { PendingDiagnostic } from './diagnostic.ts';

export interface Salvaged {
  readonly runbook: Runbook;
  /** Keeps only what a check found in the parts that passed the schema. */
  readonly relevant: (problem: PendingDiagnostic) => boolean;
}

const shape = RunbookSchema.shape;

function placeholder(raw: unknown, index: number): Step {
  const id = raw !== null && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : `(step ${index})`;
  return { id, title: '(invalid step)', timer: { duration: '0ms' } };
}

/** Undefined when too little is valid to check anything (no list of steps). */
export function salvageRunbook(value: Record<string, unknown>): Salvaged | undefined {
  if (!Array.isArray(value.steps) || value.steps.length === 0) return undefined;
  const invalidSteps = new Set<number>();
  const steps = value.steps.map((raw: unknown, index) => {
    const parsed = StepSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    invalidSteps.add(index);
    return placeholder(raw, index);
  });
  const signals: Record<string, { description?: string; payload?: Record<string, unknown> }> = {};
  let signalsDropped = false;
  if (value.signals !== null && typeof value.signals === 'object' && !Array.isArray(value.signals)) {
    for (const [name, raw] of Object.entries(value.signals)) {
      const parsed = SignalSchema.safeParse(raw);
      if (parsed.success && /^[a-z][a-z0-9_]*$/.test(name)) signals[name] = parsed.data;
      else signalsDropped = true;
    }
  } else if (value.signals !== undefined) signalsDropped = true;
  const input = shape.input.safeParse(value.input);
  const maxGoBacks = shape.max_go_backs.safeParse(value.max_go_backs);
  const runbook: Runbook = {
    slug: typeof value.slug === 'string' ? value.slug : '(invalid)',
    title: typeof value.title === 'string' ? value.title : '(invalid)',
    steps,
    ...(Object.keys(signals).length > 0 ? { signals } : {}),
    ...(input.success && input.data !== undefined ? { input: input.data } : {}),
    ...(maxGoBacks.success && maxGoBacks.data !== undefined ? { max_go_backs: maxGoBacks.data } : {}),
    ...(value.output !== undefined ? { output: value.output } : {}),
  };
  const relevant = (problem: PendingDiagnostic): boolean => {
    const step = /^\/steps\/(\d+)(\/|$)/.exec(problem.pointer);
    if (step && invalidSteps.has(Number(step[1]))) return false;
    if (signalsDropped && problem.code === 'RB_UNKNOWN_SIGNAL') return false;
    return input.success || !problem.pointer.startsWith('/input');
  };
  return { runbook, relevant };
}
