/**
 * Answers the reviews and waits a CLI run comes to, in any run (children included), through
 * the runtime-agnostic RunHandle: scripted `--answer` / `--signal` first, then a prompt on a
 * terminal; otherwise the run stops at once with a message naming the step and the flag to
 * use. Never hangs.
 */
import type { PendingAction, UserAction } from '../../core/index.ts';
import type { RunHandle } from '../../runtime/run-handle.ts';
import { ActionRejectedError } from '../../runtime/runtime-errors.ts';
import type { Prompter } from './prompts.ts';
import type { ObservedRuns } from './observed-runs.ts';
import type { ScriptedAnswers } from './scripted-answers.ts';

/** Why the CLI had to stop a run: no answer available, or a scripted answer was refused. */
export class Unanswerable extends Error {
  readonly code = 'RUN_UNANSWERED';
}

export interface ResponderOptions {
  readonly runs: Pick<ObservedRuns, 'handle'>;
  readonly rootRunId: string;
  readonly scripted: ScriptedAnswers;
  /** A terminal to ask on, or undefined when stdin is not one. */
  readonly prompter: Prompter | undefined;
  /** Before a prompt: draw the ladder so the question appears below it. */
  readonly beforePrompt?: () => void;
  /** The run cannot go on; the command stops everything and exits 1. */
  readonly onStuck: (error: Unanswerable) => void;
  /** Who answers (`runbook run --actor`, RUNBOOK_ACTOR): recorded in every user action this sends. */
  readonly actor?: string;
}

export class WaitResponder {
  private queue: Promise<void> = Promise.resolve();
  /** Waits queued or being answered (`runId step kind`): a feed may report one many times. */
  private readonly inHand = new Set<string>();
  private stuck = false;

  constructor(private readonly options: ResponderOptions) {}

  /** The action with the run's actor, unless it names one itself. */
  private signed(action: UserAction): UserAction {
    const { actor } = this.options;
    return actor === undefined || action.actor !== undefined ? action : { ...action, actor };
  }

  /** `runId` waits for `pending`: answered in turn (one question at a time). */
  waiting(runId: string, pending: PendingAction): void {
    const key = `${runId} ${pending.step} ${pending.kind}`;
    if (this.stuck || this.inHand.has(key)) return;
    this.inHand.add(key);
    this.queue = this.queue
      .then(() => (this.stuck ? undefined : this.respond(runId, pending)))
      .catch((error: unknown) => {
        this.stuck = true;
        this.options.onStuck(error instanceof Unanswerable ? error : new Unanswerable(error instanceof Error ? error.message : String(error)));
      })
      .finally(() => this.inHand.delete(key));
  }

  /** True while the run still waits at the step of `pending` (asked afresh: a report may be stale). */
  private async stillWaiting(run: RunHandle, pending: PendingAction): Promise<boolean> {
    const now = await run.currentPendingAction();
    return now !== null && now.step === pending.step && now.kind === pending.kind;
  }

  private where(runId: string): string {
    return runId === this.options.rootRunId ? '' : `child run ${runId}: `;
  }

  private async respond(runId: string, pending: PendingAction): Promise<void> {
    const run = this.options.runs.handle(runId);
    // A signal can match a predicate only after another arrives: keep answering while it waits.
    while (await this.stillWaiting(run, pending)) {
      if (pending.kind === 'review') await this.answerReview(run, pending);
      else if (pending.kind === 'agent') await this.answerAgent(run, pending);
      else await this.answerSignal(run, pending);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async answerReview(run: RunHandle, pending: PendingAction): Promise<void> {
    const scripted = this.options.scripted.takeAnswer(pending.step);
    if (scripted) return this.scripted(run, `--answer ${scripted.text}`, () => run.userAction(this.signed(scripted.action)));
    const prompter = this.prompter(run, pending, `--answer ${pending.step}=${(pending.outcomes ?? ['approved']).join('|')}`);
    for (;;) {
      const action = await prompter.review(pending, this.where(run.runId));
      if (await this.tried(prompter, () => run.userAction(this.signed(action)))) return;
    }
  }

  private async answerAgent(run: RunHandle, pending: PendingAction): Promise<void> {
    const scripted = this.options.scripted.takeAnswer(pending.step);
    if (scripted) return this.scripted(run, `--answer ${scripted.text}`, () => run.userAction(this.signed(scripted.action)));
    const prompter = this.prompter(run, pending, `--answer ${pending.step}=JSON`);
    for (;;) {
      const action = await prompter.agent(pending, this.where(run.runId));
      if (await this.tried(prompter, () => run.userAction(this.signed(action)))) return;
    }
  }

  private async answerSignal(run: RunHandle, pending: PendingAction): Promise<void> {
    const names = pending.signals ?? [];
    const scripted = this.options.scripted.takeSignal(names);
    if (scripted) return this.scripted(run, `--signal ${scripted.text}`, () => run.signal(scripted.name, scripted.payload));
    const prompter = this.prompter(run, pending, `--signal ${names[0]}=JSON`);
    for (;;) {
      const { name, payload } = await prompter.signal(pending, this.where(run.runId));
      if (await this.tried(prompter, () => run.signal(name, payload))) return;
    }
  }

  /** Sends a scripted answer; a refusal stops the run. */
  private async scripted(run: RunHandle, flag: string, send: () => Promise<void>): Promise<void> {
    try {
      await send();
    } catch (error) {
      if (error instanceof ActionRejectedError) throw new Unanswerable(`${this.where(run.runId)}${flag} was refused: ${error.message}`);
      throw error;
    }
  }

  /** Sends a prompted answer; a refusal is shown and asked again. */
  private async tried(prompter: Prompter, send: () => Promise<void>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      if (!(error instanceof ActionRejectedError)) throw error;
      prompter.say(`refused: ${error.message}`);
      return false;
    }
  }

  private prompter(run: RunHandle, pending: PendingAction, flag: string): Prompter {
    const { prompter } = this.options;
    if (!prompter) {
      const what = pending.kind === 'review' ? 'a review' : pending.kind === 'agent' ? `an answer to its agent's question${pending.reason ? ` ("${pending.reason}")` : ''}` : `signal ${(pending.signals ?? []).join(' or ')}`;
      throw new Unanswerable(`${this.where(run.runId)}step "${pending.step}" waits for ${what} (${pending.action}) and stdin is not a terminal; pass ${flag}`);
    }
    this.options.beforePrompt?.();
    return prompter;
  }
}
