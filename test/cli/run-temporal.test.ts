/**
 * `runbook run` with TEMPORAL_ADDRESS set: the same command runs durably on Temporal with a
 * worker embedded in the CLI process (its own task queue), and behaves as in-process: same
 * ladder lines, same output, same messages and exit codes. `--runtime local` forces in-process.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { closeTestTemporal, getTestTemporal, type TestTemporal } from '../support/temporal-env.ts';
import { assertNoStack, runCli, type CliResult } from '../support/run-cli.ts';

const MONTH_END = ['runbooks/month-end-close.yaml', '--input', 'runbooks/month-end-close.input.json'];
const TB_SIGNAL = ['--signal', 'tb_submitted=@runbooks/month-end-close.tb_submitted.json'];

let temporal: TestTemporal;
let client: Client;
let scratch: string;

before(async () => {
  temporal = await getTestTemporal();
  client = await temporal.client();
  scratch = await mkdtemp(join(tmpdir(), 'runbook-run-temporal-'));
});

after(async () => {
  await closeTestTemporal();
  await rm(scratch, { recursive: true, force: true });
});

type Result = CliResult;

/**
 * `runbook run ARGS` with no terminal, a fresh RUNBOOK_DATA_DIR and TEMPORAL_ADDRESS (the test
 * server unless given); `whileRunning` gets the child process once it is spawned.
 */
async function runRun(args: string[], env: Record<string, string> = {}, whileRunning?: (child: ChildProcess) => void): Promise<Result> {
  const data = await mkdtemp(join(scratch, 'data-'));
  return runCli(['run', ...args], {
    env: { ...process.env, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, RUNBOOK_DATA_DIR: data, ...env },
    whileRunning,
  });
}

/** The ladder's lines (step marks), sorted: children of a fan-out may interleave differently. */
function ladder(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => /^\s*[✓✗⏸–↻] /.test(line))
    .sort();
}

