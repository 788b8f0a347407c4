/**
 * Ids of interpreter changes that a recorded Temporal history would replay differently
 * (`patched()` on Temporal, always on in-process). Never rename one: histories carry it.
 * Sandbox-safe.
 */
export const PATCH = {
  /** Oversized handler arguments and results, child inputs, run inputs and run states fail where they enter. */
  sizeLimits: 'yaml-runbook/size-limits-1',
  /** A go-back discards the payloads that arrived before it, for the waits it returns to. */
  signalDelivery: 'yaml-runbook/signal-delivery-1',
  /** Expression evaluation is bounded (steps, bytes built, depth) and `$eval` refused: EXPRESSION_LIMIT / EXPRESSION_FAILED. */
  expressionLimits: 'yaml-runbook/expression-limits-1',
} as const;
