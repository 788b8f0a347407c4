/** Feeds a RunObserver from a LocalRuntime: its step events, and views read from the interpreters. */
import type { RunEvent } from '../../core/index.ts';
import type { LocalRuntime } from '../../runtime/local/index.ts';
import type { RunHandle } from '../../runtime/run-handle.ts';
import type { ObservedRuns, RunView, StepNotice } from './observed-runs.ts';
import type { RunObserver } from './run-observer.ts';

/** The runs of a LocalRuntime, read synchronously (children included). */
export function localRuns(runtime: LocalRuntime): ObservedRuns {
  return {
    view(runId: string): RunView | undefined {
      const run = runtime.list().find((candidate) => candidate.runId === runId);
      return run && { steps: run.interpreter.currentSteps(), pending: run.interpreter.currentPendingAction() };
    },
    handle(runId: string): RunHandle {
      return runtime.get(runId);
    },
  };
}

function titleOf(runtime: LocalRuntime, runId: string, stepId: string): string {
  const run = runtime.list().find((candidate) => candidate.runId === runId);
  return run?.interpreter.definition.steps.find((step) => step.id === stepId)?.title ?? stepId;
}

function noticeOf(runtime: LocalRuntime, event: RunEvent): StepNotice | undefined {
  if (!('stepId' in event)) return undefined;
  const base = { runId: event.runId, stepId: event.stepId, title: titleOf(runtime, event.runId, event.stepId) };
  switch (event.type) {
    case 'step.completed':
    case 'step.skipped':
      return { ...base, kind: event.type === 'step.completed' ? 'completed' : 'skipped' };
    case 'step.failed':
      return { ...base, kind: 'failed', errorType: event.error.type };
    case 'step.waiting':
      return { ...base, kind: 'waiting', action: event.pending.action };
    case 'step.retrying':
      return { ...base, kind: 'retrying', attempt: event.attempt, errorType: event.error.type };
    default:
      return undefined;
  }
}

/** Subscribes `observer` to the runtime's events; returns the unsubscribe function. */
export function feedFromLocalRuntime(runtime: LocalRuntime, observer: RunObserver): () => void {
  return runtime.onEvent((event) => {
    const notice = noticeOf(runtime, event);
    if (notice) observer.notice(notice);
    else observer.changed();
    if (event.type === 'step.waiting') observer.waiting(event.runId, event.pending);
  });
}
