/**
 * `runbook validate` on a batch large enough for worker threads (lowered here with
 * RUNBOOK_VALIDATE_PARALLEL_MIN): the compiled CLI boots them before its handlers load and
 * hands them the files that miss the cache. The report must be the one a single thread gives,
 * and no worker may keep the process alive when the handlers fail to load.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { generateValidateInputs } from '../../bench/generate-validate-inputs.ts';

const BIN = resolve('bin/runbook.js');
const root = mkdtempSync(join(tmpdir(), 'validate-parallel-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A project with the example handlers and agents, and `count` generated runbooks plus a broken one and a duplicate slug. */
function project(count: number): string {
  const dir = mkdtempSync(join(root, 'p-'));
  cpSync(resolve('handlers'), join(dir, 'handlers'), { recursive: true });
  cpSync(resolve('agents'), join(dir, 'agents'), { recursive: true });
  // The example handlers import the package's sources by relative path, as in this repository.
  symlinkSync(resolve('interpreter'), join(dir, 'interpreter'));
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'p', version: '1.0.0', type: 'module' }));
  const files = generateValidateInputs(join(dir, 'runbooks'), count, resolve('runbooks'));
  copyFileSync(files[0], join(dir, 'runbooks', 'zz-duplicate-slug.yaml'));
  writeFileSync(join(dir, 'runbooks', 'zz-broken.yaml'), 'slug: broken\ntitle: Broken\nsteps:\n  - id: a\n    title: A\n    timer: { duration: 1s }\n    whne: true\n  - id: b\n    title: B\n    call: { handler: ledger.open_perod }\n');
  return dir;
}

function validate(cwd: string, env: Record<string, string>, ...args: string[]): { status: number | null; stdout: string; stderr: string; ms: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [BIN, 'validate', '--format', 'json', ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - started };
}

const PARALLEL = { RUNBOOK_VALIDATE_PARALLEL_MIN: '30', RUNBOOK_VALIDATE_WORKERS: '1' };
const SINGLE = { RUNBOOK_VALIDATE_WORKERS: '0' };

test('with a worker, cold and warm, the report is the single thread one', () => {
  const dir = project(80);
  const single = validate(dir, SINGLE, '--no-cache');
  assert.equal(single.status, 1, single.stderr);
  const diagnostics = JSON.parse(single.stdout) as { code: string }[];
  assert.deepEqual([...new Set(diagnostics.map((d) => d.code))].sort(), ['RB_DUPLICATE_SLUG', 'RB_UNKNOWN_HANDLER', 'RB_UNKNOWN_KEY']);
  const parallel = validate(dir, PARALLEL, '--no-cache');
  assert.equal(parallel.status, 1, parallel.stderr);
  assert.equal(parallel.stdout, single.stdout);
  // With the cache: cold (workers boot and take the misses), then warm (nothing to do for them).
  const cold = validate(dir, PARALLEL);
  assert.equal(cold.stdout, single.stdout);
  const warm = validate(dir, PARALLEL);
  assert.equal(warm.stdout, single.stdout);
  assert.equal(warm.stderr, cold.stderr);
});

test('handlers that fail to load end the run at once (exit 2), booted workers and all', () => {
  const dir = project(40);
  mkdirSync(join(dir, 'broken-handlers'));
  writeFileSync(join(dir, 'broken-handlers', 'index.ts'), 'export const handlers = [;\n');
  const result = validate(dir, PARALLEL, '--no-cache', '--handlers', 'broken-handlers');
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /HANDLERS_LOAD_FAILED.*broken-handlers\/index\.ts:1:25: Unexpected ";"/);
  assert.ok(result.ms < 30_000, `exited after ${result.ms} ms`);
});
