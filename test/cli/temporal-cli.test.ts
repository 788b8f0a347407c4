/**
 * The Temporal commands as a user runs them: `runbook worker` in the background, then
 * `start`, `status`, `signal`, `act`, `cancel` against the test run's Temporal server, and
 * the errors a user meets (unreachable server, unknown run, unknown runbook, invalid input,
 * refused action, bad JSON) as one line and an exit code, never a stack trace.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../interpreter/temporal/dev-server.ts';
import { ensureTemporalCli } from '../../interpreter/temporal/temporal-cli.ts';
import { getTestTemporal, type TestTemporal } from '../support/temporal-env.ts';
import { assertNoStack, BIN, ROOT, runCli, type CliResult } from '../support/run-cli.ts';


let temporal: TestTemporal;
let taskQueue: string;
let dataDir: string;
let scratch: string;
let worker: ChildProcess | undefined;
let workerOut = '';
let workerErr = '';
let workerExit: Promise<[number | null, NodeJS.Signals | null]> | undefined;

type Result = CliResult;

function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    RUNBOOK_DATA_DIR: dataDir,
    // The worker's state file (and any cache) go to the temp dir, not into the checkout's .runbook/.
    RUNBOOK_STATE_DIR: join(dataDir, 'state'),
    ...extra,
  };
}

/** Runs `runbook ARGS...` against the test server (stdin closed unless given). */
function cli(args: string[], options: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {}): Promise<Result> {
  return runCli(args, { env: cliEnv(options.env), stdin: options.stdin, timeoutMs: options.timeoutMs });
}

function ok(result: Result, what: string): Result {
  assert.equal(result.code, 0, `${what}: exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}\nworker: ${workerErr}`);
  return result;
}

interface UiStateJson {
  run_id: string;
  status: string;
  pending_action: { step: string; action: string; kind: string } | null;
  steps: { id: string; status: string; children?: { run_id: string; status: string }[] }[];
  error: { step: string | null; type: string; message: string } | null;
}

async function status(runId: string): Promise<UiStateJson> {
  // stdout is a pipe here, so the default format is JSON.
  const result = ok(await cli(['status', runId]), 'status');
  return JSON.parse(result.stdout) as UiStateJson;
}

