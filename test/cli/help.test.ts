import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS, GROUP_TITLES } from '../../interpreter/cli/command-table.ts';
import { assertNoStack, ROOT, runCli } from '../support/run-cli.ts';

test('`runbook --help` lists every command with its summary, grouped by who uses it', async () => {
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  for (const title of Object.values(GROUP_TITLES)) assert.match(help.stdout, new RegExp(`^${title}:$`, 'm'));
  for (const [name, entry] of Object.entries(COMMANDS)) {
    assert.match(help.stdout, new RegExp(`^  ${name}\\s+${entry.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), `${name} is listed`);
  }
  // Groups come in order: author commands before run commands before operate commands.
  const order = Object.values(GROUP_TITLES).map((title) => help.stdout.indexOf(`${title}:`));
  assert.deepEqual([...order].sort((a, b) => a - b), order);
  assert.match(help.stdout, /^  completion\s+/m);
});

test('every command in the table loads and answers --help with exit 0', async () => {
  for (const name of Object.keys(COMMANDS)) {
    const help = await runCli([name, '--help']);
    assert.equal(help.code, 0, `${name} --help: ${help.stderr}`);
    assert.match(help.stdout, new RegExp(`^usage: runbook ${name}\\b`), `${name} prints its usage`);
  }
});

test('an unknown command gets a did-you-mean and exit 2, without a stack trace', async () => {
  const typo = await runCli(['valdate']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown command "valdate" \(did you mean validate\?\)/);
  assertNoStack(typo);
});

test('`runbook completion bash` completes command names; an unknown shell is exit 2', async () => {
  const script = await runCli(['completion', 'bash']);
  assert.equal(script.code, 0);
  const dir = mkdtempSync(join(tmpdir(), 'runbook-completion-'));
  try {
    writeFileSync(join(dir, 'completion.sh'), script.stdout);
    const out = execFileSync('bash', ['-c', `source ${join(dir, 'completion.sh')}; COMP_WORDS=(runbook de); COMP_CWORD=1; _runbook_complete; echo "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
    assert.deepEqual(out.trim().split(' ').sort(), ['definitions', 'dev', 'dev-server']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal((await runCli(['completion', 'fish'])).code, 2);
});

test('`runbook --version` prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const result = await runCli([flag]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `${version}\n`);
  }
});
