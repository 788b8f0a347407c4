import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createWorkerDefinitions, nextDefinitionEvent, STATE_FILE_NAME } from '../../interpreter/definitions/index.ts';
import { handlers, hashOf, runbookYaml, tempRunbooksDir } from './fixtures.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'runbook.js');
const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

// The state directory of these tests' CLI runs and worker stores (never the checkout's .runbook/).
const STATE_DIR = await mkdtemp(join(tmpdir(), 'runbook-state-'));
cleanups.push(() => rm(STATE_DIR, { recursive: true, force: true }));
const STATE_FILE = join(STATE_DIR, STATE_FILE_NAME);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: join(import.meta.dirname, '..', '..'), env: { ...process.env, RUNBOOK_STATE_DIR: STATE_DIR } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const V1 = runbookYaml('demo', ['a', 'b']);
const BROKEN = 'slug: broken\ntitle: Broken\nsteps:\n  - id: a\n    title: A\n    call: { handler: util.nope }\n';

test('without a worker state file, `runbook definitions` validates the directory and lists what a worker would load', async () => {
  const { dir, remove } = await tempRunbooksDir();
  cleanups.push(remove);
  await writeFile(join(dir, 'demo.yaml'), V1);
  await writeFile(join(dir, 'broken.yaml'), BROKEN);
  const json = await cli(['definitions', '--runbooks', dir, '--format', 'json']);
  assert.equal(json.code, 1, 'a rejected file is on disk');
  const listing = JSON.parse(json.stdout);
  assert.equal(listing.source, 'validated');
  assert.equal(listing.writer, null);
  assert.deepEqual(listing.definitions.map((d: { slug: string; hash: string }) => [d.slug, d.hash]), [['demo', hashOf(V1)]]);
  assert.equal(listing.rejected[0].slug, 'broken');
  assert.equal(listing.rejected[0].diagnostics[0].code, 'RB_UNKNOWN_HANDLER');

  const pretty = await cli(['definitions', '--runbooks', dir]);
  assert.match(pretty.stdout, /No worker state file at .*: what a worker would load/);
  assert.match(pretty.stdout, new RegExp(`demo\\s+${hashOf(V1).slice(0, 12)}`));
  assert.match(pretty.stdout, /broken\.yaml:6:\d+: error RB_UNKNOWN_HANDLER/);
});

test('with a worker store, `runbook definitions` lists what that worker serves, from its state file', async () => {
  const { dir, remove } = await tempRunbooksDir();
  cleanups.push(remove);
  await writeFile(join(dir, 'demo.yaml'), V1);
  const silent = { info() {}, warn() {}, error() {} };
  const served = await createWorkerDefinitions(dir, silent, { handlers, settleMs: 40, taskQueue: 'q1', stateFile: STATE_FILE });
  cleanups.push(() => served.close());
  assert.ok(existsSync(STATE_FILE));
  assert.ok(!existsSync(join(dir, STATE_FILE_NAME)), 'nothing is written into the runbooks directory');

  const V2 = runbookYaml('demo', ['b', 'a']);
  const loaded = nextDefinitionEvent(served.store, (e) => e.type === 'loaded');
  await writeFile(join(dir, 'demo.yaml'), V2);
  await loaded;
  const rejected = nextDefinitionEvent(served.store, (e) => e.type === 'rejected');
  await writeFile(join(dir, 'demo.yaml'), 'slug: demo\ntitle: [\n');
  await rejected;
  await served.flushed();

  const json = await cli(['definitions', '--runbooks', dir, '--format', 'json']);
  const listing = JSON.parse(json.stdout);
  assert.equal(listing.source, 'worker');
  assert.equal(listing.writer.pid, process.pid);
  assert.equal(listing.writer.task_queue, 'q1');
  assert.equal(listing.worker_running, true);
  assert.equal(listing.definitions[0].hash, hashOf(V2));
  assert.equal(listing.definitions[0].last_rejected.outstanding, true);
  assert.equal(listing.definitions[0].last_rejected.kept.hash, hashOf(V2));
  assert.equal(json.code, 1);

  const pretty = await cli(['definitions', '--runbooks', dir]);
  assert.match(pretty.stdout, new RegExp(`Served by worker pid ${process.pid} on .*task queue q1 \\(running\\)`));
  assert.match(pretty.stdout, /last rejected .*still on disk: 1 error/);
  assert.match(pretty.stdout, /demo\.yaml:\d+:\d+: error RB_YAML_SYNTAX/);

  await served.close();
  const stopped = await cli(['definitions', '--runbooks', dir]);
  assert.match(stopped.stdout, /\(stopped \d{4}-/);
  const validated = JSON.parse((await cli(['definitions', '--runbooks', dir, '--validate', '--format', 'json'])).stdout);
  assert.equal(validated.source, 'validated');
  assert.deepEqual(validated.definitions, [], 'the file on disk is broken: a worker starting now would serve nothing');
});

test('`runbook definitions` usage errors exit 2', async () => {
  assert.equal((await cli(['definitions', '--format', 'xml'])).code, 2);
  assert.equal((await cli(['definitions', '--runbooks', '/no/such/dir', '--state-file', '/no/such/state.json'])).code, 2);
});
