/**
 * The one failure shape that crosses from a runtime into the interpreter core.
 * Sandbox-safe.
 */
export class StepFailure extends Error {
  readonly type: string;
  readonly nonRetryable: boolean;

  constructor(message: string, type: string, nonRetryable = false) {
    super(message);
    this.name = 'StepFailure';
    this.type = type;
    this.nonRetryable = nonRetryable;
  }
}

/** Failure types the interpreter itself raises. */
export const FAILURE = {
  expression: 'EXPRESSION_FAILED',
  timeout: 'TIMEOUT',
  rejected: 'REVIEW_REJECTED',
  goBackLimit: 'GO_BACK_LIMIT',
  forEachNotList: 'FOR_EACH_NOT_LIST',
  deadline: 'DEADLINE_EXCEEDED',
  badTime: 'TIMER_INVALID_TIME',
} as const;
