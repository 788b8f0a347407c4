/** `runbook run` in this process: a LocalRuntime, observed through its events. */
import { LocalRuntime } from '../../runtime/local/index.ts';
import { StartRejectedError, startRejectedExit } from '../../runtime/runtime-errors.ts';
import { EXIT_USAGE, writeError } from '../cli-support.ts';
import type { RunDefinitions } from './load-definitions.ts';
import { feedFromLocalRuntime, localRuns } from './local-feed.ts';
import { reportOutcome } from './outcome.ts';
import type { Prompter } from './prompts.ts';
import { RunObserver } from './run-observer.ts';
import type { ScriptedAnswers } from './scripted-answers.ts';
import type { Unanswerable } from './wait-responder.ts';
import { reportStep, SUPERVISED_ENV } from './supervise-local.ts';
import type { LocalRunHandle } from '../../runtime/local/index.ts';
import type { DocumentStoreSource } from '../../documents/index.ts';

export interface RunRequest {
  readonly loaded: RunDefinitions;
  readonly input: unknown;
  readonly runId: string;
  readonly scripted: ScriptedAnswers;
  readonly prompter: Prompter | undefined;
  /** The `runbook worker` options that serve the same runbooks (for the resume hint after Ctrl-C). */
  readonly workerOptions?: readonly string[];
  /** Where commit and previous steps go (the project's store); default in memory. */
  readonly documents?: DocumentStoreSource;
  /** Who runs it and answers its reviews and agents' questions (`--actor`, RUNBOOK_ACTOR): the run's startedBy and each user action's actor. */
  readonly actor?: string;
}

export async function runLocally(request: RunRequest): Promise<number> {
  const { loaded, runId } = request;
  const runtime = new LocalRuntime({ definitions: loaded.definitions, handlers: loaded.handlers, ...(loaded.agents ? { agents: loaded.agents } : {}), ...(request.documents ? { documents: request.documents } : {}) });
  let stuck: Unanswerable | undefined;
  const observer = new RunObserver({
    runs: localRuns(runtime),
    rootRunId: runId,
    scripted: request.scripted,
    prompter: request.prompter,
    ...(request.actor !== undefined ? { actor: request.actor } : {}),
    out: process.stderr,
    live: Boolean(process.stderr.isTTY),
    onStuck: (error) => {
      stuck ??= error;
      // Stop every run (children included): no timer or wait may keep the process alive.
      for (const handle of runtime.list()) void handle.cancel();
    },
  });
  feedFromLocalRuntime(runtime, observer);

  let handle;
  try {
    handle = runtime.start(loaded.slug, request.input, { runId, ...(request.actor !== undefined ? { startedBy: request.actor } : {}) });
  } catch (error) {
    if (error instanceof StartRejectedError) {
      writeError(error.message);
      return startRejectedExit(error);
    }
    throw error;
  }
  // Supervised (supervise-local.ts): report the current step as it changes; the supervisor handles the signals.
  const supervised = process.env[SUPERVISED_ENV] === '1';
  if (supervised) {
    const started = handle;
    reportStep(currentStep(started));
    runtime.onEvent((event) => {
      if (event.runId === runId) reportStep(currentStep(started));
    });
  }
  // Ctrl-C: say what is lost (an in-process run does not outlive its process), then exit 130.
  const onInterrupt = (signal: NodeJS.Signals): void => {
    if (supervised) return;
    observer.flush();
    writeError(`${signal}: run ${runId} was in-process and ends here; what its handlers already did stays done (with TEMPORAL_ADDRESS set, a run survives this)`);
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  try {
    return await reportOutcome(handle.result(), { scripted: request.scripted, settle: () => observer.flush(), stuck: () => stuck });
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    for (const other of runtime.list()) void other.cancel();
  }
}

/** The step the run is at: the one running or waiting, else the next pending (its `when` may be evaluating). */
function currentStep(handle: LocalRunHandle): { runId: string; step: string | null; title: string | null } {
  const steps = handle.interpreter.currentSteps();
  const current = steps.find((step) => step.status === 'running' || step.status === 'waiting') ?? steps.find((step) => step.status === 'pending');
  return { runId: handle.runId, step: current?.id ?? null, title: current?.title ?? null };
}
