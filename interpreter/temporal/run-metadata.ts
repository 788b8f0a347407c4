/**
 * What Temporal's own tools (the Web UI, `temporal workflow describe`) show about a run: its static
 * summary (the runbook and its identifying input), its current details (markdown: the step and what it
 * waits for) and the summaries of its activities, timers and children (the step, and the fan-out item).
 * None of these is a workflow command: they cost no history events and never break replay.
 * Pure and sandbox-safe (the workflow and the clients both use it).
 */
import type { Runbook } from '../format/runbook-format.ts';
import type { PendingAction, RunFailure } from '../core/run-state.ts';
import type { RunEvent } from '../core/run-events.ts';
import { identityOf } from '../core/run-identity.ts';

/** The UI shows a summary on one line; keep it short. */
const SUMMARY_CHARS = 200;
const DETAIL_CHARS = 400;

const oneLine = (text: string, chars: number): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > chars ? `${flat.slice(0, chars - 1)}…` : flat;
};

const valueText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));

/**
 * A run's static summary: the runbook's title and its identity values, e.g. "Month-end close · acme-uk · 2025-01".
 * Without the definition (a client that only knows the slug), the slug.
 *
 * @example
 * runSummary(monthEndClose, { entity: 'acme-uk', period: '2025-01' }) // 'Month-end close · acme-uk · 2025-01'
 */
export function runSummary(definition: Runbook | undefined, slug: string, input: unknown): string {
  if (!definition) return oneLine(slug, SUMMARY_CHARS);
  const identity = Object.values(identityOf(definition, input)).map(valueText);
  return oneLine([definition.title, ...identity].join(' · '), SUMMARY_CHARS);
}

/** A fan-out child's summary: its own, then the parent's step and the item, e.g. "Document ingest · ingest_documents [2]". */
export function childSummary(definition: Runbook, input: unknown, parentStep: string, index?: number): string {
  return oneLine(`${runSummary(definition, definition.slug, input)} · ${itemLabel(parentStep, index)}`, SUMMARY_CHARS);
}

/** A step, or one item of a fan-out step: "ingest_documents [2]". */
export function itemLabel(stepId: string, index?: number): string {
  return index === undefined ? stepId : `${stepId} [${index}]`;
}

/** A step and, after a go-back, which time it runs: "review_extraction", "review_extraction (run 2)". */
export function stepLabel(stepId: string, iteration: number): string {
  return iteration > 0 ? `${stepId} (run ${iteration + 1})` : stepId;
}

type Phase =
  | { readonly kind: 'starting' }
  | { readonly kind: 'step'; readonly stepId: string; readonly iteration: number }
  | { readonly kind: 'waiting'; readonly stepId: string; readonly iteration: number; readonly pending: PendingAction }
  | { readonly kind: 'completed' }
  | { readonly kind: 'failed'; readonly error: RunFailure }
  | { readonly kind: 'cancelled' };

/**
 * Follows a run's events and says, in markdown, where it is: the header (summary), the step, and while it
 * waits the pending action, its reason and its deadline. Also names the current step for the summaries of
 * the timers it starts (steps run one at a time; a fan-out's children are named by their ChildCall).
 */
export class RunMetadata {
  private phase: Phase = { kind: 'starting' };

  constructor(
    private readonly summary: string,
    private readonly titles: ReadonlyMap<string, string>,
  ) {}

  static of(definition: Runbook, input: unknown): RunMetadata {
    return new RunMetadata(runSummary(definition, definition.slug, input), new Map(definition.steps.map((step) => [step.id, step.title])));
  }

  /** Takes in one event; returns true when the details changed. */
  observe(event: RunEvent): boolean {
    switch (event.type) {
      case 'step.started':
        this.phase = { kind: 'step', stepId: event.stepId, iteration: event.iteration };
        return true;
      case 'step.waiting':
        this.phase = { kind: 'waiting', stepId: event.stepId, iteration: this.iteration(), pending: event.pending };
        return true;
      case 'step.resumed':
        this.phase = { kind: 'step', stepId: event.stepId, iteration: this.iteration() };
        return true;
      case 'run.completed':
        this.phase = { kind: 'completed' };
        return true;
      case 'run.failed':
        this.phase = { kind: 'failed', error: event.error };
        return true;
      default:
        return false;
    }
  }

  cancelled(): void {
    this.phase = { kind: 'cancelled' };
  }

  /** The step running now, if any. */
  currentStep(): string | null {
    return this.phase.kind === 'step' || this.phase.kind === 'waiting' ? this.phase.stepId : null;
  }

  /** A timer's summary: the step's own timer, or its deadline while it waits. */
  timerSummary(deadline: boolean): string | undefined {
    const step = this.currentStep();
    if (step === null) return undefined;
    const label = stepLabel(step, this.iteration());
    return deadline ? `${label} deadline` : label;
  }

  /** The current details, markdown. */
  details(): string {
    const lines = [`**${this.summary}**`, ''];
    const phase = this.phase;
    switch (phase.kind) {
      case 'starting':
        lines.push('Starting: resolving the definition');
        break;
      case 'step':
        lines.push(`Step: ${this.stepText(phase.stepId, phase.iteration)}`);
        break;
      case 'waiting': {
        const { pending } = phase;
        lines.push(`Step: ${this.stepText(phase.stepId, phase.iteration)}`, '');
        lines.push(`Waiting for: **${oneLine(pending.action, DETAIL_CHARS)}** (${pending.kind === 'review' ? `a review: ${(pending.outcomes ?? []).join(', ')}` : `signal ${(pending.signals ?? []).join(', ')}`})`);
        if (pending.reason) lines.push(`Reason: ${oneLine(pending.reason, DETAIL_CHARS)}`);
        if (pending.since) lines.push(`Since: ${pending.since}`);
        lines.push(`Deadline: ${pending.deadline ?? 'none'}`);
        break;
      }
      case 'completed':
        lines.push('Completed');
        break;
      case 'failed':
        lines.push(`Failed${phase.error.step ? ` at step \`${phase.error.step}\`` : ''}: ${oneLine(`${phase.error.type}: ${phase.error.message}`, DETAIL_CHARS)}`);
        break;
      case 'cancelled':
        lines.push('Cancelled');
        break;
    }
    // Markdown line breaks: two spaces before a newline inside a paragraph.
    return lines.map((line) => (line === '' ? line : `${line}  `)).join('\n').trimEnd();
  }

  private iteration(): number {
    return this.phase.kind === 'step' || this.phase.kind === 'waiting' ? this.phase.iteration : 0;
  }

  private stepText(stepId: string, iteration: number): string {
    const title = this.titles.get(stepId);
    return `${title ? `**${oneLine(title, DETAIL_CHARS)}** ` : ''}\`${stepLabel(stepId, iteration)}\``;
  }
}
