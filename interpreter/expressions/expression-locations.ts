/**
 * Where each expression of a runbook sits in its file (`file:line:col`), computed by the
 * loader and carried with the definition, so a run can name the place of a failing
 * expression on either runtime. Sandbox-safe (plain data).
 */

export interface ExpressionLocation {
  /** The step the expression belongs to; null for the runbook's `output`. */
  readonly step: string | null;
  /** The expression source (between `{%` and `%}`). */
  readonly expr: string;
  /** `file:line:col` of the expression's first character. */
  readonly at: string;
}

/** The place of `expr` in `step` (the first, if the step holds the same source twice). */
export function locateExpression(locations: readonly ExpressionLocation[] | undefined, step: string | null, expr: string | undefined): string | undefined {
  if (!locations || expr === undefined) return undefined;
  return locations.find((location) => location.step === step && location.expr === expr)?.at;
}
