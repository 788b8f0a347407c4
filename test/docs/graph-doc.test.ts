/**
 * docs/graph.md is true as written: its example runbook is valid (with the project's handlers),
 * the Mermaid and dot blocks are exactly what the library prints for it, and the code example runs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runbookGraph, toDot, toMermaid } from '../../interpreter/graph/index.ts';
import { loadHandlerRegistry } from '../../interpreter/handlers/index.ts';
import { formatDiagnosticsPretty, loadRunbookSource } from '../../interpreter/loader/index.ts';
import { ROOT } from '../support/run-cli.ts';

const doc = readFileSync(join(ROOT, 'docs/graph.md'), 'utf8');
const block = (language: string): string => {
  const blocks = [...doc.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((match) => match[1]);
  assert.equal(blocks.length, 1, `one \`\`\`${language} block`);
  return blocks[0]!;
};

test('the example runbook of docs/graph.md is valid, with the project\'s handlers', async () => {
  const result = loadRunbookSource(block('yaml'), 'docs/graph.md', { handlers: await loadHandlerRegistry(join(ROOT, 'handlers')) });
  assert.ok(result.ok, formatDiagnosticsPretty(result.diagnostics));
  assert.deepEqual(result.diagnostics, []);
});

test('the Mermaid and dot blocks are what runbook graph prints for the example', () => {
  const result = loadRunbookSource(block('yaml'), 'docs/graph.md');
  assert.ok(result.ok);
  const graph = runbookGraph(result.runbook.runbook);
  assert.equal(block('mermaid'), toMermaid(graph));
  assert.equal(block('dot'), toDot(graph));
});

test('the code example runs and writes both files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'graph-doc-'));
  try {
    mkdirSync(join(dir, 'runbooks'));
    writeFileSync(join(dir, 'runbooks', 'expense-approval.yaml'), block('yaml'));
    const code = block('ts').replace("from 'yaml-runbook'", `from ${JSON.stringify(join(ROOT, 'interpreter/index.ts'))}`);
    writeFileSync(join(dir, 'example.ts'), code);
    const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), 'example.ts'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(readFileSync(join(dir, 'expense-approval.mmd'), 'utf8'), /^flowchart TD\n/);
    assert.match(readFileSync(join(dir, 'expense-run.dot'), 'utf8'), /"approve" \[.*fillcolor="#fdf3dc"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
