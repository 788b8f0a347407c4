import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calls } from '../support/inline-runbook.ts';
import { failureOf, harness, recorded, START } from './harness.ts';

const oneCall = (call: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  slug: 'calls',
  title: 'Calls',
  input: { type: 'object' },
  steps: [{ id: 'work', title: 'Work', call }],
  ...extra,
});

test('a call maps its arguments from the input and earlier step results', async () => {
  const { runtime, settle } = harness({
    slug: 'sums',
    title: 'Sums',
    steps: [
      { id: 'first', title: 'First', call: { handler: 'test.add', args: { a: '{% $input.x %}', b: 2 } } },
      { id: 'second', title: 'Second', call: { handler: 'test.add', args: { a: '{% $steps.first.sum %}', b: '{% $input.nested.y %}' } } },
    ],
    output: { total: '{% $steps.second.sum %}', label: 'total={% $steps.second.sum %}' },
  });
  const run = runtime.start('sums', { x: 1, nested: { y: 10 } });
  await settle();
  assert.deepEqual(await run.result(), { total: 13, label: 'total=13' });
});

test('a run without an output expression returns every step result by id', async () => {
  const { runtime, settle } = harness(oneCall({ handler: 'test.add', args: { a: 1, b: 1 } }));
  const run = runtime.start('calls', {});
  await settle();
  assert.deepEqual(await run.result(), { work: { sum: 2 } });
});

test('a flaky handler is retried until it succeeds and every attempt is counted', async () => {
  const { runtime, clock } = harness(oneCall({ handler: 'test.flaky', args: { failures: 2 }, retry: { max_attempts: 5, initial_interval: '1s' } }));
  const run = runtime.start('calls', {}, { runId: 'flaky-ok' });
  await clock.advance(60_000);
  assert.deepEqual(await run.result(), { work: { attempt: 3 } });
  assert.equal(calls.get('flaky-ok:work:0'), 3);
});

test('retries back off on the clock: initial interval, then multiplied by the coefficient', async () => {
  const { runtime, clock, events } = harness(
    oneCall({ handler: 'test.flaky', args: { failures: 3 }, retry: { max_attempts: 4, initial_interval: '1s', backoff_coefficient: 3 } }),
  );
  const run = runtime.start('calls', {}, { runId: 'backoff' });
  await clock.advance(0);
  assert.equal(calls.get('backoff:work:0'), 1);
  await clock.advance(999);
  assert.equal(calls.get('backoff:work:0'), 1, 'no retry before the initial interval');
  await clock.advance(1);
  assert.equal(calls.get('backoff:work:0'), 2);
  await clock.advance(2_999);
  assert.equal(calls.get('backoff:work:0'), 2, 'the second delay is 3s');
  await clock.advance(1);
  assert.equal(calls.get('backoff:work:0'), 3);
  await clock.advance(9_000);
  assert.deepEqual(await run.result(), { work: { attempt: 4 } });
  const retries = events.filter((event) => event.type === 'step.retrying');
  assert.deepEqual(
    retries.map((event) => [event.type === 'step.retrying' && event.attempt, event.at - START]),
    [
      [1, 0],
      [2, 1_000],
      [3, 4_000],
    ],
  );
});

test('the delay between retries never exceeds max_interval', async () => {
  const { runtime, clock } = harness(
    oneCall({ handler: 'test.flaky', args: { failures: 3 }, retry: { max_attempts: 4, initial_interval: '1s', backoff_coefficient: 10, max_interval: '2s' } }),
  );
  const run = runtime.start('calls', {}, { runId: 'capped' });
  await clock.advance(1_000);
  await clock.advance(2_000);
  assert.equal(calls.get('capped:work:0'), 3);
  await clock.advance(2_000);
  assert.deepEqual(await run.result(), { work: { attempt: 4 } });
});

test('a handler that keeps failing fails the step with its error type once max_attempts is reached', async () => {
  const { runtime, clock } = harness(oneCall({ handler: 'test.flaky', args: { failures: 9, type: 'LEDGER_DOWN' }, retry: { max_attempts: 3, initial_interval: '1s' } }));
  const run = runtime.start('calls', {}, { runId: 'exhausted' });
  await clock.advance(60_000);
  const failure = await failureOf(run);
  assert.equal(failure.type, 'LEDGER_DOWN');
  assert.equal(failure.step, 'work');
  assert.equal(calls.get('exhausted:work:0'), 3);
});

test('a non-retryable WorkflowError stops the step at once', async () => {
  const { runtime, clock, events } = harness(oneCall({ handler: 'test.flaky', args: { failures: 9, type: 'VALIDATION', non_retryable: true }, retry: { max_attempts: 5 } }));
  const run = runtime.start('calls', {}, { runId: 'non-retryable' });
  await clock.advance(0);
  const failure = await failureOf(run);
  assert.equal(failure.type, 'VALIDATION');
  assert.equal(calls.get('non-retryable:work:0'), 1);
  assert.equal(events.filter((event) => event.type === 'step.retrying').length, 0);
});

