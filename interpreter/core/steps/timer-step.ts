/** `timer`: sleep for a duration or until a time, on the runtime's clock. */
import type { TimerStep } from '../../format/runbook-format.ts';
import { parseDuration } from '../durations.ts';
import type { StepScope } from '../step-scope.ts';
import { FAILURE, StepFailure } from '../step-failure.ts';
import type { StepOutcome } from '../transitions.ts';

export async function executeTimer(step: TimerStep, scope: StepScope): Promise<StepOutcome> {
  const spec = step.timer;
  if ('duration' in spec) {
    await scope.services.sleep(parseDuration(spec.duration));
    return { next: 'continue', result: null };
  }
  const value = await scope.evaluate(spec.until);
  const at = typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : Number.NaN;
  if (Number.isNaN(at)) {
    throw new StepFailure(`step "${step.id}": timer.until evaluated to ${JSON.stringify(value)}, not a time`, FAILURE.badTime, true);
  }
  const wait = at - scope.services.now();
  if (wait > 0) await scope.services.sleep(wait);
  return { next: 'continue', result: null };
}
