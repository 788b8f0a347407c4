import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../../interpreter/runtime/clock.ts';
import { LocalRuntime } from '../../interpreter/runtime/local/index.ts';
import { definitionsOf } from '../support/inline-runbook.ts';
import { START, failureOf, handlers, harness, statusesOf, trace } from './harness.ts';

const corrections = { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } }, additionalProperties: false };

const reviewed = (review: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  slug: 'reviewed',
  title: 'Reviewed',
  steps: [
    { id: 'extract', title: 'Extract', call: { handler: 'test.add', args: { a: 40, b: 2 } } },
    { id: 'check', title: 'Check', icon: 'FileCheck', review: { payload: '{% $steps.extract %}', reason: 'Check {% $steps.extract.sum %}', ...review } },
    { id: 'after', title: 'After', call: { handler: 'test.record', args: { value: '{% $steps.check.action %}' } } },
  ],
  ...extra,
});

test('a review advertises its payload, reason, hint and outcomes while it waits', async () => {
  const { runtime, settle } = harness(reviewed({ display_hint: { type: 'review_extraction' }, action: 'approve_extraction' }));
  const run = runtime.start('reviewed', {});
  await settle();
  assert.deepEqual(await run.currentPendingAction(), {
    action: 'approve_extraction',
    display_hint: { type: 'review_extraction' },
    reason: 'Check 42',
    step: 'check',
    kind: 'review',
    payload: { sum: 42 },
    outcomes: ['approved', 'rejected', 'corrected'],
    step_title: 'Check',
    since: new Date(START).toISOString(),
    deadline: null,
  });
  assert.equal((await statusesOf(run)).check, 'waiting');
});

test('an approved review continues by default and its result is the user action', async () => {
  const { runtime, settle } = harness(reviewed({}));
  const run = runtime.start('reviewed', {});
  await settle();
  await run.userAction({ action: 'approved' });
  const output = (await run.result()) as Record<string, any>;
  assert.deepEqual(output.check, { action: 'approved', payload: { sum: 42 }, corrections: null, actor: null, comment: null });
  assert.equal(output.after.value, 'approved');
  assert.equal(await run.currentPendingAction(), null);
});

test('a rejected review fails the run with REVIEW_REJECTED by default', async () => {
  const { runtime, settle } = harness(reviewed({}));
  const run = runtime.start('reviewed', {});
  await settle();
  await run.userAction({ action: 'rejected' });
  const failure = await failureOf(run);
  assert.equal(failure.type, 'REVIEW_REJECTED');
  assert.equal(failure.step, 'check');
  assert.equal((await statusesOf(run)).after, 'pending');
});

test('a corrected review continues by default with the corrections in its result', async () => {
  const { runtime, settle } = harness(reviewed({ corrections }));
  const run = runtime.start('reviewed', {});
  await settle();
  await run.userAction({ action: 'corrected', corrections: { amount: 41 }, payload: { sum: 41 } });
  const output = (await run.result()) as Record<string, any>;
  assert.deepEqual(output.check, { action: 'corrected', payload: { sum: 41 }, corrections: { amount: 41 }, actor: null, comment: null });
});

test('declared outcomes choose the transition: rejected can fail with an interpolated message', async () => {
  const { runtime, settle } = harness(reviewed({ outcomes: { approved: 'continue', rejected: { fail: 'sum {% $steps.extract.sum %} rejected' } } }));
  const run = runtime.start('reviewed', {});
  await settle();
  assert.deepEqual((await run.currentPendingAction())?.outcomes, ['approved', 'rejected']);
  await run.userAction({ action: 'rejected' });
  assert.deepEqual(await failureOf(run), { step: 'check', type: 'REVIEW_REJECTED', message: 'sum 42 rejected' });
});

test('a review outcome may go back to an earlier step, which runs again', async () => {
  const { runtime, settle, events } = harness(reviewed({ outcomes: { approved: 'continue', rejected: { goto: 'extract' } } }));
  const run = runtime.start('reviewed', {});
  await settle();
  await run.userAction({ action: 'rejected' });
  await settle();
  assert.deepEqual(await statusesOf(run), { extract: 'completed', check: 'waiting', after: 'pending' });
  await run.userAction({ action: 'approved' });
  await run.result();
  assert.deepEqual(trace(events).filter((entry) => entry.startsWith('step.started')), [
    'step.started:extract',
    'step.started:check',
    'step.started:extract',
    'step.started:check',
    'step.started:after',
  ]);
});

