/**
 * A handlers entry for fault tests (`runbook worker --handlers test/support/fault-handlers.ts`):
 * the example handlers, with every attempt of every handler logged and the trial-balance
 * commit optionally slowed down after it has written its record, so a killed worker can die
 * between the write and the activity's completion.
 *
 * Environment: FAULT_EFFECTS_LOG (a file: one JSON line per attempt, appended) and
 * FAULT_COMMIT_DELAY_MS (wait this long after a first-attempt commit before returning).
 */
import { appendFileSync } from 'node:fs';
import type { AnyHandler } from '../../interpreter/handlers/index.ts';
import { handlers as exampleHandlers } from '../../handlers/index.ts';

/** One line of FAULT_EFFECTS_LOG. */
export interface AttemptRecord {
  readonly handler: string;
  readonly run_id: string;
  readonly step_id: string;
  readonly attempt: number;
  readonly pid: number;
  /** `started`, or `done` once the handler returned (before any delay). */
  readonly phase: 'started' | 'done';
}

function record(entry: AttemptRecord): void {
  const log = process.env.FAULT_EFFECTS_LOG;
  if (log) appendFileSync(log, `${JSON.stringify(entry)}\n`);
}

const delayMs = Number(process.env.FAULT_COMMIT_DELAY_MS ?? 0);

export const handlers: AnyHandler[] = exampleHandlers.map((handler) => ({
  ...handler,
  async run(input, context) {
    const base = { handler: handler.name, run_id: context.info.runId, step_id: context.info.stepId, attempt: context.info.attempt, pid: process.pid };
    record({ ...base, phase: 'started' });
    const result = await handler.run(input, context);
    record({ ...base, phase: 'done' });
    if (handler.name === 'ledger.commit_trial_balance' && delayMs > 0 && context.info.attempt === 1) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    return result;
  },
}));

/** The records of an effects log, in the order they were appended. */
export function readAttempts(text: string): AttemptRecord[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AttemptRecord);
}
