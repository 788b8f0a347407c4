/**
 * The example runbooks in runbooks/ validate with the project's handlers, and
 * reordering them is caught: reversing month-end-close yields RB_STEP_ORDER naming
 * both steps at their lines.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isSeq, parseDocument } from 'yaml';
import { expandRunbookPaths, formatDiagnosticsPretty, loadRunbookSource, validateRunbookFiles } from '../../interpreter/loader/index.ts';
import { loadHandlerRegistry } from '../../interpreter/handlers/index.ts';

const MONTH_END = 'runbooks/month-end-close.yaml';

describe('example runbooks', () => {
  it('every runbook in runbooks/ validates', async (t) => {
    const files = existsSync('runbooks') ? await expandRunbookPaths(['runbooks']) : [];
    if (files.length === 0) return t.skip('runbooks/ is empty');
    const report = await validateRunbookFiles(files, { handlers: await loadHandlerRegistry('handlers') });
    assert.deepEqual(report.diagnostics, [], formatDiagnosticsPretty(report.diagnostics));
    assert.equal(report.runbooks.length, files.length);
  });

  it('reversing the steps of month-end-close yields RB_STEP_ORDER naming both steps at their lines', async (t) => {
    if (!existsSync(MONTH_END)) return t.skip(`${MONTH_END} does not exist yet`);
    const document = parseDocument(readFileSync(MONTH_END, 'utf8'));
    const steps = document.get('steps');
    assert.ok(isSeq(steps));
    steps.items.reverse();
    const reversed = String(document);
    const dir = mkdtempSync(join(tmpdir(), 'reversed-'));
    try {
      const file = join(dir, 'month-end-close.yaml');
      writeFileSync(file, reversed);
      const report = await validateRunbookFiles([file], { handlers: null, referencePaths: await expandRunbookPaths(['runbooks']) });
      const order = report.diagnostics.filter((d) => d.code === 'RB_STEP_ORDER');
      assert.ok(order.length > 0, formatDiagnosticsPretty(report.diagnostics));
      const lines = reversed.split('\n');
      for (const d of order) {
        const [user, used] = [...d.message.matchAll(/step "([a-z0-9_]+)"/g)].map((m) => m[1]);
        assert.ok(user && used, d.message);
        // Exact for single-line scalars; a multi-line scalar is located at its first line.
        assert.match(lines[d.line - 1], new RegExp(`\\$steps\\.${used}|[|>][-+]?\\s*$|["']\\{%`), 'the diagnostic points at the expression');
        assert.equal(d.related?.length, 1);
        assert.match(lines[d.related![0].line - 1], new RegExp(`- id: ${used}\\b`), 'related points at the later step');
        const userLine = lines.findIndex((line) => new RegExp(`- id: ${user}\\b`).test(line)) + 1;
        assert.ok(userLine > 0 && userLine <= d.line && d.line < d.related![0].line);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads month-end-close by source with its hash', (t) => {
    if (!existsSync(MONTH_END)) return t.skip(`${MONTH_END} does not exist yet`);
    const result = loadRunbookSource(readFileSync(MONTH_END), MONTH_END);
    assert.equal(result.ok, true, formatDiagnosticsPretty(result.diagnostics));
  });
});
