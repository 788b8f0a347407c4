/**
 * What the parts of a CLI run share about the runs it follows: the state to draw, the handle
 * to act on, the notices a feed reports. Below the observer, the ladder and the responder, so
 * none of them imports another for a type.
 */
import type { PendingAction, StepView } from '../../core/index.ts';
import type { RunHandle } from '../../runtime/run-handle.ts';

/** The latest known state of one run (root or child), for drawing. */
export interface RunView {
  readonly steps: readonly StepView[];
  readonly pending: PendingAction | null;
}

/** The runs a CLI invocation follows: their state to draw and a handle to act on each. */
export interface ObservedRuns {
  view(runId: string): RunView | undefined;
  handle(runId: string): RunHandle;
}

/** A step reached a state worth a line of the plain (non-terminal) ladder. */
export type StepNotice = { readonly runId: string; readonly stepId: string; readonly title: string } & (
  | { readonly kind: 'completed' | 'skipped' }
  | { readonly kind: 'failed'; readonly errorType?: string }
  | { readonly kind: 'waiting'; readonly action: string }
  | { readonly kind: 'retrying'; readonly attempt: number; readonly errorType: string }
);
