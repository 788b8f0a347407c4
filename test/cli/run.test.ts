import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertNoStack, ROOT, runCli, type CliResult } from '../support/run-cli.ts';

let dataDir: string;
let scratch: string;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'runbook-cli-data-'));
  scratch = await mkdtemp(join(tmpdir(), 'runbook-cli-files-'));
});

after(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

/** Runs `runbook run ...` with no terminal on stdin (so it may never prompt), on a fresh ledger. */
async function runRun(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const ledger = await mkdtemp(join(dataDir, 'run-'));
  const env = { ...process.env, RUNBOOK_DATA_DIR: ledger, TEMPORAL_ADDRESS: '', ...options.env };
  return runCli(['run', ...args], { env, stdin: options.stdin, timeoutMs: 20_000 });
}

async function tbSignal(): Promise<string> {
  return `tb_submitted=${await readFile(join(ROOT, 'runbooks/month-end-close.tb_submitted.json'), 'utf8')}`;
}

test('month-end close runs to completion with a scripted signal and review answer', async () => {
  const result = await runRun([
    'month-end-close',
    '--input',
    'runbooks/month-end-close.input.json',
    '--signal',
    await tbSignal(),
    '--answer',
    'review_extraction=approved',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const output = JSON.parse(result.stdout);
  assert.equal(output.review, 'approved');
  assert.equal(output.period_status, 'closed');
  assert.match(result.stderr, /^✓ Open period {2}completed$/m);
  assert.match(result.stderr, /ingest_documents\[0\] › /, 'child steps appear in the ladder');
  assert.match(result.stderr, /^INFO runbook: LocalRuntime active \(no TEMPORAL_ADDRESS/m, 'one INFO line names the runtime');
  assertNoStack(result);
});

test('--signal NAME=@FILE reads the payload from a file', async () => {
  const result = await runRun([
    'month-end-close',
    '--input',
    'runbooks/month-end-close.input.json',
    '--signal',
    'tb_submitted=@runbooks/month-end-close.tb_submitted.json',
    '--answer',
    'review_extraction=approved',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).period_status, 'closed');
});

test('a runbook file path runs as well as a slug, and a corrected answer carries its corrections', async () => {
  const result = await runRun([
    'runbooks/journal-proposal.yaml',
    '--input',
    'runbooks/journal-proposal.input.json',
    '--answer',
    'review_journal=corrected:{"memo":"Accrue January audit fee (corrected)"}',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).review, 'corrected');
});

test('the input can come from stdin with --input -', async () => {
  const input = await readFile(join(ROOT, 'runbooks/journal-proposal.input.json'), 'utf8');
  const result = await runRun(['journal-proposal', '--input', '-', '--answer', 'review_journal=approved'], { stdin: input });
  assert.equal(result.code, 0, result.stderr);
});

test('a failed run exits 1 and names the failed step and error type', async () => {
  const result = await runRun(['journal-proposal', '--input', 'runbooks/journal-proposal.input.json', '--answer', 'review_journal=rejected:the fee is already accrued']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^step "review_journal" failed: REVIEW_REJECTED: /m);
  assert.equal(result.stdout, '');
  assertNoStack(result);
});

test('a scripted rejection without the comment the review requires exits 1 with COMMENT_REQUIRED', async () => {
  const result = await runRun(['journal-proposal', '--input', 'runbooks/journal-proposal.input.json', '--answer', 'review_journal=rejected']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /--answer review_journal=rejected was refused: COMMENT_REQUIRED: /);
  assertNoStack(result);
});

test('a handler failure exits 1 naming the step and the WorkflowError type', async () => {
  const dir = join(scratch, 'failing');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'breaks.yaml'),
    ['slug: breaks', 'title: Breaks', 'steps:', '  - id: explode', '    title: Explode', '    call:', '      handler: util.fail', '      args: { type: LEDGER_DOWN, non_retryable: true }', ''].join('\n'),
  );
  const result = await runRun(['breaks', '--runbooks', dir]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /step "explode" failed: LEDGER_DOWN: /);
  assert.match(result.stderr, /✗ Explode {2}failed/);
  assertNoStack(result);
});

test('a wait with no scripted signal and no terminal exits 1 at once, naming the step and the flag', async () => {
  const result = await runRun(['month-end-close', '--input', 'runbooks/month-end-close.input.json']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /"await_trial_balance"/);
  assert.match(result.stderr, /--signal tb_submitted=/);
  assert.ok(result.ms < 30_000, `took ${result.ms} ms`);
  assertNoStack(result);
});

test('a review with no scripted answer and no terminal exits 1 at once, naming the step and the flag', async () => {
  const result = await runRun(['journal-proposal', '--input', 'runbooks/journal-proposal.input.json']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /"review_journal"/);
  assert.match(result.stderr, /--answer review_journal=/);
  assertNoStack(result);
});

test('a scripted signal that does not satisfy the wait predicate does not hang the run', async () => {
  const signal = `tb_submitted=${JSON.stringify({ period: '1999-01', filename: 'old.csv', content: 'x' })}`;
  const result = await runRun(['month-end-close', '--input', 'runbooks/month-end-close.input.json', '--signal', signal]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /"await_trial_balance"/);
});

test('a scripted answer the runtime refuses exits 1 with the rejection code', async () => {
  const result = await runRun(['journal-proposal', '--input', 'runbooks/journal-proposal.input.json', '--answer', 'review_journal=corrected:{"bogus":true}']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /CORRECTIONS_INVALID/);
  assertNoStack(result);
});

for (const [what, args, pattern] of [
  ['no runbook named', [], /name a runbook/],
  ['an unknown option', ['month-end-close', '--bogus'], /bogus/],
  ['a malformed --answer', ['month-end-close', '--answer', 'review=maybe'], /--answer/],
  ['a --signal without JSON', ['month-end-close', '--signal', 'tb_submitted={oops'], /--signal/],
  ['a --signal @FILE that does not exist', ['month-end-close', '--signal', 'tb_submitted=@no/such.json'], /--signal tb_submitted=@no\/such\.json/],
  ['an --input file that does not exist', ['month-end-close', '--input', 'no/such/input.json'], /--input/],
  ['an unknown slug', ['no-such-runbook'], /no-such-runbook/],
  ['input that fails the input schema', ['month-end-close'], /INPUT_INVALID/],
] as const) {
  test(`${what} is a usage error: exit 2, no stack trace`, async () => {
    const result = await runRun([...args]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, pattern);
    assertNoStack(result);
  });
}

test('a --signal or --answer name the runbook does not declare exits 2 with a did-you-mean before anything runs', async () => {
  const result = await runRun([
    'month-end-close',
    '--input',
    'runbooks/month-end-close.input.json',
    '--signal',
    'tb_submited={}',
    '--answer',
    'review_extracton=approved',
    '--answer',
    'await_trial_balance=approved',
  ]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /SIGNAL_UNKNOWN: --signal tb_submited=\.\.\.: .*\(did you mean "tb_submitted"\?\)/);
  assert.match(result.stderr, /ANSWER_UNKNOWN_STEP: --answer review_extracton=approved: .*\(did you mean "review_extraction"\?\)/);
  assert.match(result.stderr, /ANSWER_NOT_A_REVIEW: --answer await_trial_balance=approved: .*use --signal/);
  assert.doesNotMatch(result.stderr, /LocalRuntime active|Open period/, 'no runtime was started, no step ran');
  assertNoStack(result);
});

test("a child runbook's review step and signal are names a scripted answer may use", async () => {
  const result = await runRun(['month-end-close', '--input', 'runbooks/month-end-close.input.json', '--answer', 'review_extraction=approved', '--signal', await tbSignal(), '--answer', 'no_such_step=approved']);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /runbook "month-end-close" \(or a child it runs\) has no review step "no_such_step"/);
  assert.doesNotMatch(result.stderr, /review_extraction=approved:|SIGNAL_UNKNOWN/);
});

test('an unknown slug exits 2 with a did-you-mean', async () => {
  const result = await runRun(['month-end-clos']);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /no runbook "month-end-clos" in runbooks\/ \(did you mean "month-end-close"\?\)/);
  assertNoStack(result);
});

