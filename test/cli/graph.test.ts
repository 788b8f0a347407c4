/** `runbook graph` as a user runs it: Mermaid by default, dot on request, exit codes, located diagnostics, no stack traces. */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runbookGraph, toDot, toMermaid } from '../../interpreter/graph/index.ts';
import { exampleRunbook } from '../graph/graph-fixtures.ts';
import { assertNoStack, runCli } from '../support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'graph-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const book = join(dir, 'books');
mkdirSync(book);
writeFileSync(join(book, 'parent.yaml'), 'slug: parent\ntitle: Parent\nsteps:\n  - id: each\n    title: Each item\n    child: { runbook: kid, for_each: "{% [1, 2] %}" }\n');
writeFileSync(join(book, 'kid.yaml'), 'slug: kid\ntitle: Kid\nsteps:\n  - { id: nap, title: Nap, timer: { duration: 1s } }\n');
writeFileSync(join(book, 'broken.yaml'), 'slug: broken\ntitle: Broken\nsteps:\n  - id: nap\n    title: Nap\n    timer: { duration: soon }\n');

describe('runbook graph', () => {
  test('prints the Mermaid chart of a slug from the configured runbooks directory (the library\'s text)', async () => {
    const result = await runCli(['graph', 'month-end-close']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, toMermaid(runbookGraph(exampleRunbook('month-end-close'))));
    assert.equal(result.stderr, '');
  });

  test('--format dot prints the Graphviz digraph; a file path works as well as a slug', async () => {
    const result = await runCli(['graph', 'runbooks/journal-proposal.yaml', '--format', 'dot']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, toDot(runbookGraph(exampleRunbook('journal-proposal'))));
  });

  test('--runbooks names the directory: a fan-out over a child runbook found there', async () => {
    const result = await runCli(['graph', 'parent', '--runbooks', book]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^  s_each\[\["Each item<br\/>fan-out kid \(10 at a time\)"\]\]$/m);
  });

  test('an unknown slug is exit 2 RUNBOOK_UNKNOWN with a did-you-mean', async () => {
    const result = await runCli(['graph', 'month-end-clsoe']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /RUNBOOK_UNKNOWN: no runbook "month-end-clsoe" in runbooks\/ \(did you mean "month-end-close"\?\)/);
    assert.equal(result.stdout, '');
    assertNoStack(result);
  });

  test('an invalid runbook is exit 1 with its located diagnostics, by slug and by file', async () => {
    for (const target of ['broken', join(book, 'broken.yaml')]) {
      const result = await runCli(['graph', target, '--runbooks', book]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /broken\.yaml:6:24: error RB_SCHEMA_PATTERN/);
      assert.match(result.stderr, /^\s+\^$/m, 'a caret under the offending value');
      assert.match(result.stderr, /is not a valid runbook/);
      assert.equal(result.stdout, '');
      assertNoStack(result);
    }
  });

  test('usage errors are exit 2: an unknown format, no runbook, a missing file or directory', async () => {
    const cases: [string[], RegExp][] = [
      [['graph', 'month-end-close', '--format', 'svg'], /unknown --format "svg" \(mermaid or dot\)/],
      [['graph'], /name a runbook slug or file/],
      [['graph', 'nowhere/none.yaml'], /no such runbook file: nowhere\/none\.yaml/],
      [['graph', 'x', '--runbooks', join(dir, 'missing')], /--runbooks .*missing: no such directory/],
      [['graph', 'x', '--fromat', 'dot'], /unknown option --fromat \(did you mean --format\?\)/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assertNoStack(result);
    }
  });
});
