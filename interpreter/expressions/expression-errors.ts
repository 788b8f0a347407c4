/**
 * The errors an evaluation raises when it hits one of its bounds or calls something that is
 * not available. Both carry a stable code; the interpreter turns them into step failures.
 * Sandbox-safe.
 */
import type { ExpressionLimitKey } from './expression-limits.ts';

/** An evaluation went over one of its limits (steps, value bytes, depth). */
export class ExpressionLimitError extends Error {
  readonly code = 'EXPRESSION_LIMIT';
  readonly limit: ExpressionLimitKey;
  /** The limit's value for this evaluation. */
  readonly max: number;
  /** What went over, e.g. `$pad would build 1000000000 characters`. */
  readonly detail: string;
  /** The expression source (set where the failing expression is known). */
  readonly expression: string | undefined;

  constructor(limit: ExpressionLimitKey, max: number, detail: string, expression?: string) {
    super(`${limit} exceeded: ${detail} (limit ${max})`);
    this.name = 'ExpressionLimitError';
    this.limit = limit;
    this.max = max;
    this.detail = detail;
    this.expression = expression;
  }

  /** The same error, naming the expression it happened in. */
  inExpression(expression: string): ExpressionLimitError {
    return this.expression === undefined ? new ExpressionLimitError(this.limit, this.max, this.detail, expression) : this;
  }
}

/** An expression called a function that is not available in runbooks (`$eval`: code compiled at run time). */
export class ExpressionRefusedError extends Error {
  readonly code = 'EXPRESSION_REFUSED';
  readonly functionName: string;
  readonly expression: string | undefined;

  constructor(functionName: string, expression?: string) {
    super(`$${functionName} is not available: runbook expressions cannot compile code at run time`);
    this.name = 'ExpressionRefusedError';
    this.functionName = functionName;
    this.expression = expression;
  }

  inExpression(expression: string): ExpressionRefusedError {
    return this.expression === undefined ? new ExpressionRefusedError(this.functionName, expression) : this;
  }
}

/** A bound the evaluation ran into: the interpreter handles both kinds alike (patch check, step failure). */
export type ExpressionGuardError = ExpressionLimitError | ExpressionRefusedError;

export function isExpressionGuardError(error: unknown): error is ExpressionGuardError {
  return error instanceof ExpressionLimitError || error instanceof ExpressionRefusedError;
}

/** Names of functions no runbook expression may call. */
export const REFUSED_FUNCTIONS: readonly string[] = ['eval'];
