/**
 * Data-driven validation cases: test/cases/validation/<name>.yaml is validated (with
 * the other fixtures there as references for child slugs) and must yield exactly the
 * codes in <name>.expect.json `{ "codes": [...] }` (sorted; [] means valid).
 * test/cases/validation/sets/<name>/ holds several files validated together, with
 * the codes of the whole set in expect.json.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateRunbookFiles } from '../../interpreter/loader/index.ts';
import { testHandlers } from './test-handlers.ts';

const DIR = 'test/cases/validation';
const yamlIn = (dir: string): string[] => readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort().map((name) => join(dir, name));
const expectedCodes = (file: string): string[] => (JSON.parse(readFileSync(file, 'utf8')) as { codes: string[] }).codes;
const codesOf = (diagnostics: { code: string }[]): string[] => diagnostics.map((d) => d.code).sort();

describe('validation fixtures', () => {
  const single = yamlIn(DIR);
  for (const file of single) {
    const expected = expectedCodes(file.replace(/\.yaml$/, '.expect.json'));
    it(`${file} yields ${expected.length === 0 ? 'no diagnostics' : expected.join(', ')}`, async () => {
      const report = await validateRunbookFiles([file], { handlers: testHandlers, referencePaths: single });
      assert.deepEqual(codesOf(report.diagnostics), expected, JSON.stringify(report.diagnostics, null, 2));
      for (const d of report.diagnostics) {
        assert.ok(d.line >= 1 && d.column >= 1, `${d.code} has a 1-based position`);
        assert.equal(d.file, file);
      }
      assert.equal(report.runbooks.length, expected.length === 0 ? 1 : 0);
    });
  }

  for (const name of readdirSync(join(DIR, 'sets')).sort()) {
    const dir = join(DIR, 'sets', name);
    const expected = expectedCodes(join(dir, 'expect.json'));
    it(`the set ${name} yields ${expected.length === 0 ? 'no diagnostics' : expected.join(', ')}`, async () => {
      const report = await validateRunbookFiles(yamlIn(dir), { handlers: testHandlers });
      assert.deepEqual(codesOf(report.diagnostics), expected, JSON.stringify(report.diagnostics, null, 2));
    });
  }
});
