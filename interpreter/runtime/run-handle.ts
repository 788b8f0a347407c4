/** What a caller holds for a run, on either runtime. */
import type { PendingAction, StepView, UiState, UserAction } from '../core/index.ts';

export interface RunHandle {
  readonly runId: string;
  /** `current_pending_action` */
  currentPendingAction(): Promise<PendingAction | null>;
  /** The pending action once the run waits for one (at once if it already does); null if the run ends first. */
  waitForPendingAction(): Promise<PendingAction | null>;
  /** `current_steps` */
  currentSteps(): Promise<StepView[]>;
  /** `current_ui_state` */
  currentUiState(): Promise<UiState>;
  /** `user_action`; rejects with ActionRejectedError and changes nothing when the action is invalid. */
  userAction(action: UserAction): Promise<void>;
  /** A domain signal; rejects with ActionRejectedError for an unknown signal or an invalid payload. */
  signal(name: string, payload?: unknown): Promise<void>;
  /** The run's output; rejects with RunFailedError or RunCancelledError. */
  result(): Promise<unknown>;
  cancel(): Promise<void>;
}
