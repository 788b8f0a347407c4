/**
 * The build's precompiled draft 2020-12 meta-schema validator (lib/loader/meta-schema.compiled.cjs)
 * accepts exactly the schemas ajv's own meta-schema check accepts, and the embedded-schemas check
 * reports ajv's own message for those it refuses.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import type { ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { createAjv } from '../../interpreter/loader/ajv-class.ts';
import { EMBEDDED_SCHEMA_OPTIONS } from '../../interpreter/loader/runbook-schema-options.ts';

const COMPILED = join(process.cwd(), 'lib', 'loader', 'meta-schema.compiled.cjs');
/** The built check, which finds the precompiled validator beside it (the sources have none). */
const BUILT_CHECK = pathToFileURL(join(process.cwd(), 'lib', 'loader', 'checks', 'embedded-schemas.js')).href;
type Validate = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** The schemas the example runbooks embed, and broken variants of each. */
function schemas(): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  for (const name of ['document-ingest', 'journal-proposal', 'month-end-close']) {
    const runbook = parse(readFileSync(`runbooks/${name}.yaml`, 'utf8')) as { input?: Record<string, unknown>; signals?: Record<string, { payload?: Record<string, unknown> }> };
    if (runbook.input) found.push(runbook.input);
    for (const signal of Object.values(runbook.signals ?? {})) if (signal.payload) found.push(signal.payload);
  }
  const broken = found.flatMap((schema) => [
    { ...schema, type: 'objekt' },
    { ...schema, required: 'entity' },
    { ...schema, properties: { a: { type: 'string', minLength: -1 } } },
    { ...schema, properties: { a: { items: { enum: 5 } } } },
    { ...schema, $defs: { x: { allOf: [] } } },
    { ...schema, additionalProperties: { not: { type: 3 } } },
  ]);
  return [...found, ...broken, { type: 'object', unknownKeyword: true }, { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }];
}

describe('precompiled meta-schema', () => {
  it('accepts and refuses exactly what ajv compiling the meta-schema itself does, with the same errors', () => {
    const compiled = createRequire(import.meta.url)(COMPILED) as { ajvVersion?: unknown; validate: Validate };
    assert.equal(compiled.ajvVersion, (createRequire(import.meta.url)('ajv/package.json') as { version: string }).version, 'stale: run `npm run build`');
    const ajv = createAjv(EMBEDDED_SCHEMA_OPTIONS);
    let refused = 0;
    for (const schema of schemas()) {
      if (schema.$schema !== undefined) continue;
      const valid = ajv.validateSchema(schema);
      if (!valid) refused++;
      assert.equal(compiled.validate(schema), valid, JSON.stringify(schema));
      assert.equal(ajv.errorsText(compiled.validate.errors), ajv.errorsText(ajv.errors), JSON.stringify(schema));
    }
    assert.ok(refused >= 6, `the comparison saw refused schemas (${refused})`);
  });

  it('leaves the built embedded-schemas check with the messages of a compile that checks the meta-schema itself', async () => {
    const { compileSchemaError } = (await import(BUILT_CHECK)) as typeof import('../../interpreter/loader/checks/embedded-schemas.ts');
    const ajv = createAjv(EMBEDDED_SCHEMA_OPTIONS);
    for (const schema of schemas()) {
      let expected: string | undefined;
      try {
        const { $id: _id, ...anonymous } = schema;
        ajv.compile(anonymous);
      } catch (error) {
        expected = error instanceof Error ? error.message : String(error);
      }
      assert.equal(compileSchemaError(schema), expected, JSON.stringify(schema));
    }
  });
});
