/**
 * RB_DOCUMENT_KEY_MISMATCH: every commit of one document uses the same key fields. Runbook A keys
 * {entity, period}, B keys {entity, year}: a `where: {period}` would never match B's documents, so
 * each commit is reported, with the other committer as the related location.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateRunbookFiles } from '../../interpreter/loader/index.ts';

const DIR = 'test/cases/validation/sets/document-key-mismatch';
const A = `${DIR}/a-close.yaml`;
const B = `${DIR}/b-annual.yaml`;

describe('one document, different key fields', () => {
  it('reports each committer at its key, related to the other', async () => {
    const report = await validateRunbookFiles([A, B], { handlers: null });
    const found = report.diagnostics.map((d) => ({ code: d.code, severity: d.severity, file: d.file, line: d.line, pointer: d.pointer, related: d.related?.map((r) => [r.file, r.line, r.pointer]) }));
    assert.deepEqual(found, [
      { code: 'RB_DOCUMENT_KEY_MISMATCH', severity: 'error', file: A, line: 8, pointer: '/steps/0/commit/key', related: [[B, 13, '/steps/1/commit/key']] },
      { code: 'RB_DOCUMENT_KEY_MISMATCH', severity: 'error', file: B, line: 13, pointer: '/steps/1/commit/key', related: [[A, 8, '/steps/0/commit/key']] },
    ]);
    assert.match(report.diagnostics[0].message, /keyed \{entity, period\}, but step "record" of .*b-annual\.yaml keys it \{entity, year\}/);
    assert.equal(report.runbooks.length, 0);
  });

  it('the other committer as a reference: only the checked file is reported', async () => {
    const report = await validateRunbookFiles([B], { handlers: null, referencePaths: [A] });
    assert.deepEqual(report.diagnostics.map((d) => [d.code, d.file]), [['RB_DOCUMENT_KEY_MISMATCH', B]]);
  });

  it('the same key fields in another order are one key', async () => {
    const { mkdtempSync, writeFileSync, readFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'key-order-'));
    try {
      const b = join(dir, 'b.yaml');
      writeFileSync(b, readFileSync(B, 'utf8').replace("{ entity: '{% $input.entity %}', year: '{% $input.year %}' }", "{ period: '{% $input.period %}', entity: '{% $input.entity %}' }"));
      const report = await validateRunbookFiles([A, b], { handlers: null });
      assert.deepEqual(report.diagnostics, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
