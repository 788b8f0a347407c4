/** Typed step events: the inspection stream the CLI's ladder and the tests read. Sandbox-safe. */
import type { PendingAction, RunFailure } from './run-state.ts';

interface EventBase {
  readonly runId: string;
  readonly at: number;
}

export type RunEvent =
  | (EventBase & { readonly type: 'step.started'; readonly stepId: string; readonly iteration: number })
  | (EventBase & { readonly type: 'step.completed'; readonly stepId: string; readonly result: unknown })
  | (EventBase & { readonly type: 'step.failed'; readonly stepId: string; readonly error: RunFailure })
  | (EventBase & { readonly type: 'step.skipped'; readonly stepId: string })
  | (EventBase & { readonly type: 'step.waiting'; readonly stepId: string; readonly pending: PendingAction })
  | (EventBase & { readonly type: 'step.resumed'; readonly stepId: string; readonly by: string })
  | (EventBase & { readonly type: 'step.retrying'; readonly stepId: string; readonly attempt: number; readonly error: RunFailure })
  | (EventBase & { readonly type: 'run.completed'; readonly output: unknown })
  | (EventBase & { readonly type: 'run.failed'; readonly error: RunFailure });

export type RunEventListener = (event: RunEvent) => void;