test('going back more than max_go_backs times fails with GO_BACK_LIMIT', async () => {
  const { runtime, settle } = harness(reviewed({ outcomes: { approved: 'continue', rejected: { goto: 'extract' } } }, { max_go_backs: 2 }));
  const run = runtime.start('reviewed', {});
  for (let i = 0; i < 2; i++) {
    await settle();
    await run.userAction({ action: 'rejected' });
  }
  await settle();
  assert.equal((await run.currentPendingAction())?.step, 'check', 'two go-backs are allowed');
  await run.userAction({ action: 'rejected' });
  const failure = await failureOf(run);
  assert.equal(failure.type, 'GO_BACK_LIMIT');
  assert.equal(failure.step, 'check');
});

test('max_go_backs 0 forbids any go-back', async () => {
  const { runtime, settle } = harness(reviewed({ outcomes: { approved: 'continue', rejected: { goto: 'extract' } } }, { max_go_backs: 0 }));
  const run = runtime.start('reviewed', {});
  await settle();
  await run.userAction({ action: 'rejected' });
  assert.equal((await failureOf(run)).type, 'GO_BACK_LIMIT');
});

test('a review nobody acts on resolves with the deadline outcome when the deadline passes', async () => {
  const { runtime, clock, events } = harness(reviewed({ deadline: { after: '2h', outcome: 'approved' } }));
  const run = runtime.start('reviewed', {});
  await clock.advance(2 * 3_600_000 - 1);
  assert.equal((await run.currentPendingAction())?.step, 'check');
  await clock.advance(1);
  const output = (await run.result()) as Record<string, any>;
  assert.equal(output.check.action, 'approved');
  assert.ok(events.some((event) => event.type === 'step.resumed' && event.by === 'deadline'));
});

test('a deadline outcome of rejected takes the rejected transition', async () => {
  const { runtime, clock } = harness(reviewed({ deadline: { after: '1d', outcome: 'rejected' } }));
  const run = runtime.start('reviewed', {});
  await clock.advance(86_400_000);
  assert.equal((await failureOf(run)).type, 'REVIEW_REJECTED');
});

test('an action before the deadline wins and cancels the deadline timer', async () => {
  const { runtime, clock } = harness(reviewed({ deadline: { after: '1h', outcome: 'rejected' } }));
  const run = runtime.start('reviewed', {});
  await clock.advance(0);
  assert.equal(clock.pendingTimers, 1);
  await run.userAction({ action: 'approved' });
  await clock.advance(0);
  assert.equal(clock.pendingTimers, 0);
  assert.equal(((await run.result()) as Record<string, any>).check.action, 'approved');
});

test('after going back, the default output still lists step results in step order', async () => {
  const { runtime, settle } = harness(reviewed({ outcomes: { approved: 'continue', rejected: { goto: 'extract' } } }));
  const run = runtime.start('reviewed', {});
  await settle();
  await run.userAction({ action: 'rejected' });
  await settle();
  await run.userAction({ action: 'approved' });
  assert.deepEqual(Object.keys((await run.result()) as object), ['extract', 'check', 'after']);
});

test('an action accepted as the deadline fires, before the review resumes, is the answer (the caller was told it was taken)', async () => {
  // A clock whose timers the test fires by hand, so the action lands between the deadline and the review resuming.
  const timers: (() => void)[] = [];
  const clock: Clock = { now: () => START, setTimer: (_ms, fire) => (timers.push(fire), () => undefined) };
  const runtime = new LocalRuntime({ definitions: definitionsOf(reviewed({ deadline: { after: '1h', outcome: 'rejected' } })), handlers, clock });
  const run = runtime.start('reviewed', {});
  for (let i = 0; i < 20 && (await run.currentPendingAction()) === null; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal((await run.currentPendingAction())?.step, 'check');
  timers.at(-1)!();
  await run.userAction({ action: 'approved' });
  const output = (await run.result()) as Record<string, any>;
  assert.equal(output.check.action, 'approved');
});
