/** The README's code runs as written: the "Using it from code" snippet, verbatim but for its import of the package. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { ROOT } from '../support/run-cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'runbook-readme-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('the "Using it from code" snippet runs a journal proposal to completion', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Using it from code'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, 'the section has a ts code block');
  const file = join(scratch, 'snippet.mts'); // ESM outside the project's package scope
  // The package as a consumer imports it: the compiled lib/ (built by the test runner).
  writeFileSync(file, code.replace("'yaml-runbook'", `'${pathToFileURL(join(ROOT, 'lib/index.js')).href}'`));
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env: { ...process.env, RUNBOOK_DATA_DIR: join(scratch, 'data'), TEMPORAL_ADDRESS: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /review_journal/);
  assert.match(result.stdout, /jnl-/);
});
