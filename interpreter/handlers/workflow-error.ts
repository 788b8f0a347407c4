/**
 * The error a handler throws to fail its step with a type the runbook can route on.
 * Sandbox-safe: no Node built-ins.
 *
 * @example
 * throw new WorkflowError(`Period ${period} missing from extraction`, {
 *   type: 'EXTRACTION_INPUT_INVALID',
 *   nonRetryable: true,
 * });
 */
/** Marks a WorkflowError across module copies (a project's handlers may import another copy of the package, or its sources). */
const WORKFLOW_ERROR_BRAND = Symbol.for('yaml-runbook.WorkflowError');

export class WorkflowError extends Error {
  /** `instanceof WorkflowError` holds for a WorkflowError of any copy of this module. */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== WorkflowError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [WORKFLOW_ERROR_BRAND]?: unknown })[WORKFLOW_ERROR_BRAND] === true;
  }

  declare readonly [WORKFLOW_ERROR_BRAND]: true;

  /** Error type tag the runbook's `on_error` routes on, e.g. `VALIDATION`. */
  readonly type: string | undefined;
  /** When true the call is not retried, whatever the retry policy says. */
  readonly nonRetryable: boolean;

  constructor(message: string, options: { type?: string; nonRetryable?: boolean } = {}) {
    super(message);
    this.name = 'WorkflowError';
    this.type = options.type;
    this.nonRetryable = options.nonRetryable ?? false;
    Object.defineProperty(this, WORKFLOW_ERROR_BRAND, { value: true });
  }
}

/** How a failure is described everywhere after it leaves the handler (plain data). */
export interface FailureInfo {
  readonly type: string;
  readonly message: string;
  readonly nonRetryable: boolean;
  /** The step that failed, when known. */
  readonly step?: string;
}
