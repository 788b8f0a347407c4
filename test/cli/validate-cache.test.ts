/** `runbook validate`'s cache as a user meets it: on by default in the state directory, `--no-cache`, concurrent runs. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const BIN = resolve('bin/runbook.js');
const root = mkdtempSync(join(tmpdir(), 'validate-cache-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

type Result = { status: number | null; stdout: string; stderr: string };
const runIn = (cwd: string, ...args: string[]): Result => {
  const result = spawnSync(process.execPath, [BIN, 'validate', '--skip-handlers', ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};
const runAsync = (cwd: string, ...args: string[]): Promise<Result> =>
  new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'validate', '--skip-handlers', ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });

let count = 0;
function project(): string {
  const dir = join(root, `p${count++}`);
  mkdirSync(join(dir, 'runbooks'), { recursive: true });
  for (let n = 0; n < 6; n++) {
    const extra = n % 2 === 0 ? '    whne: true\n' : '';
    writeFileSync(join(dir, 'runbooks', `r${n}.yaml`), `slug: r${n}\ntitle: R${n}\nsteps:\n  - id: first\n    title: First\n    timer: { duration: 1s }\n${extra}`);
  }
  return dir;
}
/** The cache's one entries file, parsed: its entries by resolved path. */
const entriesFile = (dir: string): string => join(dir, '.runbook', 'cache', 'validate', 'entries.json');
const entries = (dir: string): Record<string, { outcome: { diagnostics: unknown[] } }> => {
  if (!existsSync(entriesFile(dir))) return {};
  return (JSON.parse(readFileSync(entriesFile(dir), 'utf8')) as { entries: Record<string, { outcome: { diagnostics: unknown[] } }> }).entries;
};

describe('runbook validate cache', () => {
  it('is on by default, in the state directory, and a warm run prints what the cold run printed', () => {
    const dir = project();
    const cold = runIn(dir);
    assert.equal(cold.status, 1, cold.stderr);
    assert.match(cold.stdout, /r0\.yaml:7:5: error RB_UNKNOWN_KEY/);
    assert.equal(Object.keys(entries(dir)).length, 6);
    const warm = runIn(dir);
    assert.deepEqual(warm, cold);
    const json = [runIn(dir, '--format', 'json'), runIn(dir, '--format', 'json', '--no-cache')];
    assert.deepEqual(json[0], json[1]);
  });

  it('--no-cache neither reads nor writes the cache', () => {
    const dir = project();
    const result = runIn(dir, '--no-cache');
    assert.equal(result.status, 1);
    assert.equal(existsSync(join(dir, '.runbook')), false);
    // A poisoned entry would show if --no-cache read it.
    runIn(dir);
    const stored = JSON.parse(readFileSync(entriesFile(dir), 'utf8')) as { entries: Record<string, { outcome: { diagnostics: unknown[] } }> };
    for (const entry of Object.values(stored.entries)) entry.outcome.diagnostics = [];
    writeFileSync(entriesFile(dir), JSON.stringify(stored));
    assert.match(runIn(dir).stdout, /6 files, 0 errors/, 'the poisoned cache is used by default');
    assert.match(runIn(dir, '--no-cache').stdout, /6 files, 3 errors/);
  });

  it('an unreadable cache entry is ignored, never an error', () => {
    const dir = project();
    const cold = runIn(dir);
    writeFileSync(entriesFile(dir), '\u0000garbage');
    assert.deepEqual(runIn(dir), cold);
  });

  it('concurrent runs on one cache all print the cold result and leave only whole entries', async () => {
    const dir = project();
    const expected = runIn(dir, '--no-cache');
    const results = await Promise.all(Array.from({ length: 4 }, () => runAsync(dir)));
    for (const result of results) assert.deepEqual(result, expected);
    // Whole files only (each run renames its own over the last, merged with what it finds): one entry per runbook.
    const stored = Object.keys(entries(dir));
    assert.equal(stored.length, 6, stored.join('\n'));
    assert.deepEqual(readdirSync(join(dir, '.runbook', 'cache', 'validate')).filter((name) => name.endsWith('.tmp')), [], 'no temporary file left');
    assert.deepEqual(runIn(dir), expected);
  });
});
