/** What `commit` and `previous` share: key values checked, and the store called as an activity with one retry policy. Sandbox-safe. */
import { DOCUMENT_FAILURE, type KeyValue } from '../document-types.ts';
import type { HandlerCall } from '../runtime-services.ts';
import type { StepScope } from '../step-scope.ts';
import { StepFailure } from '../step-failure.ts';

/** The store is a database, not a person: a few quick retries ride out a restart or a lock, then the step fails. */
const STORE_RETRY: HandlerCall['retry'] = { max_attempts: 5, initial_interval: '1s', backoff_coefficient: 2, max_interval: '30s', non_retryable_types: [] };
const STORE_TIMEOUT_MS = 30_000;

/** An evaluated key mapping, each value a string, finite number or boolean; anything else fails the step with DOCUMENT_KEY_INVALID. */
export function checkedKey(scope: StepScope, what: string, evaluated: unknown): Record<string, KeyValue> {
  const key: Record<string, KeyValue> = {};
  for (const [field, value] of Object.entries(evaluated as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) key[field] = value;
    else throw new StepFailure(`step "${scope.step.id}": ${what} field "${field}" is ${describe(value)}: a key value is a string, number or boolean`, DOCUMENT_FAILURE.keyInvalid, true);
  }
  return key;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing (the expression gave nothing)';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Calls a document activity (on Temporal a recorded activity: replay sees the same answer). */
export function callStore(scope: StepScope, activity: string, args: unknown): Promise<unknown> {
  return scope.services.callHandler({
    handler: activity,
    args,
    stepId: scope.step.id,
    iteration: scope.record.iteration,
    retry: STORE_RETRY,
    timeoutMs: STORE_TIMEOUT_MS,
    local: false,
    maxResultBytes: scope.limits.payloadBytes,
    onRetry: (attempt, error) => scope.recordRetry(attempt, error),
  });
}
