import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failureOf, harness, START, statusesOf } from './harness.ts';

const timed = (timer: Record<string, unknown>) => ({
  slug: 'timed',
  title: 'Timed',
  steps: [
    { id: 'sleep', title: 'Sleep', timer },
    { id: 'after', title: 'After', call: { handler: 'test.add', args: { a: 1, b: 1 } } },
  ],
});

test('a duration timer sleeps exactly that long on the clock', async () => {
  const { runtime, clock } = harness(timed({ duration: '2h' }));
  const run = runtime.start('timed', {});
  await clock.advance(2 * 3_600_000 - 1);
  assert.deepEqual(await statusesOf(run), { sleep: 'running', after: 'pending' });
  await clock.advance(1);
  assert.deepEqual(await run.result(), { sleep: null, after: { sum: 2 } });
});

test('an until timer sleeps until the time its expression gives', async () => {
  const { runtime, clock } = harness(timed({ until: '{% $input.at %}' }));
  const run = runtime.start('timed', { at: new Date(START + 90_000).toISOString() });
  await clock.advance(89_999);
  assert.equal((await statusesOf(run)).sleep, 'running');
  await clock.advance(1);
  assert.deepEqual(await run.result(), { sleep: null, after: { sum: 2 } });
});

test('an until timer in the past does not sleep', async () => {
  const { runtime, clock } = harness(timed({ until: '{% $input.at %}' }));
  const run = runtime.start('timed', { at: '2000-01-01T00:00:00Z' });
  await clock.advance(0);
  assert.equal(clock.pendingTimers, 0);
  assert.deepEqual(await run.result(), { sleep: null, after: { sum: 2 } });
});

test('an until timer that does not evaluate to a time fails with TIMER_INVALID_TIME', async () => {
  const { runtime, clock } = harness(timed({ until: '{% $input.at %}' }));
  const run = runtime.start('timed', { at: 'not a date' });
  await clock.advance(0);
  const failure = await failureOf(run);
  assert.equal(failure.type, 'TIMER_INVALID_TIME');
  assert.equal(failure.step, 'sleep');
});

test('$now() and $millis() in expressions read the runtime clock, not the host clock', async () => {
  const { runtime, clock } = harness({
    slug: 'clocked',
    title: 'Clocked',
    steps: [{ id: 'sleep', title: 'Sleep', timer: { duration: '1h' } }],
    output: { now: '{% $now() %}', millis: '{% $millis() %}', day: "{% $now('[Y0001]-[M01]-[D01]') %}", until: '{% $millis() + 60000 %}' },
  });
  const run = runtime.start('clocked', {});
  await clock.advance(3_600_000);
  const later = START + 3_600_000;
  assert.deepEqual(await run.result(), { now: new Date(later).toISOString(), millis: later, day: '2026-01-31', until: later + 60_000 });
});
