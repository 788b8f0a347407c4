/** The `runbook init` scaffold's tsconfig type-checks agents/ as well as handlers/ (agents/index.ts is a project module like handlers/index.ts). */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/run-cli.ts';

test('runbook init writes a tsconfig that includes handlers and agents', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runbook-init-tsconfig-'));
  try {
    const result = await runCli(['init'], { cwd: dir });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const tsconfig = JSON.parse(await readFile(join(dir, 'tsconfig.json'), 'utf8')) as { include: string[] };
    assert.deepEqual(tsconfig.include, ['handlers', 'agents']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
