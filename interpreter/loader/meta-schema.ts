/**
 * The draft 2020-12 meta-schema validator, precompiled by the build (scripts/compile-schema.mjs
 * writes meta-schema.compiled.cjs beside this module) with the options of the embedded schemas:
 * ajv compiles the meta-schema on its first schema otherwise (~70 ms at every start). Used only
 * when it was compiled by the ajv version installed now. Node side.
 */
import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';

/** The `$schema` of draft 2020-12, ajv's default meta-schema. */
export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/** True when `schema` is valid against the meta-schema; `errors` as ajv's validate functions leave them. */
export interface MetaSchemaValidator {
  (schema: unknown): boolean;
  errors?: ErrorObject[] | null;
}

let loaded: MetaSchemaValidator | null | undefined;

/** The precompiled validator, or undefined (a source checkout, another ajv version): then ajv compiles the meta-schema itself. */
export function precompiledMetaSchema(): MetaSchemaValidator | undefined {
  if (loaded === undefined) loaded = load();
  return loaded ?? undefined;
}

function load(): MetaSchemaValidator | null {
  const require = createRequire(import.meta.url);
  try {
    const module = require('./meta-schema.compiled.cjs') as { ajvVersion?: unknown; validate?: unknown };
    const { version } = require('ajv/package.json') as { version?: unknown };
    if (typeof module.validate !== 'function' || module.ajvVersion !== version) return null;
    return module.validate as MetaSchemaValidator;
  } catch {
    return null;
  }
}
