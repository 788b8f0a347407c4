/**
 * The rules for accepting a user action or a signal. Pure functions: the same rules
 * back the in-process handle and the Temporal Update validator. Sandbox-safe.
 */
import type { Runbook } from '../format/runbook-format.ts';
import { checkAgainstSchema } from './payload-checker.ts';
import { SIZE_ERROR, jsonBytes, payloadTooLarge, sizeLimitsOf, type SizeLimits } from './size-limits.ts';
import type { PendingAction } from './run-state.ts';

/** Why an action or signal was refused: a stable code and a message. */
export interface Rejection {
  readonly code:
    | 'ACTION_INVALID'
    | 'NO_PENDING_ACTION'
    | 'NOT_A_REVIEW'
    | 'WRONG_STEP'
    | 'OUTCOME_NOT_ALLOWED'
    | 'CORRECTIONS_INVALID'
    | 'ANSWER_INVALID'
    | 'COMMENT_REQUIRED'
    | 'SEPARATION_OF_DUTIES'
    | 'SIGNAL_UNKNOWN'
    | 'SIGNAL_PAYLOAD_INVALID'
    | 'PAYLOAD_TOO_LARGE'
    | 'RUN_STATE_TOO_LARGE';
  readonly message: string;
}

const OUTCOMES = ['approved', 'rejected', 'corrected'];

export function rejectUserAction(action: unknown, pending: PendingAction | null, correctionsSchema: object | undefined): Rejection | null {
  if (action === null || typeof action !== 'object' || Array.isArray(action)) {
    return { code: 'ACTION_INVALID', message: 'a user action is an object {action, payload?, corrections?, step?}' };
  }
  const { action: outcome, step, corrections } = action as Record<string, unknown>;
  if (outcome === ANSWERED) return rejectAnswer(action as Record<string, unknown>, pending, correctionsSchema);
  if (outcome === DECLINED) return rejectDecline(action as Record<string, unknown>, pending);
  if (typeof outcome !== 'string' || !OUTCOMES.includes(outcome)) {
    return { code: 'ACTION_INVALID', message: `action must be one of ${OUTCOMES.join(', ')}; got ${JSON.stringify(outcome)}` };
  }
  if (step !== undefined && typeof step !== 'string') return { code: 'ACTION_INVALID', message: 'step must be a step id string' };
  if (!pending) return { code: 'NO_PENDING_ACTION', message: 'nothing is waiting for a user action' };
  if (pending.kind === 'agent') return { code: 'NOT_A_REVIEW', message: `step "${pending.step}" waits for an answer to its agent's question (action "answered", or "declined"), not a review` };
  if (pending.kind !== 'review') {
    return { code: 'NOT_A_REVIEW', message: `step "${pending.step}" waits for a signal (${(pending.signals ?? []).join(', ')}), not a review` };
  }
  if (step !== undefined && step !== pending.step) {
    return { code: 'WRONG_STEP', message: `the action is for step "${step}" but step "${pending.step}" is waiting` };
  }
  if (!(pending.outcomes ?? []).includes(outcome as 'approved')) {
    return { code: 'OUTCOME_NOT_ALLOWED', message: `step "${pending.step}" accepts ${(pending.outcomes ?? []).join(', ')}, not ${outcome}` };
  }
  if (outcome === 'corrected') {
    if (corrections === undefined || corrections === null) return { code: 'CORRECTIONS_INVALID', message: 'a corrected action needs corrections' };
    const problems = checkAgainstSchema(correctionsSchema, corrections);
    if (problems) return { code: 'CORRECTIONS_INVALID', message: `corrections for step "${pending.step}": ${problems}` };
  }
  return null;
}

const ANSWERED = 'answered';
const DECLINED = 'declined';

/** An answer to an agent's question: `{action: 'answered', payload: <answer>, step?, actor?}`, checked against the question's schema. */
function rejectAnswer(action: Record<string, unknown>, pending: PendingAction | null, answerSchema: object | undefined): Rejection | null {
  const { step, payload } = action;
  if (step !== undefined && typeof step !== 'string') return { code: 'ACTION_INVALID', message: 'step must be a step id string' };
  if (!pending) return { code: 'NO_PENDING_ACTION', message: 'nothing is waiting for a user action' };
  if (pending.kind !== 'agent') return { code: 'ACTION_INVALID', message: `step "${pending.step}" does not wait for an agent's question: "answered" answers an agent` };
  if (step !== undefined && step !== pending.step) return { code: 'WRONG_STEP', message: `the action is for step "${step}" but step "${pending.step}" is waiting` };
  if (payload === undefined || payload === null) return { code: 'ANSWER_INVALID', message: `an answer to step "${pending.step}"'s question needs a payload (the answer)` };
  const problems = checkAgainstSchema(answerSchema, payload);
  return problems ? { code: 'ANSWER_INVALID', message: `the answer to step "${pending.step}"'s question: ${problems}` } : null;
}

/**
 * Declining an agent's question: `{action: 'declined', step?, comment?, actor?}`. Nothing is answered, so a payload or
 * corrections are refused (an answer sent with the wrong action); `comment` says why.
 */
function rejectDecline(action: Record<string, unknown>, pending: PendingAction | null): Rejection | null {
  const { step, payload, corrections } = action;
  if (step !== undefined && typeof step !== 'string') return { code: 'ACTION_INVALID', message: 'step must be a step id string' };
  if (!pending) return { code: 'NO_PENDING_ACTION', message: 'nothing is waiting for a user action' };
  if (pending.kind !== 'agent') return { code: 'ACTION_INVALID', message: `step "${pending.step}" does not wait for an agent's question: "declined" declines an agent's question` };
  if (step !== undefined && step !== pending.step) return { code: 'WRONG_STEP', message: `the action is for step "${step}" but step "${pending.step}" is waiting` };
  if ((payload !== undefined && payload !== null) || (corrections !== undefined && corrections !== null)) {
    return { code: 'ACTION_INVALID', message: `declining step "${pending.step}"'s question sends no answer: drop the payload (say why in comment), or answer with action "answered"` };
  }
  return null;
}

export function rejectSignal(definition: Runbook, name: string, payload: unknown): Rejection | null {
  const declared = definition.signals?.[name];
  if (!declared || !Object.hasOwn(definition.signals ?? {}, name)) {
    const known = Object.keys(definition.signals ?? {});
    return { code: 'SIGNAL_UNKNOWN', message: `runbook "${definition.slug}" declares no signal "${name}"${known.length ? ` (it declares ${known.join(', ')})` : ''}` };
  }
  const problems = checkAgainstSchema(declared.payload, payload);
  return problems ? { code: 'SIGNAL_PAYLOAD_INVALID', message: `signal "${name}": ${problems}` } : null;
}

/** Checks a run input against the runbook's input schema; null when valid. */
export function rejectInput(definition: Runbook, input: unknown): string | null {
  return checkAgainstSchema(definition.input, input);
}

/**
 * A run input over the runbook's payload limit (`definition` undefined: over the ceiling any runbook
 * may set, what a client checks before it sends); null when it fits.
 */
export function rejectInputSize(definition: Runbook | undefined, input: unknown, limits: SizeLimits = sizeLimitsOf(definition)): Rejection | null {
  const bytes = jsonBytes(input);
  return bytes > limits.payloadBytes ? { code: SIZE_ERROR.payload, message: payloadTooLarge('the run input', bytes, limits.payloadBytes) } : null;
}
