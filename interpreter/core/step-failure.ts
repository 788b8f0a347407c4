/**
 * The one failure shape that crosses from a runtime into the interpreter core.
 * Sandbox-safe.
 */
import type { RunFailure } from './run-state.ts';

export class StepFailure extends Error {
  readonly type: string;
  readonly nonRetryable: boolean;
  /** The stack of the plain Error a handler threw, kept for the run failure (RunFailure.stack). */
  readonly handlerStack: string | undefined;

  constructor(message: string, type: string, nonRetryable = false, handlerStack?: string) {
    super(message);
    this.name = 'StepFailure';
    this.type = type;
    this.nonRetryable = nonRetryable;
    this.handlerStack = handlerStack || undefined;
  }

  /** The run failure at `step`: type and message, and the handler's stack when there is one. */
  toRunFailure(step: string): RunFailure {
    return { step, type: this.type, message: this.message, ...(this.handlerStack ? { stack: this.handlerStack } : {}) };
  }
}

/** Failure types the interpreter itself raises. */
export const FAILURE = {
  expression: 'EXPRESSION_FAILED',
  expressionLimit: 'EXPRESSION_LIMIT',
  timeout: 'TIMEOUT',
  rejected: 'REVIEW_REJECTED',
  goBackLimit: 'GO_BACK_LIMIT',
  forEachNotList: 'FOR_EACH_NOT_LIST',
  deadline: 'DEADLINE_EXCEEDED',
  badTime: 'TIMER_INVALID_TIME',
} as const;

/** How a failed run reads in one line, on both runtimes: `step "x" failed: TYPE: message`. */
export function describeRunFailure(failure: RunFailure): string {
  return `${failure.step ? `step "${failure.step}" failed` : 'run failed'}: ${failure.type}: ${failure.message}`;
}

/** A child run's failure as the failure of the parent's child step: it names the child run and keeps the child's type. */
export function childFailure(childRunId: string, failure: RunFailure): StepFailure {
  return new StepFailure(`child ${childRunId} failed: ${describeRunFailure(failure)}`, failure.type, true, failure.stack);
}
