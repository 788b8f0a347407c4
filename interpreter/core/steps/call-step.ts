/** `call`: run a handler with its retry policy and timeout; route failures by WorkflowError type. */
import type { CallStep } from '../../format/runbook-format.ts';
import { parseDuration } from '../durations.ts';
import type { HandlerCall } from '../runtime-services.ts';
import type { StepScope } from '../step-scope.ts';
import { FAILURE, StepFailure } from '../step-failure.ts';
import { routeFailure, type StepOutcome } from '../transitions.ts';

const DEFAULT_TIMEOUT = '60s';
const DEFAULT_INITIAL_INTERVAL = '1s';

export function handlerCallOf(step: CallStep, args: unknown, iteration: number, maxResultBytes: number): HandlerCall {
  const retry = step.call.retry ?? {};
  const initial = parseDuration(retry.initial_interval ?? DEFAULT_INITIAL_INTERVAL);
  return {
    handler: step.call.handler,
    args,
    stepId: step.id,
    iteration,
    retry: {
      max_attempts: retry.max_attempts ?? 3,
      initial_interval: retry.initial_interval ?? DEFAULT_INITIAL_INTERVAL,
      backoff_coefficient: retry.backoff_coefficient ?? 2,
      max_interval: retry.max_interval ?? `${initial * 100}ms`,
      non_retryable_types: retry.non_retryable_types ?? [],
    },
    timeoutMs: parseDuration(step.call.timeout ?? DEFAULT_TIMEOUT),
    local: step.call.local ?? false,
    maxResultBytes,
  };
}

export async function executeCall(step: CallStep, scope: StepScope): Promise<StepOutcome> {
  let args: unknown;
  try {
    args = await scope.evaluate(step.call.args ?? {});
  } catch (error) {
    // An argument expression over its limit is routed like a handler failure. Only EXPRESSION_LIMIT: it is
    // new, so no recorded run routed it otherwise (an EXPRESSION_FAILED in args still fails the step).
    if (!(error instanceof StepFailure) || error.type !== FAILURE.expressionLimit) throw error;
    return routeOrThrow(step, scope, error);
  }
  try {
    scope.checkPayloadSize(`the arguments of ${step.call.handler}`, args);
    const result = await scope.services.callHandler({ ...handlerCallOf(step, args, scope.record.iteration, scope.limits.payloadBytes), onRetry: (attempt, error) => scope.recordRetry(attempt, error) });
    return { next: 'continue', result };
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    return routeOrThrow(step, scope, error);
  }
}

async function routeOrThrow(step: CallStep, scope: StepScope, error: StepFailure): Promise<StepOutcome> {
  const routed = await routeFailure(step.call.on_error, error, step.id, (value, extra) => scope.evaluate(value, extra));
  if (!routed) throw error;
  return routed;
}