/** The run started on `taskQueue` (visibility catches up within a moment). */
async function runOnQueue(taskQueue: string): Promise<{ workflowId: string; status: string }> {
  for (let waited = 0; waited < 30_000; waited += 200) {
    for await (const run of client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
      if (!run.workflowId.includes('/')) return { workflowId: run.workflowId, status: (await client.workflow.getHandle(run.workflowId).describe()).status.name };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no run on task queue ${taskQueue}`);
}

test('month-end close runs on Temporal with the same ladder and output as in-process', async () => {
  const args = [...MONTH_END, ...TB_SIGNAL, '--answer', 'review_extraction=approved'];
  const [durable, inProcess] = await Promise.all([runRun(args), runRun(args, { TEMPORAL_ADDRESS: '' })]);
  assert.equal(durable.code, 0, durable.stderr);
  assert.equal(inProcess.code, 0, inProcess.stderr);
  assert.match(durable.stderr, /^INFO runbook: TemporalRuntime active \(TEMPORAL_ADDRESS=/m);
  assert.equal(durable.stderr.match(/TemporalRuntime active/g)?.length, 1, 'one INFO line');
  assert.match(inProcess.stderr, /^INFO runbook: LocalRuntime active/m);
  const output = JSON.parse(durable.stdout);
  const expected = JSON.parse(inProcess.stdout);
  assert.match(output.commit_id, /^tb-/);
  assert.deepEqual({ ...output, commit_id: '*' }, { ...expected, commit_id: '*' });
  assert.equal(output.period_status, 'closed');
  assert.deepEqual(ladder(durable.stderr), ladder(inProcess.stderr));
  assert.match(durable.stderr, /ingest_documents\[0\] › /, 'child steps appear in the ladder');
  assertNoStack(durable);
});

test('a handler failure on Temporal exits 1 naming the step and the error type', async () => {
  const dir = join(scratch, 'failing');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'breaks.yaml'),
    ['slug: breaks', 'title: Breaks', 'steps:', '  - id: explode', '    title: Explode', '    call:', '      handler: util.fail', '      args: { type: LEDGER_DOWN, non_retryable: true }', ''].join('\n'),
  );
  const result = await runRun(['breaks', '--runbooks', dir]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /TemporalRuntime active/);
  assert.match(result.stderr, /^step "explode" failed: LEDGER_DOWN: /m);
  assert.match(result.stderr, /^✗ Explode {2}failed \(LEDGER_DOWN\)$/m);
  assert.equal(result.stdout, '');
  assertNoStack(result);
});

test('a rejected review on Temporal exits 1 as in-process', async () => {
  const result = await runRun(['journal-proposal', '--input', 'runbooks/journal-proposal.input.json', '--answer', 'review_journal=rejected:the fee is already accrued']);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /^step "review_journal" failed: REVIEW_REJECTED: /m);
  assertNoStack(result);
});

test('a wait nobody can answer exits 1 at once, names the step and the flag, and cancels the run', async () => {
  const taskQueue = temporal.taskQueue('run-stuck');
  const result = await runRun([...MONTH_END, '--task-queue', taskQueue]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /^runbook: step "await_trial_balance" waits for signal tb_submitted .* pass --signal tb_submitted=/m);
  assert.ok(result.ms < 60_000, `took ${result.ms} ms`); // not the wait's 5-day deadline; a busy 2-core machine takes ~20 s
  assertNoStack(result);
  const run = await runOnQueue(taskQueue);
  assert.equal(run.status, 'CANCELLED', `${run.workflowId} is not left waiting on the server`);
});

test('Ctrl-C leaves the run on the server and says how to resume it', async () => {
  const dir = join(scratch, 'slow');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'slow.yaml'), ['slug: slow', 'title: Slow', 'steps:', '  - id: nap', '    title: Nap', '    call:', '      handler: util.sleep', '      args: { ms: 60000 }', ''].join('\n'));
  const taskQueue = temporal.taskQueue('run-interrupted');
  let interrupted = 0;
  const result = await runRun(['slow', '--runbooks', dir, '--task-queue', taskQueue], {}, (child) => {
    // Once the run exists on the server, press Ctrl-C.
    void runOnQueue(taskQueue).then(() => {
      interrupted = Date.now();
      child.kill('SIGINT');
    });
  });
  assert.equal(result.code, 130, result.stderr);
  assert.ok(Date.now() - interrupted < 10_000, 'the command stops promptly, without waiting for the handler call');
  const run = await runOnQueue(taskQueue);
  assert.equal(run.status, 'RUNNING');
  assert.match(result.stderr, new RegExp(`run ${run.workflowId} stays on the Temporal server`));
  assert.match(result.stderr, new RegExp(`runbook worker --runbooks ${dir} --task-queue ${taskQueue}`));
  assert.match(result.stderr, new RegExp(`runbook status ${run.workflowId}`));
  assertNoStack(result);
  await client.workflow.getHandle(run.workflowId).terminate('test cleanup');
});

test('a scripted answer the workflow refuses exits 1 with the rejection code', async () => {
  const result = await runRun(['journal-proposal', '--input', 'runbooks/journal-proposal.input.json', '--answer', 'review_journal=corrected:{"bogus":true}']);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /CORRECTIONS_INVALID/);
  assertNoStack(result);
});

test('--runtime local runs in-process even with TEMPORAL_ADDRESS set (to a server that is not there)', async () => {
  const result = await runRun(['journal-proposal', '--input', 'runbooks/journal-proposal.input.json', '--answer', 'review_journal=approved', '--runtime', 'local'], {
    TEMPORAL_ADDRESS: '127.0.0.1:1',
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /LocalRuntime active/);
  assert.doesNotMatch(result.stderr, /TemporalRuntime/);
  assert.equal(JSON.parse(result.stdout).status, 'posted');
});

test('an unreachable Temporal server exits 1 quickly with one line', async () => {
  const result = await runRun(['journal-proposal', '--input', 'runbooks/journal-proposal.input.json'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /cannot reach the Temporal server at 127\.0\.0\.1:1/);
  assertNoStack(result);
});

test('--runtime with an unknown value is a usage error', async () => {
  const result = await runRun(['journal-proposal', '--runtime', 'cloud']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--runtime cloud/);
});
