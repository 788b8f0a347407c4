/**
 * Feeds a RunObserver from a run it can only query (Temporal): polls `current_ui_state` of
 * the run and of its child runs (their ids are in `steps[].children[].run_id`), turns the
 * differences between snapshots into step notices, and reports every pending action.
 */
import type { StepView, UiState } from '../../core/index.ts';
import type { RunHandle } from '../../runtime/run-handle.ts';
import type { ObservedRuns, RunView, StepNotice } from './observed-runs.ts';
import type { RunObserver } from './run-observer.ts';

export const POLL_INTERVAL_MS = 150;

const TERMINAL = new Set<UiState['status']>(['completed', 'failed', 'cancelled']);

export class SnapshotPoller implements ObservedRuns {
  private readonly states = new Map<string, UiState>();
  /** Runs seen ended: no need to ask again. */
  private readonly ended = new Set<string>();
  private observer: RunObserver | undefined;
  private loop: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly handles: { get(runId: string): RunHandle },
    private readonly rootRunId: string,
    private readonly intervalMs = POLL_INTERVAL_MS,
  ) {}

  view(runId: string): RunView | undefined {
    const state = this.states.get(runId);
    return state && { steps: state.steps, pending: state.pending_action };
  }

  handle(runId: string): RunHandle {
    return this.handles.get(runId);
  }

  /** Starts polling every intervalMs, reporting to `observer`. */
  start(observer: RunObserver): void {
    this.observer = observer;
    this.loop = (async () => {
      while (!this.stopped) {
        await this.poll();
        if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
      }
    })();
  }

  /** Stops polling after one last poll, so the ladder shows how the run ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.poll();
  }

  /** One round: fetch the snapshots, report what changed (children before their step), report waits. */
  async poll(): Promise<void> {
    const before = new Map(this.states);
    const seen = JSON.stringify([...before]);
    await this.fetch(this.rootRunId);
    const observer = this.observer;
    if (!observer) return;
    this.report(this.rootRunId, before, observer);
    for (const [runId, state] of this.states) {
      if (state.pending_action && !this.ended.has(runId)) observer.waiting(runId, state.pending_action);
    }
    if (JSON.stringify([...this.states]) !== seen) observer.changed();
  }

  private async fetch(runId: string): Promise<void> {
    if (!this.ended.has(runId)) {
      try {
        const state = await this.handles.get(runId).currentUiState();
        this.states.set(runId, state);
        if (TERMINAL.has(state.status)) this.ended.add(runId);
      } catch {
        // Not started yet (a child), or a passing server hiccup: ask again next round.
      }
    }
    const children = (this.states.get(runId)?.steps ?? []).flatMap((step) => (step.children ?? []).map((child) => child.run_id));
    await Promise.all(children.map((child) => this.fetch(child)));
  }

  private report(runId: string, before: ReadonlyMap<string, UiState>, observer: RunObserver): void {
    const now = this.states.get(runId);
    if (!now) return;
    const previous = before.get(runId);
    for (const step of now.steps) {
      for (const child of step.children ?? []) this.report(child.run_id, before, observer);
      const was = previous?.steps.find((candidate) => candidate.id === step.id)?.status ?? 'pending';
      if (was === step.status) continue;
      const notice = noticeOf(runId, step, now);
      if (notice) observer.notice(notice);
    }
  }
}

function noticeOf(runId: string, step: StepView, state: UiState): StepNotice | undefined {
  const base = { runId, stepId: step.id, title: step.title };
  switch (step.status) {
    case 'completed':
    case 'skipped':
      return { ...base, kind: step.status };
    case 'failed':
      return { ...base, kind: 'failed', ...(state.error?.step === step.id ? { errorType: state.error.type } : {}) };
    case 'waiting':
      return { ...base, kind: 'waiting', action: state.pending_action?.step === step.id ? state.pending_action.action : 'waiting' };
    default:
      return undefined;
  }
}
