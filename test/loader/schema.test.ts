/** The published schema: compiles under ajv strict, does not drift from the zod format, documents every code. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import Ajv2020Module from 'ajv/dist/2020.js';
import { buildRunbookJsonSchema } from '../../interpreter/format/index.ts';
import { DIAGNOSTIC_CODES, runbookSchema } from '../../interpreter/loader/index.ts';

const SCHEMA_FILE = 'schema/runbook.schema.json';

describe('runbook schema', () => {
  it('compiles under ajv 2020 in strict mode', () => {
    const Ajv = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as new (options: object) => { compile(schema: object): unknown };
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object;
    assert.equal(typeof new Ajv({ strict: true, allErrors: true }).compile(schema), 'function');
    assert.equal(typeof runbookSchema().validate, 'function');
  });

  it('equals what the zod format generates (no drift; run `npm run gen:schema` if this fails)', () => {
    const current = readFileSync(SCHEMA_FILE, 'utf8');
    assert.equal(current, JSON.stringify(buildRunbookJsonSchema(), null, 2) + '\n');
  });

  it('describes every property and definition, so editors show help on hover', () => {
    const missing: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((item, index) => visit(item, `${path}/${index}`));
      if (node === null || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      for (const [key, property] of Object.entries((record.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (typeof property.description !== 'string' && typeof property.$ref !== 'string') missing.push(`${path}/properties/${key}`);
      }
      for (const [key, value] of Object.entries(record)) visit(value, `${path}/${key}`);
    };
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { $defs: Record<string, { description?: string }> };
    visit(schema, '#');
    for (const [name, definition] of Object.entries(schema.$defs)) if (typeof definition.description !== 'string') missing.push(`#/$defs/${name}`);
    assert.deepEqual(missing, []);
  });

  it('is compiled once per process', () => {
    assert.equal(runbookSchema(), runbookSchema());
  });

  it('has every diagnostic code documented in docs/diagnostics.md', () => {
    const docs = readFileSync('docs/diagnostics.md', 'utf8');
    for (const code of Object.keys(DIAGNOSTIC_CODES)) assert.match(docs, new RegExp(`\\| \`${code}\` \\|`), code);
  });
});
