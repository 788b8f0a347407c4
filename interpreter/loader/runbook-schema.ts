/**
 * The published JSON Schema (schema/runbook.schema.json), compiled once per
 * process with ajv (draft 2020-12, strict, all errors), and the check of a
 * parsed document against it. The package carries the validator precompiled
 * (runbook-schema.compiled.cjs, written by scripts/compile-schema.mjs at build):
 * it is used when it was compiled from the very schema file read here.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { STEP_KINDS, type Runbook, type StepKind } from '../format/index.ts';
import { createAjv } from './ajv-class.ts';
import type { PendingDiagnostic } from './diagnostic.ts';
import { isRecord } from './is-record.ts';
import { joinPointer } from './json-pointer.ts';
import { SCHEMA_COMPILE_OPTIONS, stepDefName } from './runbook-schema-options.ts';
import { diagnosticsFromAjv } from './schema-errors.ts';

const SCHEMA_URL = new URL('../../schema/runbook.schema.json', import.meta.url);

interface CompiledRunbookSchema {
  readonly schema: Record<string, unknown>;
  readonly validate: ValidateFunction<Runbook>;
  readonly validateStep: Readonly<Record<StepKind, ValidateFunction>>;
}

let compiled: CompiledRunbookSchema | undefined;

/** The runbook JSON Schema, read and compiled (or its precompiled validator loaded) on first use, and kept for the process. */
export function runbookSchema(): CompiledRunbookSchema {
  if (compiled) return compiled;
  const text = readFileSync(SCHEMA_URL);
  const schema = JSON.parse(text.toString('utf8')) as Record<string, unknown>;
  compiled = { schema, ...(precompiled(text) ?? compileNow(schema)) };
  return compiled;
}

type Validators = Omit<CompiledRunbookSchema, 'schema'>;

function compileNow(schema: Record<string, unknown>): Validators {
  const ajv = createAjv(SCHEMA_COMPILE_OPTIONS);
  const validate = ajv.compile<Runbook>(schema);
  const id = String(schema.$id);
  const validateStep = Object.fromEntries(
    STEP_KINDS.map((kind) => {
      const step = ajv.getSchema(`${id}#/$defs/${stepDefName(kind)}`);
      if (!step) throw new Error(`RB_INTERNAL: schema has no $defs/${stepDefName(kind)}`);
      return [kind, step];
    }),
  ) as Record<StepKind, ValidateFunction>;
  return { validate, validateStep };
}

/** The build's standalone validator, when present and compiled from exactly `schemaText`. */
function precompiled(schemaText: Uint8Array): Validators | undefined {
  let module: Record<string, unknown>;
  try {
    module = createRequire(import.meta.url)('./runbook-schema.compiled.cjs') as Record<string, unknown>;
  } catch {
    return undefined; // a source checkout: compiled at run time
  }
  if (module.schemaSha256 !== createHash('sha256').update(schemaText).digest('hex')) return undefined;
  const validate = module.validate;
  const steps = STEP_KINDS.map((kind) => [kind, module[`step_${kind}`]] as const);
  if (typeof validate !== 'function' || steps.some(([, step]) => typeof step !== 'function')) return undefined;
  return { validate: validate as ValidateFunction<Runbook>, validateStep: Object.fromEntries(steps) as Record<StepKind, ValidateFunction> };
}

export type SchemaCheck = { readonly ok: true; readonly runbook: Runbook } | { readonly ok: false; readonly problems: PendingDiagnostic[] };

/**
 * Validates a parsed document. On success the value is typed as a Runbook
 * through ajv's type guard (the drift test keeps the schema equal to the zod types).
 */
export function checkRunbookSchema(value: unknown): SchemaCheck {
  const { validate } = runbookSchema();
  if (validate(value)) return { ok: true, runbook: value };
  const errors = validate.errors ?? [];
  const steps = isRecord(value) && Array.isArray(value.steps) ? value.steps : [];
  const failedSteps = new Set<number>();
  const general = errors.filter((e) => {
    const match = /^\/steps\/(\d+)(?:\/|$)/.exec(e.instancePath);
    if (!match || !isRecord(steps[Number(match[1])])) return true;
    failedSteps.add(Number(match[1]));
    return false;
  });
  const problems = diagnosticsFromAjv(general);
  for (const index of [...failedSteps].sort((a, b) => a - b)) {
    const step: unknown = steps[index];
    if (isRecord(step)) problems.push(...checkStep(step, index));
  }
  return { ok: false, problems };
}

/** A step is checked against the one branch its kind key selects, so the report is about that kind only. */
function checkStep(step: Record<string, unknown>, index: number): PendingDiagnostic[] {
  const pointer = `/steps/${index}`;
  const kinds = STEP_KINDS.filter((kind) => Object.hasOwn(step, kind));
  const problems: PendingDiagnostic[] = [];
  const id = typeof step.id === 'string' ? `step "${step.id}"` : `steps[${index}]`;
  if (kinds.length === 0) {
    problems.push({ code: 'RB_STEP_KIND', message: `${id} has none of ${STEP_KINDS.join(', ')}: a step must do exactly one of them`, pointer });
  } else if (kinds.length > 1) {
    problems.push({ code: 'RB_STEP_KIND', message: `${id} has ${kinds.join(' and ')}: a step does exactly one of ${STEP_KINDS.join(', ')}`, pointer: joinPointer(pointer, kinds[1]), at: 'key' });
  }
  const kind = kinds[0] ?? 'call';
  const validate = runbookSchema().validateStep[kind];
  if (validate(step)) return problems;
  const relevant = (validate.errors ?? []).filter((e) => !isKindNoise(e, kinds));
  const prefixed = relevant.map((e): ErrorObject => ({ ...e, instancePath: pointer + e.instancePath }));
  problems.push(...diagnosticsFromAjv(prefixed, kinds.length === 0 ? [...STEP_KINDS] : []));
  return problems;
}

/** Errors that only restate the kind problem already reported (missing `call` on a kindless step, the second kind key). */
function isKindNoise(e: ErrorObject, kinds: readonly StepKind[]): boolean {
  if (e.instancePath !== '') return false;
  if (kinds.length === 0) return e.keyword === 'required' && e.params.missingProperty === 'call';
  return e.keyword === 'additionalProperties' && (STEP_KINDS as readonly string[]).includes(String(e.params.additionalProperty));
}
