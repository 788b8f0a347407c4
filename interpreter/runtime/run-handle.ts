/** What a caller holds for a run, on either runtime. */
import type { PendingAction, StepView, UiState, UserAction } from '../core/index.ts';

export interface WaitForPendingOptions {
  /**
   * A state version the caller has seen (`UiState.version`): only a pending action of a newer
   * state counts, so the wait the caller already knows about is not returned again.
   */
  readonly after?: number;
}

export interface RunHandle {
  readonly runId: string;
  /** `current_pending_action` */
  currentPendingAction(): Promise<PendingAction | null>;
  /**
   * The pending action once the run waits for one (at once if it already does); null if the run ends
   * first. Never a wait that an accepted signal or action has already answered.
   *
   * @example
   * await run.signal('tb_submitted', { period: '2026-01' });
   * const next = await run.waitForPendingAction(); // the review after the upload, not the upload
   */
  waitForPendingAction(options?: WaitForPendingOptions): Promise<PendingAction | null>;
  /**
   * `current_ui_state` once its `version` is greater than `since` (at once if it already is); the final
   * state when the run has ended. Watch a run with `state = await run.waitForChange(state.version)`.
   */
  waitForChange(since: number): Promise<UiState>;
  /** `current_steps` */
  currentSteps(): Promise<StepView[]>;
  /** `current_ui_state` */
  currentUiState(): Promise<UiState>;
  /**
   * `user_action`; resolves once the run has taken the action in (the review step resumed). Rejects
   * with ActionRejectedError and changes nothing when the action is invalid.
   */
  userAction(action: UserAction): Promise<void>;
  /**
   * A domain signal; resolves once the run has taken it in (a waiting step has matched it or waits
   * on). Rejects with ActionRejectedError for an unknown signal or an invalid payload.
   */
  signal(name: string, payload?: unknown): Promise<void>;
  /** The run's output; rejects with RunFailedError or RunCancelledError. */
  result(): Promise<unknown>;
  cancel(): Promise<void>;
}

const ENDED = new Set<UiState['status']>(['completed', 'failed', 'cancelled']);

/** True when the run can change no more. */
export function hasEnded(state: UiState): boolean {
  return ENDED.has(state.status);
}

/** `waitForPendingAction` from `waitForChange`: the same rule on both runtimes. */
export async function nextPendingAction(
  waitForChange: (since: number) => Promise<UiState>,
  options: WaitForPendingOptions = {},
): Promise<PendingAction | null> {
  let since = options.after ?? -1;
  for (;;) {
    const state = await waitForChange(since);
    if (state.pending_action && state.version > since) return state.pending_action;
    if (hasEnded(state)) return null;
    since = state.version;
  }
}
