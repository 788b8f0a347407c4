/**
 * A scheduled run's input: the schedule's `input` template, evaluated once when the run starts, with
 * the fire time as `$schedule.fired_at` and `$now()`, then checked against the runbook's input schema.
 * A Temporal Schedule starts every run with the same arguments, so it carries the template, not the input.
 * Sandbox-safe.
 */
import type { Runbook } from '../format/runbook-format.ts';
import { evaluateTemplate } from '../expressions/template.ts';
import { resolveExpressionLimits } from '../expressions/expression-limits.ts';
import { rejectInput } from './action-rules.ts';

/** What a schedule's start carries (the workflow input's `schedule`). */
export interface ScheduledStart {
  /** The schedule's id in the runbook (`schedules[].id`). */
  readonly id: string;
  /** The input template, as written in the runbook when the schedule was synced. Default `{}`. */
  readonly input?: unknown;
}

export const SCHEDULE_ERROR = {
  /** The template failed to evaluate (an expression error or limit). */
  failed: 'SCHEDULE_INPUT_FAILED',
  /** The evaluated input does not satisfy the runbook's input schema. */
  invalid: 'SCHEDULE_INPUT_INVALID',
} as const;

export type ScheduledInput =
  | { readonly ok: true; readonly input: unknown }
  | { readonly ok: false; readonly code: (typeof SCHEDULE_ERROR)[keyof typeof SCHEDULE_ERROR]; readonly message: string };

/**
 * Evaluates the template at `firedAt` (epoch ms) for `runId` and validates the result.
 *
 * @example
 * await scheduledInput(runbook, { id: 'monthly', input: { period: "{% $substring($schedule.fired_at, 0, 7) %}" } }, Date.parse('2025-02-01T06:00:00Z'), 'run-1');
 * // { ok: true, input: { period: '2025-02' } }
 */
export async function scheduledInput(runbook: Runbook, start: ScheduledStart, firedAt: number, runId: string): Promise<ScheduledInput> {
  const where = `schedule "${start.id}" of ${runbook.slug}`;
  let input: unknown;
  try {
    input = await evaluateTemplate(start.input ?? {}, {
      input: null, steps: {}, signals: {}, run: { id: runId, slug: runbook.slug },
      schedule: { id: start.id, fired_at: new Date(firedAt).toISOString() }, now: firedAt,
    }, resolveExpressionLimits(runbook.limits));
  } catch (error) {
    return { ok: false, code: SCHEDULE_ERROR.failed, message: `${where}: the input template failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const problems = rejectInput(runbook, input);
  if (problems) return { ok: false, code: SCHEDULE_ERROR.invalid, message: `${where}: the input ${JSON.stringify(input)} does not satisfy the input schema: ${problems}` };
  return { ok: true, input };
}
