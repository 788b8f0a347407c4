/**
 * Answers the reviews and waits a CLI run comes to, in any run (children included):
 * scripted `--answer` / `--signal` first, then a prompt on a terminal; otherwise the run
 * stops at once with a message naming the step and the flag to use. Never hangs.
 */
import type { PendingAction, RunEvent } from '../../core/index.ts';
import { ActionRejectedError } from '../../runtime/runtime-errors.ts';
import type { LocalRuntime, LocalRunHandle } from '../../runtime/local/index.ts';
import type { Prompter } from './prompts.ts';
import type { ScriptedAnswers } from './scripted-answers.ts';

/** Why the CLI had to stop a run: no answer available, or a scripted answer was refused. */
export class Unanswerable extends Error {
  readonly code = 'RUN_UNANSWERED';
}

export interface ResponderOptions {
  readonly runtime: LocalRuntime;
  readonly rootRunId: string;
  readonly scripted: ScriptedAnswers;
  /** A terminal to ask on, or undefined when stdin is not one. */
  readonly prompter: Prompter | undefined;
  /** Before a prompt: draw the ladder so the question appears below it. */
  readonly beforePrompt?: () => void;
  /** The run cannot go on; the command stops everything and exits 1. */
  readonly onStuck: (error: Unanswerable) => void;
}

export class WaitResponder {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: ResponderOptions) {}

  /** Feeds one runtime event; a `step.waiting` is answered in turn (one question at a time). */
  onEvent(event: RunEvent): void {
    if (event.type !== 'step.waiting') return;
    this.queue = this.queue.then(() => this.respond(event.runId, event.pending)).catch((error: unknown) => {
      this.options.onStuck(error instanceof Unanswerable ? error : new Unanswerable(error instanceof Error ? error.message : String(error)));
    });
  }

  private handle(runId: string): LocalRunHandle {
    return this.options.runtime.list().find((run) => run.runId === runId)!;
  }

  /** True while `runId` still waits at the step of `pending`. */
  private stillWaiting(run: LocalRunHandle, pending: PendingAction): boolean {
    const now = run.interpreter.currentPendingAction();
    return now !== null && now.step === pending.step && now.kind === pending.kind;
  }

  private where(runId: string): string {
    return runId === this.options.rootRunId ? '' : `child run ${runId}: `;
  }

  private async respond(runId: string, pending: PendingAction): Promise<void> {
    const run = this.handle(runId);
    // A signal can match a predicate only after another arrives: keep answering while it waits.
    while (this.stillWaiting(run, pending)) {
      if (pending.kind === 'review') await this.answerReview(run, pending);
      else await this.answerSignal(run, pending);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async answerReview(run: LocalRunHandle, pending: PendingAction): Promise<void> {
    const scripted = this.options.scripted.takeAnswer(pending.step);
    if (scripted) {
      try {
        await run.userAction(scripted.action);
      } catch (error) {
        if (error instanceof ActionRejectedError) throw new Unanswerable(`${this.where(run.runId)}--answer ${scripted.text} was refused: ${error.message}`);
        throw error;
      }
      return;
    }
    const prompter = this.prompter(run, pending, `--answer ${pending.step}=${(pending.outcomes ?? ['approved']).join('|')}`);
    for (;;) {
      const action = await prompter.review(pending, this.where(run.runId));
      try {
        await run.userAction(action);
        return;
      } catch (error) {
        if (!(error instanceof ActionRejectedError)) throw error;
        prompter.say(`refused: ${error.message}`);
      }
    }
  }

  private async answerSignal(run: LocalRunHandle, pending: PendingAction): Promise<void> {
    const names = pending.signals ?? [];
    const scripted = this.options.scripted.takeSignal(names);
    if (scripted) {
      try {
        await run.signal(scripted.name, scripted.payload);
      } catch (error) {
        if (error instanceof ActionRejectedError) throw new Unanswerable(`${this.where(run.runId)}--signal ${scripted.text} was refused: ${error.message}`);
        throw error;
      }
      return;
    }
    const prompter = this.prompter(run, pending, `--signal ${names[0]}=JSON`);
    for (;;) {
      const { name, payload } = await prompter.signal(pending, this.where(run.runId));
      try {
        await run.signal(name, payload);
        return;
      } catch (error) {
        if (!(error instanceof ActionRejectedError)) throw error;
        prompter.say(`refused: ${error.message}`);
      }
    }
  }

  private prompter(run: LocalRunHandle, pending: PendingAction, flag: string): Prompter {
    const { prompter } = this.options;
    if (!prompter) {
      const what = pending.kind === 'review' ? 'a review' : `signal ${(pending.signals ?? []).join(' or ')}`;
      throw new Unanswerable(`${this.where(run.runId)}step "${pending.step}" waits for ${what} (${pending.action}) and stdin is not a terminal; pass ${flag}`);
    }
    this.options.beforePrompt?.();
    return prompter;
  }
}
