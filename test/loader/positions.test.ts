/** Diagnostics point at the right place: keys for unknown keys, the token inside an expression, lines of block scalars. */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expandRunbookPaths, formatDiagnosticsGithub, formatDiagnosticsPretty, loadRunbookSource, type Diagnostic } from '../../interpreter/loader/index.ts';

const HEAD = 'slug: pos\ntitle: Positions\nsteps:\n';
const at = (text: string): [string, number, number][] => loadRunbookSource(text, 'pos.yaml').diagnostics.map((d) => [d.code, d.line, d.column]);

describe('positions', () => {
  it('puts an unknown key at the key, with a did-you-mean', () => {
    const result = loadRunbookSource(HEAD + '  - id: a\n    title: A\n    timer: { duration: 1s }\n    whne: true\n', 'pos.yaml');
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.line, d.column, d.pointer]), [['RB_UNKNOWN_KEY', 7, 5, '/steps/0/whne']]);
    assert.match(result.diagnostics[0].message, /"when"/);
  });

  it('maps an expression error to its column in a plain, a quoted and a literal block scalar', () => {
    const plain = HEAD + '  - id: a\n    title: A\n    when: {% 1 + %}\n    timer: { duration: 1s }\n';
    assert.deepEqual(at(plain.replace('when: {% 1 + %}', "when: '{% 1 ) %}'")), [['RB_EXPRESSION_SYNTAX', 6, 17]]);
    assert.deepEqual(at(plain.replace('when: {% 1 + %}', 'when: "{% foo bar %}"')), [['RB_EXPRESSION_SYNTAX', 6, 19]]);
    const literal = HEAD + '  - id: a\n    title: A\n    when: |-\n      {% $x = 1\n         and foo bar %}\n    timer: { duration: 1s }\n';
    assert.deepEqual(at(literal), [['RB_EXPRESSION_SYNTAX', 8, 18]]);
  });

  it('maps a $steps reference to the reference inside the string', () => {
    const text = HEAD + "  - id: a\n    title: A\n    when: '{% $steps.b.ok %}'\n    timer: { duration: 1s }\n  - id: b\n    title: B\n    timer: { duration: 1s }\n";
    const [d] = loadRunbookSource(text, 'pos.yaml').diagnostics;
    assert.deepEqual([d.code, d.line, d.column], ['RB_STEP_ORDER', 6, 15]);
    assert.deepEqual([d.related?.[0].line, d.related?.[0].column], [8, 9]);
  });

  it('formats pretty output with the source line and a caret under the column', () => {
    const diagnostic: Diagnostic = { code: 'RB_UNKNOWN_KEY', severity: 'error', message: 'unknown key', pointer: '/x', file: 'f.yaml', line: 3, column: 5, sourceLine: '    whne: true' };
    assert.equal(formatDiagnosticsPretty([diagnostic]), 'f.yaml:3:5: error RB_UNKNOWN_KEY unknown key\n      whne: true\n      ^\n');
    assert.equal(formatDiagnosticsGithub([diagnostic]), '::error file=f.yaml,line=3,col=5,title=RB_UNKNOWN_KEY::RB_UNKNOWN_KEY unknown key\n');
  });

  it('expands directories and globs to YAML files only, skipping sample inputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'expand-'));
    try {
      mkdirSync(join(dir, 'nested'));
      for (const name of ['a.yaml', 'b.yml', 'a.input.json', 'notes.txt', 'nested/c.yaml']) writeFileSync(join(dir, name), 'x: 1\n');
      assert.deepEqual(await expandRunbookPaths([dir]), [join(dir, 'a.yaml'), join(dir, 'b.yml'), join(dir, 'nested/c.yaml')]);
      assert.deepEqual(await expandRunbookPaths([`${dir}/*.yaml`]), [join(dir, 'a.yaml')]);
      assert.deepEqual(await expandRunbookPaths([`${dir}/**/*.{yaml,yml}`]), [join(dir, 'a.yaml'), join(dir, 'b.yml'), join(dir, 'nested/c.yaml')]);
      await assert.rejects(expandRunbookPaths([join(dir, 'missing.yaml')]), { code: 'RB_PATH_NOT_FOUND' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
