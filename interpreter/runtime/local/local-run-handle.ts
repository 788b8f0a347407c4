/** The handle of an in-process run: queries, user_action, signals, result, cancel. */
import type { PendingAction, RunbookInterpreter, StepView, UiState, UserAction } from '../../core/index.ts';
import { ActionRejectedError, RunCancelledError, RunFailedError } from '../runtime-errors.ts';
import { hasEnded, nextPendingAction, type RunHandle, type WaitForPendingOptions } from '../run-handle.ts';
import type { LocalRunServices } from './local-services.ts';

export class LocalRunHandle implements RunHandle {
  readonly runId: string;
  private readonly outcome: Promise<unknown>;

  constructor(
    /** The run's interpreter, for synchronous reads by tools (the CLI ladder, tests). */
    readonly interpreter: RunbookInterpreter,
    private readonly services: LocalRunServices,
  ) {
    this.runId = interpreter.runId;
    this.outcome = interpreter.run().then(
      (outcome) => {
        if (outcome.status === 'failed') throw new RunFailedError(outcome.error);
        return outcome.output;
      },
      (error: unknown) => {
        if (error instanceof RunCancelledError) interpreter.markCancelled();
        throw error;
      },
    );
    // The caller may never ask for the result; a failed run must not crash the process.
    this.outcome.catch(() => undefined);
  }

  async currentPendingAction(): Promise<PendingAction | null> {
    return this.interpreter.currentPendingAction();
  }

  waitForPendingAction(options?: WaitForPendingOptions): Promise<PendingAction | null> {
    return nextPendingAction((since) => this.waitForChange(since), options);
  }

  async waitForChange(since: number): Promise<UiState> {
    await this.until(() => {
      const state = this.interpreter.currentUiState();
      return hasEnded(state) || (this.interpreter.settled && state.version > since);
    });
    return this.interpreter.currentUiState();
  }

  /** Resolves once `condition` holds, re-checked after every change of the run's state. */
  private until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (!condition()) return;
        off();
        resolve();
      };
      const off = this.interpreter.watch(check);
      // A cancelled run is marked so once its cancellation has propagated.
      this.outcome.then(check, check);
    });
  }

  async currentSteps(): Promise<StepView[]> {
    return this.interpreter.currentSteps();
  }

  async currentUiState(): Promise<UiState> {
    return this.interpreter.currentUiState();
  }

  async userAction(sent: UserAction): Promise<void> {
    // Copied as Temporal serializes it: the caller changing its object afterwards must not change the run.
    const action = copyOf(sent);
    const rejection = this.interpreter.validateUserAction(action);
    if (rejection) throw new ActionRejectedError(rejection);
    this.interpreter.applyUserAction(action);
    await this.until(() => this.interpreter.settled);
  }

  async signal(name: string, sent: unknown = null): Promise<void> {
    const payload = copyOf(sent);
    const rejection = this.interpreter.validateSignal(name, payload);
    if (rejection) throw new ActionRejectedError(rejection);
    this.interpreter.applySignal(name, payload);
    await this.until(() => this.interpreter.settled);
  }

  result(): Promise<unknown> {
    return this.outcome;
  }

  async cancel(): Promise<void> {
    this.services.cancel();
    await this.outcome.catch(() => undefined);
  }
}

/** A JSON copy, as a Temporal payload converter makes (what JSON cannot hold becomes undefined, for the validators to refuse). */
function copyOf<T>(value: T): T {
  const text = JSON.stringify(value) as string | undefined;
  return (text === undefined ? undefined : JSON.parse(text)) as T;
}
