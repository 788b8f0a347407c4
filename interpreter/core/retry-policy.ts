/** The retry schedule both runtimes follow (Temporal's semantics). Sandbox-safe. */
import type { HandlerCall } from './runtime-services.ts';
import { parseDuration } from './durations.ts';
import type { StepFailure } from './step-failure.ts';

/** Delay before the next attempt after `attempt` failed, or undefined when no retry is due. */
export function nextRetryDelay(retry: HandlerCall['retry'], attempt: number, failure: StepFailure): number | undefined {
  if (failure.nonRetryable || retry.non_retryable_types.includes(failure.type)) return undefined;
  if (attempt >= retry.max_attempts) return undefined;
  const initial = parseDuration(retry.initial_interval);
  const max = parseDuration(retry.max_interval);
  return Math.min(initial * retry.backoff_coefficient ** (attempt - 1), max);
}
