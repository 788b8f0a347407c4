import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalRuntime } from '../../interpreter/runtime/local/index.ts';
import { RunCancelledError, RunNotFoundError, StartRejectedError } from '../../interpreter/runtime/runtime-errors.ts';
import { z } from 'zod';
import { defineHandler, HandlerRegistry } from '../../interpreter/handlers/index.ts';
import { SimulatedClock } from '../../interpreter/runtime/clock.ts';
import { definitionsOf } from '../support/inline-runbook.ts';
import { START, failureOf, handlers, harness, microtasks, statusesOf, trace } from './harness.ts';

const strict = {
  slug: 'strict',
  title: 'Strict',
  input: { type: 'object', required: ['period'], properties: { period: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}$' } }, additionalProperties: false },
  signals: { nudge: {} },
  steps: [
    { id: 'open', title: 'Open', icon: 'CalendarPlus', call: { handler: 'test.add', args: { a: 1, b: 2 } } },
    { id: 'optional', title: 'Optional', when: false, call: { handler: 'test.add', args: { a: 1, b: 2 } } },
    { id: 'check', title: 'Check', icon: 'FileCheck', review: { reason: 'Check {% $input.period %}' } },
    { id: 'nudge', title: 'Nudge', wait: { signal: 'nudge', action: 'awaiting_nudge' } },
    { id: 'close', title: 'Close', call: { handler: 'test.hang', args: {}, timeout: '1h', retry: { max_attempts: 1 } } },
  ],
};

test('a start with input that fails the input schema is refused with INPUT_INVALID', () => {
  const { runtime } = harness(strict);
  assert.throws(() => runtime.start('strict', { period: 'January' }), (error: unknown) => error instanceof StartRejectedError && error.code === 'INPUT_INVALID');
  assert.throws(
    () => runtime.start('strict', { period: '2026-01', extra: 1 }),
    (error: unknown) => error instanceof StartRejectedError && error.code === 'INPUT_INVALID' && error.message.includes('"extra"'),
  );
  assert.deepEqual(runtime.list(), [], 'no run was created');
});

test('a start of an unknown slug is refused with RUNBOOK_UNKNOWN', () => {
  const { runtime } = harness(strict);
  assert.throws(() => runtime.start('strikt', {}), (error: unknown) => error instanceof StartRejectedError && error.code === 'RUNBOOK_UNKNOWN');
});

test('a start with a run id already in use is refused', () => {
  const { runtime } = harness(strict);
  runtime.start('strict', { period: '2026-01' }, { runId: 'same' });
  assert.throws(() => runtime.start('strict', { period: '2026-01' }, { runId: 'same' }), StartRejectedError);
});

test('an unknown run id is RUN_NOT_FOUND', () => {
  const { runtime } = harness(strict);
  assert.throws(() => runtime.get('nope'), (error: unknown) => error instanceof RunNotFoundError && error.code === 'RUN_NOT_FOUND');
});

test('current_steps shows every status as the run moves: pending, running, waiting, completed, skipped, failed', async () => {
  const { runtime, clock, settle } = harness(strict);
  const run = runtime.start('strict', { period: '2026-01' });
  assert.deepEqual(await statusesOf(run), { open: 'pending', optional: 'pending', check: 'pending', nudge: 'pending', close: 'pending' });
  await settle();
  assert.deepEqual(await statusesOf(run), { open: 'completed', optional: 'skipped', check: 'waiting', nudge: 'pending', close: 'pending' });
  await run.userAction({ action: 'approved' });
  await settle();
  assert.deepEqual(await statusesOf(run), { open: 'completed', optional: 'skipped', check: 'completed', nudge: 'waiting', close: 'pending' });
  await run.signal('nudge', null);
  await settle();
  assert.equal((await statusesOf(run)).close, 'running');
  await clock.advance(3_600_000);
  await failureOf(run);
  assert.deepEqual(await statusesOf(run), { open: 'completed', optional: 'skipped', check: 'completed', nudge: 'completed', close: 'failed' });
  const at = new Date(START).toISOString();
  assert.deepEqual((await run.currentSteps())[0], { id: 'open', title: 'Open', status: 'completed', icon: 'CalendarPlus', started_at: at, ended_at: at, iteration: 0, attempts: 1 });
  // The step that timed out an hour later: its timings span the hour on the run's clock.
  const close = (await run.currentSteps())[4];
  assert.equal(close.started_at, at);
  assert.equal(close.ended_at, new Date(START + 3_600_000).toISOString());
  assert.equal((await run.currentSteps())[1].icon, null);
});

test('current_ui_state combines status, current step, pending action, steps and error', async () => {
  const { runtime, clock, settle } = harness(strict);
  const run = runtime.start('strict', { period: '2026-01' }, { runId: 'ui' });
  await settle();
  const waiting = await run.currentUiState();
  assert.equal(waiting.run_id, 'ui');
  assert.equal(waiting.runbook, 'strict');
  assert.equal(waiting.title, 'Strict');
  assert.equal(waiting.status, 'waiting');
  assert.equal(waiting.current_step, 'check');
  assert.deepEqual(waiting.pending_action, await run.currentPendingAction());
  assert.equal(waiting.pending_action?.reason, 'Check 2026-01');
  assert.deepEqual(waiting.steps, await run.currentSteps());
  assert.equal(waiting.error, null);
  await run.userAction({ action: 'approved' });
  await run.signal('nudge');
  await settle();
  const running = await run.currentUiState();
  assert.equal(running.status, 'running');
  assert.equal(running.current_step, 'close');
  assert.equal(running.pending_action, null);
  await clock.advance(3_600_000);
  const failed = await run.currentUiState();
  assert.equal(failed.status, 'failed');
  assert.equal(failed.current_step, null);
  assert.equal(failed.error?.type, 'TIMEOUT');
  assert.equal(failed.error?.step, 'close');
});

test('a completed run reports status completed and no pending action', async () => {
  const { runtime, settle } = harness({ slug: 'tiny', title: 'Tiny', steps: [{ id: 'one', title: 'One', call: { handler: 'test.add', args: { a: 1, b: 1 } } }] });
  const run = runtime.start('tiny', {});
  await settle();
  await run.result();
  const ui = await run.currentUiState();
  assert.equal(ui.status, 'completed');
  assert.equal(ui.pending_action, null);
});

test('cancelling a run waiting on a review ends it as cancelled and drops its pending action', async () => {
  const { runtime, clock, settle } = harness(strict);
  const run = runtime.start('strict', { period: '2026-01' });
  await settle();
  await run.cancel();
  await assert.rejects(run.result(), (error: unknown) => error instanceof RunCancelledError && error.code === 'RUN_CANCELLED');
  const ui = await run.currentUiState();
  assert.equal(ui.status, 'cancelled');
  assert.equal(ui.pending_action, null);
  assert.equal(clock.pendingTimers, 0);
});

test('cancelling a run in a handler call aborts the call and clears its timeout', async () => {
  const { runtime, clock, settle } = harness(strict);
  const run = runtime.start('strict', { period: '2026-01' });
  await settle();
  await run.userAction({ action: 'approved' });
  await run.signal('nudge');
  await settle();
  assert.equal((await statusesOf(run)).close, 'running');
  await run.cancel();
  await assert.rejects(run.result(), RunCancelledError);
  await settle();
  assert.equal(clock.pendingTimers, 0);
});

test('the event stream reports a run in order', async () => {
  const { runtime, clock, settle, events } = harness(strict);
  const run = runtime.start('strict', { period: '2026-01' }, { runId: 'ev' });
  await settle();
  await run.userAction({ action: 'approved' });
  await settle();
  await run.signal('nudge');
  await clock.advance(3_600_000);
  await failureOf(run);
  assert.deepEqual(trace(events, 'ev'), [
    'step.started:open',
    'step.completed:open',
    'step.skipped:optional',
    'step.started:check',
    'step.waiting:check',
    'step.resumed:check',
    'step.completed:check',
    'step.started:nudge',
    'step.waiting:nudge',
    'step.resumed:nudge',
    'step.completed:nudge',
    'step.started:close',
    'step.failed:close',
    'run.failed',
  ]);
  const completed = events.find((event) => event.type === 'step.completed' && event.stepId === 'open');
  assert.deepEqual(completed?.type === 'step.completed' && completed.result, { sum: 3 });
  const resumed = events.filter((event) => event.type === 'step.resumed').map((event) => event.type === 'step.resumed' && event.by);
  assert.deepEqual(resumed, ['user_action:approved', 'signal:nudge']);
});

test('unsubscribing from events stops delivery', async () => {
  const { runtime, settle } = harness(strict);
  const seen: string[] = [];
  const off = runtime.onEvent((event) => seen.push(event.type));
  const run = runtime.start('strict', { period: '2026-01' });
  await settle();
  off();
  const count = seen.length;
  await run.userAction({ action: 'approved' });
  await settle();
  assert.equal(seen.length, count);
  await run.cancel();
});

test('a review without a deadline waits with no timer pending on the clock', async () => {
  const { runtime, clock, settle } = harness(strict);
  const run = runtime.start('strict', { period: '2026-01' });
  await settle();
  assert.equal((await run.currentPendingAction())?.step, 'check');
  assert.equal(clock.pendingTimers, 0, 'no polling timer');
  await run.cancel();
});

test('a user action resumes the review within the same macrotask turn (no polling)', async () => {
  const { runtime, settle, events } = harness(strict);
  const run = runtime.start('strict', { period: '2026-01' }, { runId: 'fast' });
  await settle();
  await run.userAction({ action: 'approved' });
  await microtasks();
  assert.ok(trace(events, 'fast').includes('step.completed:check'));
  assert.ok(trace(events, 'fast').includes('step.waiting:nudge'));
  await run.signal('nudge');
  await microtasks();
  assert.ok(trace(events, 'fast').includes('step.completed:nudge'));
  await run.cancel();
});

test('on the system clock a signal resumes the wait before any macrotask runs', async () => {
  const runtime = new LocalRuntime({ definitions: definitionsOf(strict), handlers });
  const run = runtime.start('strict', { period: '2026-01' });
  const seen: string[] = [];
  runtime.onEvent((event) => seen.push(`${event.type}:${'stepId' in event ? event.stepId : ''}`));
  await new Promise((resolve) => setImmediate(resolve));
  await run.userAction({ action: 'approved' });
  await microtasks();
  await run.signal('nudge');
  let macrotaskRan = false;
  setImmediate(() => (macrotaskRan = true));
  await microtasks();
  assert.equal(macrotaskRan, false);
  assert.ok(seen.includes('step.resumed:nudge'));
  await run.cancel();
});

test('cancelling a parent cancels the child runs it is waiting on, as on Temporal', async () => {
  const parent = {
    slug: 'parent',
    title: 'Parent',
    steps: [{ id: 'kids', title: 'Kids', child: { runbook: 'waiting-child', for_each: '{% [1, 2] %}' } }],
  };
  const child = {
    slug: 'waiting-child',
    title: 'Waiting child',
    steps: [{ id: 'check', title: 'Check', review: { reason: 'child review' } }],
  };
  const { runtime, settle } = harness(parent, child);
  const run = runtime.start('parent', {}, { runId: 'p' });
  await settle();
  const children = runtime.list().filter((handle) => handle.runId !== 'p');
  assert.equal(children.length, 2);
  for (const handle of children) assert.equal((await handle.currentPendingAction())?.step, 'check');
  await run.cancel();
  await settle();
  for (const handle of children) {
    await assert.rejects(handle.result(), RunCancelledError);
    assert.equal((await handle.currentUiState()).status, 'cancelled');
  }
});

test('two runbooks whose input schemas share an $id both check their own input', async () => {
  const first = { slug: 'first', title: 'First', input: { $id: 'https://example.com/input.json', type: 'object', required: ['a'] }, steps: [{ id: 't', title: 'T', timer: { duration: '0ms' } }] };
  const second = { slug: 'second', title: 'Second', input: { $id: 'https://example.com/input.json', type: 'object', required: ['b'] }, steps: [{ id: 't', title: 'T', timer: { duration: '0ms' } }] };
  const { runtime } = harness(first, second);
  assert.throws(() => runtime.start('first', {}), (error: unknown) => error instanceof StartRejectedError && /'a'/.test(error.message));
  assert.throws(() => runtime.start('second', {}), (error: unknown) => error instanceof StartRejectedError && /'b'/.test(error.message));
});

test('cancelling a run in a handler call that ignores its abort signal ends the run at once, as on Temporal', async () => {
  const stubborn = defineHandler({ name: 'test.stubborn', input: z.object({}), output: z.object({}), run: () => new Promise<never>(() => undefined) });
  const clock = new SimulatedClock();
  const runtime = new LocalRuntime({
    definitions: definitionsOf({ slug: 'stuck', title: 'Stuck', steps: [{ id: 'call', title: 'Call', call: { handler: 'test.stubborn', args: {}, timeout: '1h' } }] }),
    handlers: new HandlerRegistry([stubborn]),
    clock,
  });
  const run = runtime.start('stuck', {});
  await clock.advance(0);
  assert.equal((await statusesOf(run)).call, 'running');
  const ended = await Promise.race([run.cancel().then(() => 'cancelled'), new Promise((resolve) => setTimeout(resolve, 500, 'still waiting'))]);
  assert.equal(ended, 'cancelled');
  await assert.rejects(run.result(), RunCancelledError);
  assert.equal(clock.pendingTimers, 0);
});
