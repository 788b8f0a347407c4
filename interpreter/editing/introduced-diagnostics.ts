/**
 * The problems an edit brings in: diagnostics after it that were not there before, compared by
 * code and message with positions left out (step indexes in messages shift with a move). Pure.
 */

export interface ComparableDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
}

/** The message without the positions an edit shifts: `steps[3]`, `/steps/3`, `line 12`. */
function withoutPositions(message: string): string {
  return message.replace(/steps\[\d+\]/g, 'steps[#]').replace(/\/steps\/\d+/g, '/steps/#').replace(/\blines? \d+/g, 'line #');
}

/**
 * The errors of `after` beyond those of `before` (each one before accounts for one after).
 *
 * @example
 * introducedDiagnostics(before.diagnostics, after.diagnostics).filter((d) => d.code === 'RB_STEP_ORDER')
 */
export function introducedDiagnostics<T extends ComparableDiagnostic>(before: readonly ComparableDiagnostic[], after: readonly T[]): T[] {
  const counts = new Map<string, number>();
  const keyOf = (d: ComparableDiagnostic): string => `${d.code}\u0000${withoutPositions(d.message)}`;
  for (const d of before) if (d.severity === 'error') counts.set(keyOf(d), (counts.get(keyOf(d)) ?? 0) + 1);
  return after.filter((d) => {
    if (d.severity !== 'error') return false;
    const left = counts.get(keyOf(d)) ?? 0;
    if (left === 0) return true;
    counts.set(keyOf(d), left - 1);
    return false;
  });
}
