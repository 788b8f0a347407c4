/**
 * The bounds of one expression evaluation: evaluation steps, bytes of values built, and
 * nesting depth. Deterministic (no clock), so an expression fails the same way in-process,
 * in Temporal's workflow sandbox and on replay. Sandbox-safe.
 */

const MIB = 1024 * 1024;

/** The resolved bounds one evaluation runs with. */
export interface ExpressionLimits {
  /** Evaluation steps (every node JSONata evaluates, tail calls included). */
  readonly steps: number;
  /** Bytes of values the evaluation builds, in all: string characters, 8 per array item or object entry. */
  readonly valueBytes: number;
  /** Nesting depth of evaluation (non-tail recursion, deeply nested expressions). */
  readonly depth: number;
}

/** How each limit is spelled in a runbook's `limits:` and in messages. */
export const EXPRESSION_LIMIT_KEYS = {
  steps: 'expression_steps',
  valueBytes: 'expression_value_bytes',
  depth: 'expression_depth',
} as const satisfies Record<keyof ExpressionLimits, string>;

export type ExpressionLimitKey = (typeof EXPRESSION_LIMIT_KEYS)[keyof ExpressionLimits];

/**
 * Defaults. Steps are sized for Temporal's workflow sandbox, where JSONata runs far slower than in plain
 * Node (under 10,000 steps/s measured on a loaded 2-core machine, against ~1M in-process): a runaway must
 * fail well inside the sandbox's 5 s isolate timeout, or the workflow task fails instead of the step.
 */
export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = { steps: 10_000, valueBytes: 8 * MIB, depth: 400 };

/** Hard ceilings: a runbook may raise a limit up to here, not beyond (one evaluation at the ceiling stays inside the sandbox's timeout). */
export const EXPRESSION_LIMIT_CEILINGS: ExpressionLimits = { steps: 15_000, valueBytes: 64 * MIB, depth: 2_000 };

/** The most items a single sequence may hold (JSONata's `sequence` option, kept from before the byte limit). */
export const MAX_SEQUENCE_ITEMS = 100_000;

/** A runbook's declared expression limits (the `limits:` key), each optional. */
export interface DeclaredExpressionLimits {
  readonly expression_steps?: number;
  readonly expression_value_bytes?: number;
  readonly expression_depth?: number;
}

/** The limits a runbook runs with: its own where given, defaults otherwise, never above a ceiling. */
export function resolveExpressionLimits(declared: DeclaredExpressionLimits | undefined): ExpressionLimits {
  const pick = (key: keyof ExpressionLimits): number => {
    const value = declared?.[EXPRESSION_LIMIT_KEYS[key]];
    const chosen = typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : DEFAULT_EXPRESSION_LIMITS[key];
    return Math.min(chosen, EXPRESSION_LIMIT_CEILINGS[key]);
  };
  return { steps: pick('steps'), valueBytes: pick('valueBytes'), depth: pick('depth') };
}
