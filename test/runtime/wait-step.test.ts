import { test } from 'node:test';
import assert from 'node:assert/strict';
import { START, failureOf, harness, statusesOf } from './harness.ts';

const signals = {
  tb_submitted: { payload: { type: 'object', required: ['period'], properties: { period: { type: 'string' }, file: { type: 'string' } } } },
  email_received: { payload: { type: 'object' } },
};

const waiting = (wait: Record<string, unknown>, before: unknown[] = []) => ({
  slug: 'waiting',
  title: 'Waiting',
  signals,
  steps: [...before, { id: 'upload', title: 'Upload', wait: { signal: 'tb_submitted', action: 'awaiting_tb_upload', ...wait } }],
});

test('a wait advertises its pending action and resumes with the first matching signal payload', async () => {
  const { runtime, settle, events } = harness(waiting({ display_hint: { source: 'upload' }, reason: 'TB for {% $input.period %}' }));
  const run = runtime.start('waiting', { period: '2026-01' });
  await settle();
  assert.deepEqual(await run.currentPendingAction(), {
    action: 'awaiting_tb_upload',
    display_hint: { source: 'upload' },
    reason: 'TB for 2026-01',
    step: 'upload',
    kind: 'signal',
    signals: ['tb_submitted'],
    step_title: 'Upload',
    since: new Date(START).toISOString(),
    deadline: null,
  });
  await run.signal('tb_submitted', { period: '2026-01', file: 'tb.csv' });
  assert.deepEqual(await run.result(), { upload: { period: '2026-01', file: 'tb.csv' } });
  assert.ok(events.some((event) => event.type === 'step.resumed' && event.by === 'signal:tb_submitted'));
});

test('a wait predicate skips payloads that do not satisfy it and keeps waiting', async () => {
  const { runtime, settle } = harness(waiting({ until: '{% $signal.period = $input.period %}' }));
  const run = runtime.start('waiting', { period: '2026-01' });
  await settle();
  await run.signal('tb_submitted', { period: '2025-12' });
  await settle();
  assert.equal((await statusesOf(run)).upload, 'waiting');
  await run.signal('tb_submitted', { period: '2026-01', file: 'right.csv' });
  assert.deepEqual(await run.result(), { upload: { period: '2026-01', file: 'right.csv' } });
});

test('a signal that arrives before the wait starts is kept and consumed by the wait', async () => {
  const { runtime, settle, events } = harness(waiting({}, [{ id: 'check', title: 'Check', review: {} }]));
  const run = runtime.start('waiting', {});
  await settle();
  await run.signal('tb_submitted', { period: '2026-01' });
  await run.userAction({ action: 'approved' });
  assert.deepEqual(((await run.result()) as Record<string, unknown>).upload, { period: '2026-01' });
  assert.ok(!events.some((event) => event.type === 'step.waiting' && event.stepId === 'upload'), 'the wait never had to wait');
});

test('a signal sent right after start, before any step ran, is kept', async () => {
  const { runtime } = harness(waiting({}));
  const run = runtime.start('waiting', {});
  await run.signal('tb_submitted', { period: '2026-02' });
  assert.deepEqual(await run.result(), { upload: { period: '2026-02' } });
});

test('a payload one wait did not match stays available to a later wait', async () => {
  const { runtime, settle } = harness({
    slug: 'two-waits',
    title: 'Two waits',
    signals,
    steps: [
      { id: 'january', title: 'January', wait: { signal: 'tb_submitted', action: 'a', until: '{% $signal.period = "2026-01" %}' } },
      { id: 'any', title: 'Any', wait: { signal: 'tb_submitted', action: 'b' } },
    ],
  });
  const run = runtime.start('two-waits', {});
  await settle();
  await run.signal('tb_submitted', { period: '2025-12' });
  await run.signal('tb_submitted', { period: '2026-01' });
  assert.deepEqual(await run.result(), { january: { period: '2026-01' }, any: { period: '2025-12' } });
});

test('a wait on several signal names resumes with whichever arrives first', async () => {
  const { runtime, settle, events } = harness(waiting({ signal: ['tb_submitted', 'email_received'] }));
  const run = runtime.start('waiting', {});
  await settle();
  assert.deepEqual((await run.currentPendingAction())?.signals, ['tb_submitted', 'email_received']);
  await run.signal('email_received', { from: 'cfo@example.com' });
  assert.deepEqual(await run.result(), { upload: { from: 'cfo@example.com' } });
  assert.ok(events.some((event) => event.type === 'step.resumed' && event.by === 'signal:email_received'));
});

test('a predicate can tell the signals apart by $signal_name', async () => {
  const { runtime, settle } = harness(waiting({ signal: ['tb_submitted', 'email_received'], until: '{% $signal_name = "tb_submitted" %}' }));
  const run = runtime.start('waiting', {});
  await settle();
  await run.signal('email_received', {});
  await settle();
  assert.equal((await statusesOf(run)).upload, 'waiting');
  await run.signal('tb_submitted', { period: 'x' });
  assert.deepEqual(await run.result(), { upload: { period: 'x' } });
});

test('received signals are visible to expressions as $signals.<name>', async () => {
  const { runtime, settle } = harness({
    ...waiting({}),
    output: { count: '{% $count($signals.tb_submitted) %}', none: '{% $count($signals.email_received) %}' },
  });
  const run = runtime.start('waiting', {});
  await settle();
  await run.signal('tb_submitted', { period: 'x' });
  assert.deepEqual(await run.result(), { count: 1, none: 0 });
});

test('a wait deadline with continue resumes with a null result when no signal arrives in time', async () => {
  const { runtime, clock } = harness(waiting({ deadline: { after: '5d', then: 'continue' } }));
  const run = runtime.start('waiting', {});
  await clock.advance(5 * 86_400_000 - 1);
  assert.equal((await statusesOf(run)).upload, 'waiting');
  await clock.advance(1);
  assert.deepEqual(await run.result(), { upload: null });
  assert.equal(await run.currentPendingAction(), null);
});

test('a wait deadline with fail ends the run with DEADLINE_EXCEEDED', async () => {
  const { runtime, clock } = harness(waiting({ deadline: { after: '1h', then: { fail: 'no TB for {% $input.period %}' } } }));
  const run = runtime.start('waiting', { period: '2026-01' });
  await clock.advance(3_600_000);
  assert.deepEqual(await failureOf(run), { step: 'upload', type: 'DEADLINE_EXCEEDED', message: 'no TB for 2026-01' });
});

test('a non-matching signal does not extend the wait deadline', async () => {
  const { runtime, clock } = harness(waiting({ until: '{% $signal.period = "2026-01" %}', deadline: { after: '1h', then: { fail: 'late' } } }));
  const run = runtime.start('waiting', {});
  await clock.advance(1_800_000);
  await run.signal('tb_submitted', { period: 'wrong' });
  await clock.advance(1_800_000);
  assert.equal((await failureOf(run)).type, 'DEADLINE_EXCEEDED');
});