test('error types listed in non_retryable_types are not retried', async () => {
  const { runtime, clock } = harness(
    oneCall({ handler: 'test.flaky', args: { failures: 9, type: 'PERIOD_CLOSED' }, retry: { max_attempts: 5, non_retryable_types: ['PERIOD_CLOSED'] } }),
  );
  const run = runtime.start('calls', {}, { runId: 'listed' });
  await clock.advance(0);
  assert.equal((await failureOf(run)).type, 'PERIOD_CLOSED');
  assert.equal(calls.get('listed:work:0'), 1);
});

test('types not listed in non_retryable_types are still retried', async () => {
  const { runtime, clock } = harness(
    oneCall({ handler: 'test.flaky', args: { failures: 1, type: 'FLAKY' }, retry: { max_attempts: 2, non_retryable_types: ['PERIOD_CLOSED'] } }),
  );
  const run = runtime.start('calls', {}, { runId: 'unlisted' });
  await clock.advance(10_000);
  assert.deepEqual(await run.result(), { work: { attempt: 2 } });
});

test('an attempt that outlives its timeout fails with TIMEOUT after the retries', async () => {
  const { runtime, clock, events } = harness(oneCall({ handler: 'test.hang', args: {}, timeout: '5s', retry: { max_attempts: 2, initial_interval: '1s' } }));
  const run = runtime.start('calls', {});
  let settled = false;
  run.result().then(
    () => (settled = true),
    () => (settled = true),
  );
  await clock.advance(4_999);
  assert.equal(settled, false);
  await clock.advance(1);
  assert.deepEqual(events.filter((event) => event.type === 'step.retrying').map((event) => event.at - START), [5_000]);
  await clock.advance(5_999);
  assert.equal(settled, false, 'the second attempt starts after the 1s backoff and gets its own 5s');
  await clock.advance(1);
  const failure = await failureOf(run);
  assert.equal(failure.type, 'TIMEOUT');
  assert.equal(failure.step, 'work');
});

test('arguments that violate the handler input contract fail at once with HANDLER_INPUT_INVALID naming the step and the field', async () => {
  const { runtime, clock, events } = harness(oneCall({ handler: 'test.add', args: { a: 1, b: 'two' }, retry: { max_attempts: 5 } }));
  const run = runtime.start('calls', {});
  await clock.advance(0);
  const failure = await failureOf(run);
  assert.equal(failure.type, 'HANDLER_INPUT_INVALID');
  assert.match(failure.message, /"work"/);
  assert.match(failure.message, /\bb\b/);
  assert.equal(events.filter((event) => event.type === 'step.retrying').length, 0);
});

test('a result that violates the handler output contract fails at once with HANDLER_OUTPUT_INVALID naming the step and the field', async () => {
  const { runtime, clock, events } = harness(oneCall({ handler: 'test.bad_output', args: {}, retry: { max_attempts: 5 } }));
  const run = runtime.start('calls', {});
  await clock.advance(0);
  const failure = await failureOf(run);
  assert.equal(failure.type, 'HANDLER_OUTPUT_INVALID');
  assert.match(failure.message, /"work"/);
  assert.match(failure.message, /\bok\b/);
  assert.equal(events.filter((event) => event.type === 'step.retrying').length, 0);
});

test('on_error continue records the error as the step result and the run goes on', async () => {
  const { runtime, clock } = harness({
    slug: 'routes',
    title: 'Routes',
    steps: [
      {
        id: 'work',
        title: 'Work',
        call: { handler: 'test.flaky', args: { failures: 9, type: 'SOFT', non_retryable: true }, on_error: [{ type: 'OTHER', then: { fail: 'no' } }, { type: 'SOFT', then: 'continue' }] },
      },
      { id: 'after', title: 'After', call: { handler: 'test.record', args: { value: '{% $steps.work.error.type %}' } } },
    ],
  });
  const run = runtime.start('routes', {}, { runId: 'continue' });
  await clock.advance(0);
  const output = (await run.result()) as Record<string, any>;
  assert.equal(output.work.error.type, 'SOFT');
  assert.equal(output.after.value, 'SOFT');
  assert.deepEqual(await run.currentSteps().then((steps) => steps.map((step) => step.status)), ['completed', 'completed']);
});

