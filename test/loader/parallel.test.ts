/**
 * Large batches are validated by worker threads and this thread together: the report
 * is the same as the single-thread one (same diagnostics, same locations, same order).
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generateValidateInputs } from '../../bench/generate-validate-inputs.ts';
import { loadHandlerRegistry } from '../../interpreter/handlers/index.ts';
import { validateRunbookFiles } from '../../interpreter/loader/index.ts';
import { PARALLEL_MIN_FILES } from '../../interpreter/loader/parallel-load.ts';

const dir = mkdtempSync(join(tmpdir(), 'validate-parallel-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('parallel validation of a large batch', () => {
  it('reports exactly what the single-thread path reports', async () => {
    const files = generateValidateInputs(dir, PARALLEL_MIN_FILES + 20);
    const copy = join(dir, 'zz-duplicate-slug.yaml');
    copyFileSync(files[0], copy);
    const broken = join(dir, 'zz-broken.yaml');
    writeFileSync(broken, 'slug: broken\ntitle: Broken\nsteps:\n  - id: a\n    title: A\n    timer: { duration: 1s }\n    whne: true\n');
    const all = [...files.slice(0, 50), copy, broken, join(dir, 'missing.yaml'), ...files.slice(50)];

    const parallel = await validateRunbookFiles(all);
    const single = await validateRunbookFiles(all, { handlers: await loadHandlerRegistry('handlers') });
    assert.deepStrictEqual(parallel.diagnostics, single.diagnostics);
    assert.deepStrictEqual(parallel.runbooks, single.runbooks);
    assert.deepEqual(
      [...new Set(parallel.diagnostics.map((d) => d.code))].sort(),
      ['RB_DUPLICATE_SLUG', 'RB_READ_FAILED', 'RB_UNKNOWN_KEY'],
    );
    assert.equal(parallel.runbooks.length, files.length);
  });
});
