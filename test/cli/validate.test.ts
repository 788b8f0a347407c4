/** `runbook validate` as a user runs it: exit codes, located output, formats, no stack traces. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const run = (...args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const result = spawnSync(process.execPath, ['bin/runbook.js', 'validate', ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};
const noStack = (output: string): void => assert.doesNotMatch(output, /^\s{4}at /m, 'no stack trace');

const dir = mkdtempSync(join(tmpdir(), 'validate-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string | Uint8Array): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const good = write('good.yaml', 'slug: good\ntitle: Good\nsteps:\n  - id: first\n    title: First\n    timer: { duration: 1s }\n');
const bad = write('bad.yaml', 'slug: bad\ntitle: Bad\nsteps:\n  - id: first\n    title: First\n    timer: { duration: 1s }\n    whne: true\n');

describe('runbook validate', () => {
  it('exits 0 and prints the summary for a valid file', () => {
    const { status, stdout, stderr } = run(good);
    assert.equal(status, 0, stderr);
    assert.match(stdout, /^1 file, 0 errors$/m);
  });

  it('exits 0 on the default runbooks/ directory', () => {
    const { status, stdout, stderr } = run();
    assert.equal(status, 0, stdout + stderr);
    assert.match(stdout, /\d+ files?, 0 errors/);
  });

  it('exits 1 with file:line:col, the code, the source line and a caret', () => {
    const { status, stdout, stderr } = run(good, bad);
    assert.equal(status, 1);
    assert.match(stdout, new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7:5: error RB_UNKNOWN_KEY `, 'm'));
    assert.match(stdout, /^ {6}whne: true\n {6}\^$/m);
    assert.match(stdout, /^2 files, 1 error$/m);
    noStack(stdout + stderr);
  });

  it('reports every bad-input class with a code and exit 1, never a stack trace', () => {
    const inputs: Record<string, string | Uint8Array> = {
      'empty.yaml': '',
      'binary.yaml': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0xff]),
      'latin1.yaml': new Uint8Array([0x73, 0x6c, 0x75, 0x67, 0x3a, 0x20, 0xe9, 0x0a]),
      'syntax.yaml': 'slug: [\n',
      'deep.yaml': 'slug: x\nx: ' + '['.repeat(100_000) + ']'.repeat(100_000) + '\n',
      'proto.yaml': '__proto__: { polluted: true }\n',
    };
    const files = Object.entries(inputs).map(([name, text]) => write(`input-${name}`, text));
    const { status, stdout, stderr } = run('--format', 'json', ...files);
    assert.equal(status, 1, stderr);
    const diagnostics = JSON.parse(stdout) as { code: string; file: string; line: number; column: number }[];
    const codes = new Map(diagnostics.map((d) => [d.file, d.code]));
    assert.deepEqual(files.map((file) => codes.get(file)), ['RB_EMPTY', 'RB_ENCODING', 'RB_ENCODING', 'RB_YAML_SYNTAX', 'RB_TOO_DEEP', 'RB_FORBIDDEN_KEY']);
    noStack(stdout + stderr);
  });

  it('applies --max-bytes', () => {
    assert.equal(run('--max-bytes', '10', good).status, 1);
    assert.match(run('--max-bytes', '10', good).stdout, /RB_TOO_LARGE/);
  });

  it('prints JSON diagnostics with --format json', () => {
    const { status, stdout } = run('--format', 'json', bad);
    assert.equal(status, 1);
    const [d] = JSON.parse(stdout) as { code: string; line: number; column: number; pointer: string }[];
    assert.deepEqual([d.code, d.line, d.column, d.pointer], ['RB_UNKNOWN_KEY', 7, 5, '/steps/0/whne']);
  });

  it('prints GitHub annotations with --format github', () => {
    const { status, stdout } = run('--format', 'github', bad);
    assert.equal(status, 1);
    assert.match(stdout, /^::error file=.*bad\.yaml,line=7,col=5,title=RB_UNKNOWN_KEY::RB_UNKNOWN_KEY /m);
  });

  it('exits 2 on a bad flag, a bad format, a bad size and when nothing matches', () => {
    for (const args of [['--nope'], ['--format', 'xml', good], ['--max-bytes', 'lots', good], [join(dir, 'none-*.yaml')], [join(dir, 'missing.yaml')]]) {
      const { status, stderr, stdout } = run(...args);
      assert.equal(status, 2, `${args.join(' ')}: ${stdout}${stderr}`);
      assert.match(stderr, /usage: runbook validate/);
      noStack(stdout + stderr);
    }
  });
});
