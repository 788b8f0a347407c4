/**
 * A run waiting on a person, as the console's inbox lists it: derived from `current_ui_state`
 * in-process, and carried in search attributes on Temporal (one visibility query lists them all).
 * Sandbox-safe: plain data and pure functions.
 */
import type { ParentRef, UiState } from './run-state.ts';

export interface InboxEntry {
  readonly run_id: string;
  readonly runbook: string;
  /** The runbook's title. */
  readonly title: string;
  readonly step: string;
  readonly step_title: string;
  /** The pending action's name (`review`, `awaiting_tb_upload`, ...). */
  readonly action: string;
  /** `display_hint.type` when the hint has one. */
  readonly hint_type: string | null;
  readonly kind: 'review' | 'signal' | 'agent';
  readonly reason: string | null;
  readonly waiting_since: string | null;
  readonly deadline: string | null;
  /** The input fields that identify the run (the runbook's `identity`). */
  readonly identity: Readonly<Record<string, unknown>>;
  readonly parent: ParentRef | null;
  readonly started_by: string | null;
}

/** The display hint's `type`, when it is an object with a string `type`. */
export function hintTypeOf(displayHint: unknown): string | null {
  if (displayHint === null || typeof displayHint !== 'object' || Array.isArray(displayHint)) return null;
  const type = (displayHint as Record<string, unknown>).type;
  return typeof type === 'string' ? type : null;
}

/** The inbox entry of a run, or null when it waits on nobody. */
export function inboxEntryOf(state: UiState): InboxEntry | null {
  const pending = state.pending_action;
  if (!pending || state.status !== 'waiting') return null;
  return {
    run_id: state.run_id,
    runbook: state.runbook,
    title: state.title,
    step: pending.step,
    step_title: pending.step_title ?? pending.step,
    action: pending.action,
    hint_type: hintTypeOf(pending.display_hint),
    kind: pending.kind,
    reason: pending.reason,
    waiting_since: pending.since ?? null,
    deadline: pending.deadline ?? null,
    identity: state.identity ?? {},
    parent: state.parent ?? null,
    started_by: state.started_by ?? null,
  };
}
