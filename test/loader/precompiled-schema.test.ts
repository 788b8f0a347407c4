/** The build's precompiled runbook validator (lib/loader/runbook-schema.compiled.cjs) reports exactly what a run-time compile reports. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { STEP_KINDS } from '../../interpreter/format/index.ts';
import { runbookSchema } from '../../interpreter/loader/index.ts';

const COMPILED = join(process.cwd(), 'lib', 'loader', 'runbook-schema.compiled.cjs');
type Validate = ((value: unknown) => boolean) & { errors?: unknown };

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** Every document of the repository's YAML, plus a broken copy of each (unknown keys, missing step ids). */
function documents(): unknown[] {
  const values = [...yamlFiles('runbooks'), ...yamlFiles('test')].flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8')).flatMap((doc) => {
      try {
        return [doc.toJS() as unknown];
      } catch {
        return [];
      }
    }),
  );
  const broken = values.map((value) => {
    const copy = structuredClone(value) as Record<string, unknown> | null;
    if (!copy || typeof copy !== 'object' || Array.isArray(copy)) return copy;
    copy.bogus = 1;
    if (Array.isArray(copy.steps)) copy.steps.forEach((step: Record<string, unknown>, i: number) => (i % 2 ? (step.titel = 'x') : delete step.id));
    return copy;
  });
  return [...values, ...broken];
}

describe('precompiled runbook schema', () => {
  it('was built from the current schema and gives the same results and errors as a run-time compile', () => {
    const compiled = createRequire(import.meta.url)(COMPILED) as Record<string, unknown>;
    const schemaText = readFileSync('schema/runbook.schema.json');
    assert.equal(compiled.schemaSha256, createHash('sha256').update(schemaText).digest('hex'), 'stale: run `npm run build`');
    const runtime = runbookSchema(); // the sources have no precompiled file beside them: compiled now
    const pairs: [Validate, Validate][] = [
      [runtime.validate, compiled.validate as Validate],
      ...STEP_KINDS.map((kind): [Validate, Validate] => [runtime.validateStep[kind], compiled[`step_${kind}`] as Validate]),
    ];
    let invalid = 0;
    for (const value of documents()) {
      const steps = value && typeof value === 'object' && Array.isArray((value as { steps?: unknown }).steps) ? ((value as { steps: unknown[] }).steps) : [];
      for (const [index, [ours, theirs]] of pairs.entries()) {
        for (const input of index === 0 ? [value] : steps) {
          const valid = ours(input);
          if (!valid) invalid++;
          assert.equal(theirs(input), valid);
          assert.equal(JSON.stringify(theirs.errors), JSON.stringify(ours.errors));
        }
      }
    }
    assert.ok(invalid > 100, `the comparison saw invalid documents (${invalid})`);
  });
});
