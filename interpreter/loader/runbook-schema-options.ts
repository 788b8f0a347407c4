/**
 * How the runbook schema (and the schemas runbooks embed) are compiled: shared by the runtime
 * compile (runbook-schema.ts, checks/embedded-schemas.ts) and the build's precompile
 * (scripts/compile-schema.mjs), so both produce the same validators.
 */
import type { StepKind } from '../format/index.ts';

/** ajv options of the runbook schema: strict, every error, verbose (errors carry their schema). */
export const SCHEMA_COMPILE_OPTIONS = { strict: true, allErrors: true, verbose: true } as const;

/**
 * ajv options of the JSON Schemas a runbook embeds (input, signal payloads, corrections), as the
 * runtimes compile them; also those of the draft 2020-12 meta-schema validator the build
 * precompiles (meta-schema.ts), so that it accepts exactly the schemas ajv's own would.
 */
export const EMBEDDED_SCHEMA_OPTIONS = { strict: true, strictTypes: false, strictTuples: false, strictRequired: false, allowUnionTypes: true, allErrors: true, validateFormats: false } as const;

/** The `$defs` entry of a step kind, e.g. `call` → `CallStep`. */
export function stepDefName(kind: StepKind): string {
  return `${kind[0].toUpperCase()}${kind.slice(1)}Step`;
}