test('on_error fail ends the run with the interpolated message and the error type', async () => {
  const { runtime, clock } = harness(
    oneCall({ handler: 'test.flaky', args: { failures: 9, type: 'PERIOD_CLOSED', non_retryable: true }, on_error: [{ type: 'PERIOD_CLOSED', then: { fail: 'period {% $input.period %} is closed' } }] }),
  );
  const run = runtime.start('calls', { period: '2026-01' });
  await clock.advance(0);
  const failure = await failureOf(run);
  assert.deepEqual(failure, { step: 'work', type: 'PERIOD_CLOSED', message: 'period 2026-01 is closed' });
});

test('an error no route matches fails the run with its own type', async () => {
  const { runtime, clock } = harness(
    oneCall({ handler: 'test.flaky', args: { failures: 9, type: 'HARD', non_retryable: true }, on_error: [{ type: 'SOFT', then: 'continue' }] }),
  );
  const run = runtime.start('calls', {});
  await clock.advance(0);
  assert.equal((await failureOf(run)).type, 'HARD');
});

test('on_error goto goes back to an earlier step, bounded by max_go_backs', async () => {
  const { runtime, clock, events } = harness({
    slug: 'loop',
    title: 'Loop',
    max_go_backs: 2,
    steps: [
      { id: 'prepare', title: 'Prepare', call: { handler: 'test.record', args: {} } },
      { id: 'work', title: 'Work', call: { handler: 'test.flaky', args: { failures: 9, non_retryable: true }, on_error: [{ then: { goto: 'prepare' } }] } },
    ],
  });
  const run = runtime.start('loop', {}, { runId: 'goto' });
  await clock.advance(0);
  const failure = await failureOf(run);
  assert.equal(failure.type, 'GO_BACK_LIMIT');
  assert.equal(failure.step, 'work');
  const iterations = events.flatMap((event) => (event.type === 'step.started' && event.stepId === 'prepare' ? [event.iteration] : []));
  assert.deepEqual(iterations, [0, 1, 2]);
});

test('handlers get an idempotency key of run id, step id and iteration, stable across attempts', async () => {
  recorded.length = 0;
  const { runtime, clock } = harness({
    slug: 'keys',
    title: 'Keys',
    steps: [
      { id: 'note', title: 'Note', call: { handler: 'test.record', args: {} } },
      { id: 'check', title: 'Check', review: { outcomes: { approved: 'continue', rejected: { goto: 'note' } } } },
    ],
  });
  const run = runtime.start('keys', {}, { runId: 'run-k' });
  await clock.advance(0);
  await run.userAction({ action: 'rejected' });
  await clock.advance(0);
  await run.userAction({ action: 'approved' });
  await run.result();
  assert.deepEqual(
    recorded.map((info) => [info.idempotencyKey, info.runId, info.stepId, info.iteration, info.attempt, info.runbook]),
    [
      ['run-k:note:0', 'run-k', 'note', 0, 1, 'keys'],
      ['run-k:note:1', 'run-k', 'note', 1, 1, 'keys'],
    ],
  );
});

test('a step whose when is false is skipped and has no result', async () => {
  const { runtime, clock, events } = harness({
    slug: 'skips',
    title: 'Skips',
    steps: [
      { id: 'maybe', title: 'Maybe', when: '{% $input.enabled %}', call: { handler: 'test.add', args: { a: 1, b: 1 } } },
      { id: 'never', title: 'Never', when: false, call: { handler: 'test.add', args: { a: 1, b: 1 } } },
      { id: 'always', title: 'Always', when: true, call: { handler: 'test.add', args: { a: 2, b: 2 } } },
    ],
  });
  const run = runtime.start('skips', { enabled: false });
  await clock.advance(0);
  assert.deepEqual(await run.result(), { always: { sum: 4 } });
  assert.deepEqual((await run.currentSteps()).map((step) => step.status), ['skipped', 'skipped', 'completed']);
  assert.deepEqual(events.filter((event) => event.type === 'step.skipped').map((event) => 'stepId' in event && event.stepId), ['maybe', 'never']);
});

test('a when expression that fails fails the step with EXPRESSION_FAILED', async () => {
  const { runtime, clock } = harness({
    slug: 'bad-when',
    title: 'Bad when',
    steps: [{ id: 'maybe', title: 'Maybe', when: '{% $error("boom") %}', call: { handler: 'test.add', args: { a: 1, b: 1 } } }],
  });
  const run = runtime.start('bad-when', {});
  await clock.advance(0);
  const failure = await failureOf(run);
  assert.equal(failure.type, 'EXPRESSION_FAILED');
  assert.equal(failure.step, 'maybe');
});

test('an unknown handler fails the step with HANDLER_UNKNOWN without retrying', async () => {
  const { runtime, clock, events } = harness(oneCall({ handler: 'test.nope', args: {} }));
  const run = runtime.start('calls', {});
  await clock.advance(0);
  assert.equal((await failureOf(run)).type, 'HANDLER_UNKNOWN');
  assert.equal(events.filter((event) => event.type === 'step.retrying').length, 0);
});
