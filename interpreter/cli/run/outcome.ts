/** How a CLI run ends, on either runtime: the output on stdout, or why not, and the exit code. */
import { RunCancelledError, RunFailedError } from '../../runtime/runtime-errors.ts';
import { EXIT_FAILED, EXIT_OK, writeError } from '../cli-support.ts';
import type { ScriptedAnswers } from './scripted-answers.ts';
import type { Unanswerable } from './wait-responder.ts';

export interface OutcomeOptions {
  readonly scripted: ScriptedAnswers;
  /** Called once the run has settled, before anything is printed (last ladder lines, redraw). */
  readonly settle: () => void | Promise<void>;
  /** Why the CLI stopped the run, if it did. */
  readonly stuck: () => Unanswerable | undefined;
}

/**
 * Waits for `result` and reports it: exit 0 with the output as JSON on stdout; exit 1 naming
 * the failed step, or the wait nobody could answer. Other errors propagate.
 */
export async function reportOutcome(result: Promise<unknown>, options: OutcomeOptions): Promise<number> {
  let output: unknown;
  try {
    output = await result;
  } catch (error) {
    await options.settle();
    const stuck = options.stuck();
    if (stuck && (error instanceof RunCancelledError || !(error instanceof RunFailedError))) {
      writeError(stuck.message);
      return EXIT_FAILED;
    }
    if (error instanceof RunFailedError) {
      process.stderr.write(`${error.message}\n`);
      // A handler's bug: where it was thrown, for whoever asked to debug.
      if (process.env.RUNBOOK_DEBUG && error.failure.stack) process.stderr.write(`${error.failure.stack}\n`);
      return EXIT_FAILED;
    }
    throw error;
  }
  await options.settle();
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  const unused = options.scripted.unused();
  if (unused.length > 0) process.stderr.write(`note: not used: ${unused.join(' ')}\n`);
  return EXIT_OK;
}
