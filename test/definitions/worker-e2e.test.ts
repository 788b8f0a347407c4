/**
 * Issue 5 as an operator meets it: `runbook worker` running on a runbooks directory; editing
 * a file changes what the next `runbook start` runs and what `runbook definitions` shows; a
 * broken edit is reported and changes nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, runCli, type CliResult } from '../support/run-cli.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';
import { renameOver, runbookYaml, sleep, tempRunbooksDir } from './fixtures.ts';

let env: NodeJS.ProcessEnv;
let dir: string;
let removeDir: () => Promise<void>;
let stateFile: string;
let dataDir: string;
let worker: ChildProcess | undefined;
let workerErr = '';

const V1 = runbookYaml('ops', ['first', 'second']);
const V2 = runbookYaml('ops', ['second', 'first']);

before(async () => {
  const temporal = await getTestTemporal();
  ({ dir, remove: removeDir } = await tempRunbooksDir('runbook-worker-e2e-'));
  dataDir = await mkdtemp(join(tmpdir(), 'runbook-worker-e2e-data-'));
  stateFile = join(dataDir, 'definitions.json');
  env = {
    ...process.env,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: temporal.taskQueue('worker-e2e'),
    RUNBOOK_DATA_DIR: dataDir,
  };
  await writeFile(join(dir, 'ops.yaml'), V1);
  worker = spawn(process.execPath, [BIN, 'worker', '--runbooks', dir, '--state-file', stateFile], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  worker.stderr!.on('data', (chunk) => (workerErr += chunk));
  const [line] = (await Promise.race([
    once(worker.stdout!, 'data'),
    sleep(90_000).then(() => {
      throw new Error(`the worker did not start:\n${workerErr}`);
    }),
  ])) as [Buffer];
  assert.match(String(line), /runbooks: ops/);
});

after(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM');
    await once(worker, 'exit');
  }
  await removeDir?.();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  await closeTestTemporal();
});

function ok(result: CliResult, what: string): CliResult {
  assert.equal(result.code, 0, `${what}: exit ${result.code}\n${result.stderr}\nworker: ${workerErr}`);
  return result;
}

/** Starts `ops`, waits for it to finish, and returns the order its steps ran in (from its output keys). */
async function startAndRun(): Promise<string[]> {
  const result = ok(await runCli(['start', 'ops', '--wait'], { env }), 'start --wait');
  return Object.keys(JSON.parse(result.stdout) as Record<string, unknown>);
}

async function definitions(): Promise<{ slug: string; hash: string; last_rejected: unknown }[]> {
  const result = await runCli(['definitions', '--runbooks', dir, '--state-file', stateFile, '--format', 'json'], { env });
  const listing = JSON.parse(result.stdout) as { definitions: { slug: string; hash: string; last_rejected: unknown }[] };
  return listing.definitions;
}

async function until(what: string, predicate: () => Promise<boolean>): Promise<void> {
  for (let waited = 0; waited < 15_000; waited += 100) {
    if (await predicate()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}\nworker: ${workerErr}`);
}

test('an edited runbook changes what the next start runs and what `runbook definitions` shows; a broken edit changes nothing', async () => {
  assert.deepEqual(await startAndRun(), ['first', 'second']);
  const before = (await definitions()).find((d) => d.slug === 'ops');
  assert.ok(before, 'ops is listed');

  await renameOver(join(dir, 'ops.yaml'), V2);
  await until('the new hash in `runbook definitions`', async () => (await definitions()).find((d) => d.slug === 'ops')?.hash !== before.hash);
  assert.deepEqual(await startAndRun(), ['second', 'first'], 'the next start runs the edited order');

  const live = (await definitions()).find((d) => d.slug === 'ops')!;
  await writeFile(join(dir, 'ops.yaml'), 'slug: ops\ntitle: Broken\nsteps:\n  - id: first\n    title: First\n    call: { handler: util.nope }\n');
  await until('the rejection in `runbook definitions`', async () => (await definitions()).find((d) => d.slug === 'ops')?.last_rejected != null);
  const after = (await definitions()).find((d) => d.slug === 'ops')!;
  assert.equal(after.hash, live.hash, 'the previous definition stays live');
  assert.match(JSON.stringify(after.last_rejected), /RB_UNKNOWN_HANDLER/);
  assert.match(workerErr, /RB_UNKNOWN_HANDLER/, 'the worker logged the located errors');
  assert.deepEqual(await startAndRun(), ['second', 'first'], 'starts still run the last valid version');
});