test("a handler's plain Error is shown with its stack only with RUNBOOK_DEBUG=1", async () => {
  const dir = join(scratch, 'buggy');
  await mkdir(join(dir, 'handlers'), { recursive: true });
  await writeFile(
    join(dir, 'handlers', 'index.mjs'),
    [
      `import { defineHandler, z } from ${JSON.stringify(pathToFileURL(join(ROOT, 'lib/index.js')).href)};`,
      'function crashOnPurpose() { throw new TypeError("the handler has a bug"); }',
      'export const handlers = [defineHandler({ name: "bug.crash", input: z.object({}), output: z.object({}), async run() { crashOnPurpose(); } })];',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'buggy.yaml'),
    ['slug: buggy', 'title: Buggy', 'steps:', '  - id: crash', '    title: Crash', '    call: { handler: bug.crash, args: {}, retry: { max_attempts: 1 } }', ''].join('\n'),
  );
  const args = ['buggy', '--runbooks', dir, '--handlers', join(dir, 'handlers')];
  const plain = await runRun(args);
  assert.equal(plain.code, 1, plain.stderr);
  assert.match(plain.stderr, /step "crash" failed: TypeError: the handler has a bug/);
  assertNoStack(plain);
  const debug = await runRun(args, { env: { RUNBOOK_DEBUG: '1' } });
  assert.equal(debug.code, 1, debug.stderr);
  assert.match(debug.stderr, /^\s+at crashOnPurpose /m);
});