async function pollStatus(runId: string, done: (state: UiStateJson) => boolean, what: string, timeoutMs = 30_000): Promise<UiStateJson> {
  const deadline = Date.now() + timeoutMs;
  let state = await status(runId);
  while (!done(state)) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; last state:\n${JSON.stringify(state, null, 2)}`);
    await new Promise((r) => setTimeout(r, 300));
    state = await status(runId);
  }
  return state;
}

before(async () => {
  temporal = await getTestTemporal();
  taskQueue = temporal.taskQueue('cli');
  dataDir = await mkdtemp(join(tmpdir(), 'runbook-temporal-cli-data-'));
  scratch = await mkdtemp(join(tmpdir(), 'runbook-temporal-cli-files-'));
  // The worker's definitions state goes to the temp dir (RUNBOOK_STATE_DIR in cliEnv), where `start` looks for its slugs.
  worker = spawn(process.execPath, [BIN, 'worker', '--task-queue', taskQueue], {
    cwd: ROOT,
    env: cliEnv({ TEMPORAL_TASK_QUEUE: '' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workerExit = once(worker, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  worker.stderr!.on('data', (chunk) => (workerErr += chunk));
  // Ready once it prints its one line (after bundling the workflow and connecting).
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`the worker did not start within 90 s:\n${workerErr}`)), 90_000);
    worker!.stdout!.on('data', (chunk) => {
      workerOut += chunk;
      if (workerOut.includes('\n')) {
        clearTimeout(timer);
        ready();
      }
    });
    void workerExit!.then(([code]) => {
      clearTimeout(timer);
      fail(new Error(`the worker exited (${code}) during start-up:\n${workerErr}`));
    });
  });
});

after(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) {
    worker.kill('SIGKILL');
    await workerExit;
  }
  await rm(dataDir, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

test('the worker prints one line: address, namespace, task queue and the runbooks it serves', () => {
  assert.equal(workerOut.trim().split('\n').length, 1, workerOut);
  assert.match(workerOut, new RegExp(`${temporal.address.replace(/\./g, '\\.')} namespace ${temporal.namespace} task queue ${taskQueue}; runbooks: .*month-end-close`));
  assert.match(workerOut, /document-ingest/);
});

test('month-end close on Temporal: start, status, signal, review, completed and listed by search attribute', async () => {
  const started = ok(await cli(['start', 'month-end-close', '--input', 'runbooks/month-end-close.input.json']), 'start');
  const runId = started.stdout.trim();
  assert.match(runId, /^month-end-close-[0-9a-f-]+$/, 'stdout is just the run id');

  let state = await pollStatus(runId, (s) => s.pending_action?.step === 'await_trial_balance', 'the upload wait');
  assert.equal(state.status, 'waiting');
  assert.equal(state.pending_action!.kind, 'signal');
  assert.equal(state.steps.find((s) => s.id === 'open_period')?.status, 'completed');

  // A review answer while the run waits for an upload is refused, and changes nothing.
  const early = await cli(['act', runId, 'approved']);
  assert.equal(early.code, 1);
  assert.match(early.stderr, /^runbook: action rejected: NOT_A_REVIEW: /m);
  assertNoStack(early);

  // An undeclared signal and an invalid payload are refused with their codes.
  const unknownSignal = await cli(['signal', runId, 'nope']);
  assert.equal(unknownSignal.code, 1);
  assert.match(unknownSignal.stderr, /action rejected: SIGNAL_UNKNOWN: .*tb_submitted/);
  const badPayload = await cli(['signal', runId, 'tb_submitted', '--payload', '{"period":"2025-01"}']);
  assert.equal(badPayload.code, 1);
  assert.match(badPayload.stderr, /action rejected: SIGNAL_PAYLOAD_INVALID: /);

  const signalled = ok(await cli(['signal', runId, 'tb_submitted', '--payload', '@runbooks/month-end-close.tb_submitted.json']), 'signal');
  assert.match(signalled.stdout, /signal tb_submitted delivered/);

  state = await pollStatus(runId, (s) => s.pending_action?.step === 'review_extraction', 'the review');
  const ingest = state.steps.find((s) => s.id === 'ingest_documents');
  assert.equal(ingest?.status, 'completed');
  assert.equal(ingest?.children?.length, 2, 'one document-ingest child per document');

  // A second upload while the run reviews: accepted, and the CLI says no wait takes it now.
  const stale = ok(await cli(['signal', runId, 'tb_submitted', '--payload', '@runbooks/month-end-close.tb_submitted.json']), 'a stale signal');
  assert.match(stale.stdout, /signal tb_submitted recorded(, but no wait of the run takes it now|; the run is not waiting for it now)/);
  assert.doesNotMatch(stale.stdout, /delivered/);

  const pretty = ok(await cli(['status', runId, '--format', 'pretty']), 'status --format pretty');
  assert.match(pretty.stdout, /^\s+✓ Open period {2}completed$/m);
  assert.match(pretty.stdout, /^\s+⏸ Review trial balance {2}waiting \(review_extraction\)$/m);
  assert.match(pretty.stdout, /^\s+✓ Ingest a document \[.+\/ingest_documents\/0\] {2}completed$/m, 'children nested under their step');
  assert.match(pretty.stdout, new RegExp(`answer: runbook act ${runId} approved\\|rejected\\|corrected`));

  const wrongStep = await cli(['act', runId, 'approved', '--step', 'commit_trial_balance']);
  assert.equal(wrongStep.code, 1);
  assert.match(wrongStep.stderr, /action rejected: WRONG_STEP: /);
  const badCorrections = await cli(['act', runId, 'corrected', '--corrections', '{"lines":[]}']);
  assert.equal(badCorrections.code, 1);
  assert.match(badCorrections.stderr, /action rejected: CORRECTIONS_INVALID: /);

  ok(await cli(['act', runId, 'approved', '--step', 'review_extraction']), 'act approved');
  state = await pollStatus(runId, (s) => s.status !== 'waiting' && s.status !== 'running', 'the run to finish');
  assert.equal(state.status, 'completed', JSON.stringify(state.error));
  assert.ok(state.steps.every((s) => s.status === 'completed'));
  const done = ok(await cli(['status', runId, '--format', 'pretty']), 'status (completed)');
  assert.match(done.stdout, new RegExp(`^${runId}  Month-end close \\(month-end-close\\)  completed$`, 'm'));

  // A finished run takes no more actions.
  const late = await cli(['act', runId, 'approved']);
  assert.equal(late.code, 1);
  assert.match(late.stderr, /has ended \(completed\)/);

  // The run is found by its search attribute with the Temporal CLI.
  const temporalCli = await ensureTemporalCli();
  const query = `RunbookSlug='month-end-close' AND WorkflowId='${runId}'`;
  let listed = '';
  for (let attempt = 0; attempt < 40 && !listed.includes(runId); attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 250));
    const list = spawn(temporalCli, ['workflow', 'list', '--address', temporal.address, '--namespace', temporal.namespace, '--query', query, '-o', 'json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    list.stdout!.on('data', (chunk) => (out += chunk));
    const [code] = (await once(list, 'exit')) as [number | null];
    assert.equal(code, 0, `temporal workflow list: ${out}`);
    listed = out;
  }
  assert.ok(listed.includes(runId), `temporal workflow list --query "${query}" shows the run:\n${listed}`);

  // --wait on a run that fails names the step, the error type and the message (the period is now closed).
  const failing = await cli(['start', 'month-end-close', '--input', 'runbooks/month-end-close.input.json', '--wait']);
  assert.equal(failing.code, 1, failing.stderr);
  assert.match(failing.stderr, /step "open_period" failed: PERIOD_CLOSED: .*already closed/);
  assertNoStack(failing);
});

test('start --wait prints the output JSON; --id names the run; cancel stops a waiting run', async () => {
  const input = JSON.stringify({ entity: 'cli-co', period: '2025-02', expected_documents: [], keep_period_open: true });
  const runId = `cli-cancel-${Date.now().toString(36)}`;
  const started = ok(await cli(['start', 'month-end-close', '--input', '-', '--id', runId, '--task-queue', taskQueue], { stdin: input, env: { TEMPORAL_TASK_QUEUE: 'not-this-one' } }), 'start --id');
  assert.equal(started.stdout.trim(), runId);
  await pollStatus(runId, (s) => s.status === 'waiting', 'the wait');
  const again = await cli(['start', 'month-end-close', '--input', '-', '--id', runId], { stdin: input });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /RUN_EXISTS: a run with id/);
  ok(await cli(['cancel', runId]), 'cancel');
  const state = await pollStatus(runId, (s) => s.status !== 'waiting', 'the cancellation');
  assert.equal(state.status, 'cancelled');
  const cancelledView = ok(await cli(['status', runId, '--format', 'pretty']), 'status of a cancelled run');
  assert.match(cancelledView.stdout, /✗ .+ {2}interrupted \(the run is cancelled\)/);
  assert.doesNotMatch(cancelledView.stdout, /⏸/, 'a cancelled run waits on nothing');
  const twice = await cli(['cancel', runId]);
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /has ended \(cancelled\)/);

  // document-ingest needs no person: --wait prints its output.
  const waited = await cli(['start', 'document-ingest', '--input', 'runbooks/document-ingest.input.json', '--wait']);
  assert.equal(waited.code, 0, waited.stderr);
  const output = JSON.parse(waited.stdout) as Record<string, unknown>;
  assert.equal(typeof output, 'object');
  assert.match(waited.stderr, /started document-ingest-/);
  const ingestId = /started (document-ingest-\S+);/.exec(waited.stderr)?.[1];
  const completedView = ok(await cli(['status', ingestId!, '--format', 'pretty']), 'status of a completed run');
  assert.match(completedView.stdout, /completed\n[\s\S]*\noutput: \{/, 'the pretty view of a completed run shows its output');

  // A completed run's id is not reused (its handlers' idempotency keys would repeat); a cancelled one's is.
  const doneId = /started (document-ingest-\S+);/.exec(waited.stderr)![1];
  const reused = await cli(['start', 'document-ingest', '--input', 'runbooks/document-ingest.input.json', '--id', doneId]);
  assert.equal(reused.code, 1);
  assert.match(reused.stderr, /RUN_EXISTS: .*completed/);
  const retried = ok(await cli(['start', 'month-end-close', '--input', '-', '--id', runId], { stdin: input }), 'start again under a cancelled run id');
  assert.equal(retried.stdout.trim(), runId);
  ok(await cli(['cancel', runId]), 'cancel the retried run');
});

test('an unreachable server fails fast, naming the address', async () => {
  const port = await findFreePort();
  const address = `127.0.0.1:${port}`;
  for (const args of [['status', 'some-run'], ['start', 'month-end-close'], ['act', 'some-run', 'approved'], ['worker']]) {
    const result = await cli(args, { env: { TEMPORAL_ADDRESS: address } });
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
    assert.ok(result.ms < 30_000, `${args[0]} took ${result.ms} ms`);
    assert.match(result.stderr, new RegExp(`cannot reach the Temporal server at ${address.replace(/\./g, '\\.')} \\(connection refused\\)`));
    assertNoStack(result);
  }
});

test('unknown run id: RUN_NOT_FOUND, exit 1', async () => {
  for (const args of [['status', 'no-such-run'], ['act', 'no-such-run', 'approved'], ['signal', 'no-such-run', 'tb_submitted'], ['cancel', 'no-such-run']]) {
    const result = await cli(args);
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /^runbook: RUN_NOT_FOUND: no run with id "no-such-run"$/m);
    assertNoStack(result);
  }
});

test('unknown runbook and invalid input are refused at start: exit 2 with the code', async () => {
  const unknown = await cli(['start', 'no-such-runbook']);
  assert.equal(unknown.code, 2, unknown.stderr);
  assert.match(unknown.stderr, /cannot start: RUNBOOK_UNKNOWN: no runbook "no-such-runbook"/);
  assert.doesNotMatch(unknown.stderr, /did you mean/);
  assert.equal(unknown.stdout, '');
  assertNoStack(unknown);
  const typo = await cli(['start', 'journal-proposl']);
  assert.equal(typo.code, 2, typo.stderr);
  assert.match(typo.stderr, /RUNBOOK_UNKNOWN: .*\(did you mean "journal-proposal"\?\)/);

  const inputFile = join(scratch, 'bad-input.json');
  await writeFile(inputFile, JSON.stringify({ entity: 'Not A Slug', period: '2025-13', expected_documents: [] }));
  const invalid = await cli(['start', 'month-end-close', '--input', inputFile]);
  assert.equal(invalid.code, 2, invalid.stderr);
  assert.match(invalid.stderr, /cannot start: INPUT_INVALID: input for month-end-close: .*entity/);
  assertNoStack(invalid);
});

test('bad JSON in flags and bad usage exit 2 before touching the server', async () => {
  const unreachable = { TEMPORAL_ADDRESS: `127.0.0.1:${await findFreePort()}` };
  const cases: [string[], RegExp][] = [
    [['signal', 'r', 'tb_submitted', '--payload', '{bad'], /--payload: not valid JSON/],
    [['act', 'r', 'corrected', '--corrections', '[1,'], /--corrections: not valid JSON/],
    [['act', 'r', 'approved', '--payload', '@/no/such/file.json'], /--payload @\/no\/such\/file\.json: ENOENT/],
    [['act', 'r', 'maybe'], /the outcome must be one of approved, rejected, corrected/],
    [['start', 'month-end-close', '--input', join(ROOT, 'runbooks/month-end-close.yaml')], /--input .*: not valid JSON/],
    [['status', 'r', '--format', 'xml'], /--format must be json or pretty/],
    [['status'], /missing ID/],
    [['signal', 'r'], /missing NAME/],
    [['cancel', 'a', 'b'], /unexpected argument "b"/],
  ];
  for (const [args, message] of cases) {
    const result = await cli(args, { env: unreachable });
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assertNoStack(result);
  }
});

test('worker: located errors for invalid runbooks; none valid is exit 2', async () => {
  const dir = join(scratch, 'invalid-runbooks');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  await writeFile(join(dir, 'broken.yaml'), 'slug: broken\ntitle: Broken\nsteps:\n  - id: a\n    title: A\n    call: { handler: no.such_handler }\n');
  const result = await cli(['worker', '--runbooks', dir], { env: { TEMPORAL_ADDRESS: `127.0.0.1:${await findFreePort()}` } });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /broken\.yaml:\d+:\d+/);
  assert.match(result.stderr, /no valid runbook in /);
  assertNoStack(result);
});

test('a worker that cannot reach its server leaves the state file of a live worker alone', async () => {
  const stateFile = join(scratch, 'live-worker-state.json');
  await writeFile(stateFile, '{"written_by":"the live worker"}\n');
  const result = await cli(['worker', '--state-file', stateFile], { env: { TEMPORAL_ADDRESS: `127.0.0.1:${await findFreePort()}` } });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /cannot reach the Temporal server/);
  assert.equal(await readFile(stateFile, 'utf8'), '{"written_by":"the live worker"}\n');
});

test('the worker stops cleanly on SIGTERM', async () => {
  assert.ok(worker && workerExit);
  worker.kill('SIGTERM');
  const [code] = await workerExit;
  assert.equal(code, 0, workerErr);
  assert.match(workerErr, /SIGTERM: stopping the worker/);
  assert.match(workerErr, /worker stopped/);
  assert.doesNotMatch(workerErr, /^\s+at .+:\d+:\d+\)?$/m, 'worker log lines carry no stacks');
});
