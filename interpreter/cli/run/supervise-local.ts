/**
 * `runbook run` in-process, stoppable whatever the run is doing. The run executes in a child
 * process (the same command, stdio inherited, so prompts and the ladder are unchanged); this
 * process only supervises. A handler stuck in a synchronous loop blocks the child's event loop,
 * so no signal handler there could run, but this one stays free: on SIGINT / SIGTERM it names
 * the step the child last reported, kills the child and exits 130 (SIGINT) or 143 (SIGTERM) at once.
 *
 * Why a process, not a worker thread: a thread would need stdin and the terminal relayed (no
 * TTY inside a worker), and handlers would run in a different realm than in `runbook worker`.
 */
import { fork } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeError } from '../cli-support.ts';

/** Set in the supervised child: it reports steps and leaves the signals to the supervisor. */
export const SUPERVISED_ENV = 'RUNBOOK_RUN_SUPERVISED';
/** 128 + the signal's number, as shells report it: 130 for SIGINT, 143 for SIGTERM. */
const EXIT_INTERRUPTED = 130;
const EXIT_TERMINATED = 143;

/** What the child reports over IPC whenever the root run's current step may have changed. */
export interface StepReport {
  readonly type: 'runbook.run.step';
  readonly runId: string;
  /** The step running, waiting or about to be evaluated; null before the first and after the last. */
  readonly step: string | null;
  readonly title: string | null;
}

/** The CLI's own entry, which the child runs; supervision only applies when this process was started by it. */
const BIN = fileURLToPath(new URL('../../../bin/runbook.js', import.meta.url));

/** True when this `runbook run` should supervise a child (not already one, and started from the CLI's bin). */
export function canSupervise(): boolean {
  if (process.env[SUPERVISED_ENV] === '1' || !process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(BIN);
  } catch {
    return false;
  }
}

/** Runs `runbook run ARGV` in a supervised child; resolves with the exit status to use. */
export function superviseLocalRun(argv: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = fork(BIN, ['run', ...argv], {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, [SUPERVISED_ENV]: '1' },
      execArgv: process.execArgv,
    });
    let last: StepReport | undefined;
    let done = false;
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(code);
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      child.kill('SIGKILL');
      writeError(interruptedMessage(signal, last));
      finish(signal === 'SIGTERM' ? EXIT_TERMINATED : EXIT_INTERRUPTED);
    };
    child.on('message', (message: unknown) => {
      if (isStepReport(message)) last = message;
    });
    child.on('error', (error) => {
      writeError(`could not start the run: ${error.message}`);
      finish(1);
    });
    child.on('exit', (code) => finish(code ?? EXIT_INTERRUPTED));
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function interruptedMessage(signal: NodeJS.Signals, last: StepReport | undefined): string {
  if (!last) return `${signal}: the run was in-process and ends here, before its first step`;
  const at = last.step ? ` at step "${last.step}"${last.title && last.title !== last.step ? ` (${last.title})` : ''}` : '';
  return `${signal}: run ${last.runId} was in-process and ends here, interrupted${at}; what its handlers already did stays done (with TEMPORAL_ADDRESS set, a run survives this)`;
}

function isStepReport(value: unknown): value is StepReport {
  return value !== null && typeof value === 'object' && (value as StepReport).type === 'runbook.run.step' && typeof (value as StepReport).runId === 'string';
}

/** In the supervised child: send a step report (synchronously queued, so it is out before a blocking handler starts). */
export function reportStep(report: Omit<StepReport, 'type'>): void {
  if (process.env[SUPERVISED_ENV] !== '1' || !process.send) return;
  process.send({ type: 'runbook.run.step', ...report });
}