test('an invalid runbook file exits 2 with located diagnostics', async () => {
  const file = join(scratch, 'broken.yaml');
  await writeFile(file, ['slug: broken', 'title: Broken', 'steps:', '  - id: one', '    title: One', '    call:', '      handler: util.nope', ''].join('\n'));
  const result = await runRun([file, '--runbooks', scratch]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /broken\.yaml:\d+:\d+: error RB_[A-Z_]+/);
  assertNoStack(result);
});

test('a misspelled option exits 2 with a did-you-mean and the synopsis, not the whole help', async () => {
  const result = await runRun(['month-end-close', '--inputs', 'runbooks/month-end-close.input.json']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown option --inputs \(did you mean --input\?\)/);
  assert.match(result.stderr, /^usage: runbook run/m);
  assert.ok(result.stderr.trim().split('\n').length <= 4, result.stderr);
  assertNoStack(result);
});

test('Ctrl-C of an in-process run exits 130 and says the run ends with the process', async () => {
  const file = join(dataDir, 'sleepy.yaml');
  await writeFile(file, 'slug: sleepy\ntitle: Sleepy\nsteps:\n  - id: nap\n    title: Nap\n    timer: { duration: 1h }\n');
  let stderr = '';
  const result = await runCli(['run', file, '--runbooks', dataDir], {
    env: { ...process.env, TEMPORAL_ADDRESS: '' },
    timeoutMs: 20_000,
    whileRunning: (child) => {
      child.stderr!.on('data', (chunk) => {
        stderr += chunk;
        // Plain (non-terminal) output shows settled steps only: interrupt a moment after start-up.
        if (stderr.includes('LocalRuntime active')) setTimeout(() => child.kill('SIGINT'), 2000);
      });
    },
  });
  assert.equal(result.code, 130, result.stderr);
  assert.match(result.stderr, /SIGINT: run sleepy-\S+ was in-process and ends here/);
  assertNoStack(result);
});

/** A project whose `spin` step never returns to the event loop: a handler in a CPU loop (no expression can: they are bounded, regexes linear). */
async function stuckProject(name: string): Promise<string[]> {
  const dir = join(scratch, name);
  await mkdir(join(dir, 'handlers'), { recursive: true });
  await writeFile(
    join(dir, 'handlers', 'index.mjs'),
    [
      `import { defineHandler, z } from ${JSON.stringify(pathToFileURL(join(ROOT, 'lib/index.js')).href)};`,
      'export const handlers = [',
      '  defineHandler({ name: "busy.warm", input: z.object({}), output: z.object({}), async run() { return {}; } }),',
      '  defineHandler({ name: "busy.spin", input: z.object({}).passthrough(), output: z.object({}), async run() { for (;;) {} } }),',
      '];',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, `${name}.yaml`),
    [
      `slug: ${name}`, `title: ${name}`, 'steps:',
      '  - id: warm', '    title: Warm up', '    call: { handler: busy.warm, args: {} }',
      '  - id: spin', '    title: Spin for ever', '    call: { handler: busy.spin, args: {}, retry: { max_attempts: 1 } }',
      '',
    ].join('\n'),
  );
  return [`${name}`, '--runbooks', dir, '--handlers', join(dir, 'handlers')];
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} stops an in-process run stuck in a synchronous handler loop within 2 s, naming the step`, async () => {
    const name = `stuck-handler-${signal.toLowerCase()}`;
    const args = await stuckProject(name);
    let stderr = '';
    let signalledAt = 0;
    const result = await runCli(['run', ...args], {
      env: { ...process.env, TEMPORAL_ADDRESS: '' },
      timeoutMs: 30_000,
      whileRunning: (child) => {
        child.stderr!.on('data', (chunk) => {
          stderr += chunk;
          // The run is in the spin step a moment after start-up (warm is instant); the child is then blocked.
          if (signalledAt === 0 && stderr.includes('LocalRuntime active')) {
            signalledAt = -1;
            setTimeout(() => {
              signalledAt = Date.now();
              child.kill(signal);
            }, 1500);
          }
        });
      },
    });
    const stoppedIn = Date.now() - signalledAt;
    assert.equal(result.code, signal === 'SIGTERM' ? 143 : 130, result.stderr);
    assert.ok(signalledAt > 0, 'the signal was sent');
    assert.ok(stoppedIn < 2000, `stopped ${stoppedIn} ms after ${signal}`);
    assert.match(result.stderr, new RegExp(`${signal}: run ${name}-\\S+ was in-process and ends here, interrupted at step "spin" \\(Spin for ever\\)`));
    assertNoStack(result);
  });
}
