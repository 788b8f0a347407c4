/**
 * How the runbook schema is compiled: shared by the runtime compile (runbook-schema.ts) and
 * the build's precompile (scripts/compile-schema.mjs), so both produce the same validator.
 */
import type { StepKind } from '../format/index.ts';

/** ajv options of the runbook schema: strict, every error, verbose (errors carry their schema). */
export const SCHEMA_COMPILE_OPTIONS = { strict: true, allErrors: true, verbose: true } as const;

/** The `$defs` entry of a step kind, e.g. `call` → `CallStep`. */
export function stepDefName(kind: StepKind): string {
  return `${kind[0].toUpperCase()}${kind.slice(1)}Step`;
}
