/**
 * RB_INVALID_JSON_SCHEMA: the input, signal payload and corrections schemas compile
 * under ajv (draft 2020-12), as the runtimes will compile them.
 */
import type { ValidateFunction } from 'ajv';
import { createAjv, type Ajv } from '../ajv-class.ts';
import { DRAFT_2020_12, precompiledMetaSchema } from '../meta-schema.ts';
import { EMBEDDED_SCHEMA_OPTIONS } from '../runbook-schema-options.ts';
import type { RunbookCheck } from './check-api.ts';

export const embeddedSchemas: RunbookCheck = {
  name: 'embedded-schemas',
  check({ runbook, report }) {
    const found: { schema: Record<string, unknown>; pointer: string; what: string }[] = [];
    if (runbook.input) found.push({ schema: runbook.input, pointer: '/input', what: 'input schema' });
    for (const [name, signal] of Object.entries(runbook.signals ?? {})) {
      if (signal.payload) found.push({ schema: signal.payload, pointer: `/signals/${name}/payload`, what: `payload schema of signal "${name}"` });
    }
    runbook.steps.forEach((step, index) => {
      if ('review' in step && step.review.corrections) {
        found.push({ schema: step.review.corrections, pointer: `/steps/${index}/review/corrections`, what: `corrections schema of step "${step.id}"` });
      }
    });
    for (const { schema, pointer, what } of found) {
      const error = compileSchemaError(schema);
      if (error) report({ code: 'RB_INVALID_JSON_SCHEMA', message: `${what} is not a valid JSON Schema: ${error}`, pointer });
    }
  },
};

/** Checks schemas against the precompiled meta-schema first, so it does not itself (no meta-schema compile at start). */
let prechecked: Ajv | undefined;
/** Checks each schema against its `$schema` itself: another draft named, or no precompiled meta-schema. */
let checking: Ajv | undefined;
/** Compile results by schema text: variants of a runbook share their schemas. */
const results = new Map<string, string | undefined>();

/** Compiles a user-supplied schema; returns the error message (ajv's), or undefined when it compiles. */
export function compileSchemaError(schema: Record<string, unknown>): string | undefined {
  const key = JSON.stringify(schema);
  if (results.has(key)) return results.get(key);
  let error: string | undefined;
  try {
    // Without $id: two runbooks may reuse an id, and ajv refuses to register it twice.
    const { $id: _id, ...anonymous } = schema;
    const meta = schema.$schema === undefined || schema.$schema === DRAFT_2020_12 ? precompiledMetaSchema() : undefined;
    if (meta) {
      prechecked ??= createAjv({ ...EMBEDDED_SCHEMA_OPTIONS, validateSchema: false });
      // The message ajv's compile throws for a schema that fails its meta-schema.
      if (!meta(anonymous)) error = `schema is invalid: ${prechecked.errorsText(meta.errors)}`;
      else prechecked.compile(anonymous);
    } else {
      const validate: ValidateFunction = (checking ??= createAjv(EMBEDDED_SCHEMA_OPTIONS)).compile(anonymous);
      void validate;
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  results.set(key, error);
  return error;
}
