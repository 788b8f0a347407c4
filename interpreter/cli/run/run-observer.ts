/**
 * What a CLI run shows and answers, whichever runtime executes it. A feed reports what
 * happens (LocalRuntime events, or snapshots polled from Temporal) as step notices and
 * waits; the observer draws the step ladder and answers waits through the RunHandle.
 *
 *   local:    runtime.onEvent ─┐
 *                              ├─▶ RunObserver ─▶ StepLadder (stderr) + WaitResponder (RunHandle)
 *   temporal: SnapshotPoller ──┘
 */
import type { PendingAction } from '../../core/index.ts';
import type { ObservedRuns, StepNotice } from './observed-runs.ts';
import type { Prompter } from './prompts.ts';
import type { ScriptedAnswers } from './scripted-answers.ts';
import { StepLadder, type Output } from './step-ladder.ts';
import { WaitResponder, type Unanswerable } from './wait-responder.ts';

export interface ObserverOptions {
  readonly runs: ObservedRuns;
  readonly rootRunId: string;
  readonly scripted: ScriptedAnswers;
  /** A terminal to ask on, or undefined when stdin is not one. */
  readonly prompter: Prompter | undefined;
  /** Where the ladder goes (stderr) and whether it is redrawn in place (a terminal). */
  readonly out: Output;
  readonly live: boolean;
  /** A wait nobody can answer: the driver stops the run and the command exits 1. */
  readonly onStuck: (error: Unanswerable) => void;
  /** Who answers reviews and agents' questions (`--actor`, RUNBOOK_ACTOR). */
  readonly actor?: string;
}

export class RunObserver {
  private readonly ladder: StepLadder;
  private readonly responder: WaitResponder;

  constructor(options: ObserverOptions) {
    this.ladder = new StepLadder(options.runs, options.rootRunId, options.out, options.live);
    this.responder = new WaitResponder({
      runs: options.runs,
      rootRunId: options.rootRunId,
      scripted: options.scripted,
      prompter: options.prompter,
      beforePrompt: () => {
        this.ladder.flush();
        this.ladder.detach();
      },
      onStuck: options.onStuck,
      ...(options.actor !== undefined ? { actor: options.actor } : {}),
    });
  }

  /** A step changed state: one line (plain) or a redraw (terminal). */
  notice(notice: StepNotice): void {
    this.ladder.notice(notice);
  }

  /** Something changed that has no line of its own (a step started): redraw on a terminal. */
  changed(): void {
    this.ladder.changed();
  }

  /** `runId` waits for `pending`: answer it (scripted, prompt, or stuck). Repeats are ignored. */
  waiting(runId: string, pending: PendingAction): void {
    this.responder.waiting(runId, pending);
  }

  /** Draws the ladder now (terminal); call at the end. */
  flush(): void {
    this.ladder.flush();
  }
}
