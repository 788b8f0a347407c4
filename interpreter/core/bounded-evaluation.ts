/**
 * Expression evaluation as a run does it: within the runbook's expression limits, a breach
 * failing the step with EXPRESSION_LIMIT (or EXPRESSION_FAILED for a refused `$eval`) that
 * names the limit, the step and the expression's `file:line:col`. Sandbox-safe.
 */
import { evaluateTemplate, type ExpressionContext } from '../expressions/template.ts';
import { ExpressionLimitError, isExpressionGuardError, type ExpressionGuardError } from '../expressions/expression-errors.ts';
import type { ExpressionLimits } from '../expressions/expression-limits.ts';
import { locateExpression, type ExpressionLocation } from '../expressions/expression-locations.ts';
import { PATCH } from './patches.ts';
import { FAILURE, StepFailure } from './step-failure.ts';

export interface EvaluationBounds {
  readonly limits: ExpressionLimits;
  /** Where the runbook's expressions are (from the loader); absent for a definition built in code. */
  readonly locations: readonly ExpressionLocation[] | undefined;
  /** RuntimeServices.patched: false when replaying a history recorded before evaluation was bounded. */
  patched(id: string): boolean;
}

/**
 * Evaluates a template value of `step` (null: the runbook's output) within `bounds`.
 * Throws a StepFailure on a breach; any other evaluation error propagates as it is.
 */
export async function evaluateBounded(value: unknown, context: ExpressionContext, step: string | null, bounds: EvaluationBounds): Promise<unknown> {
  try {
    return await evaluateTemplate(value, context, bounds.limits);
  } catch (error) {
    if (!isExpressionGuardError(error)) throw error;
    // Asked only on a breach, so runs that never breach record no marker. A history recorded before the
    // bounds evaluated this expression unbounded: replay it the same way.
    if (!bounds.patched(PATCH.expressionLimits)) return evaluateTemplate(value, context, null);
    throw guardFailure(error, step, bounds.locations);
  }
}

function guardFailure(error: ExpressionGuardError, step: string | null, locations: readonly ExpressionLocation[] | undefined): StepFailure {
  const where = step === null ? 'output' : `step "${step}"`;
  const at = locateExpression(locations, step, error.expression);
  const place = at ? `the expression at ${at}` : `the expression {% ${abbreviate(error.expression ?? '')} %}`;
  if (error instanceof ExpressionLimitError) {
    const message = `${where}: ${place} went over ${error.limit}: ${error.detail} (limit ${error.max}; raise limits.${error.limit} in the runbook, or simplify the expression)`;
    return new StepFailure(message, FAILURE.expressionLimit, true);
  }
  return new StepFailure(`${where}: ${place}: ${error.message}`, FAILURE.expression, true);
}

function abbreviate(source: string): string {
  const flat = source.trim().replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
