/**
 * Found by the fault work: in-process, the system clock handed any delay above 2^31-1 ms
 * (~24.8 days) to setTimeout, which fires such a timer after 1 ms. A 30-day timer step, or a
 * review with a 30-day deadline, ended at once. Both now wait.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../../interpreter/runtime/clock.ts';
import { LocalRuntime } from '../../interpreter/runtime/local/index.ts';
import { definitionsOf, testHandlers } from '../support/inline-runbook.ts';

const DAY_MS = 86_400_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('the system clock does not fire a 30-day timer at once', async () => {
  let fired = false;
  const cancel = systemClock.setTimer(30 * DAY_MS, () => (fired = true));
  await pause(200);
  cancel();
  assert.equal(fired, false);
});

test('the system clock still fires short timers on time', async () => {
  const started = Date.now();
  await new Promise<void>((resolve) => systemClock.setTimer(50, resolve));
  assert.ok(Date.now() - started >= 45);
});

test('an in-process 30-day timer step and a review with a 30-day deadline keep waiting', async () => {
  const runtime = new LocalRuntime({
    handlers: testHandlers,
    definitions: definitionsOf(
      { slug: 'long-nap', title: 'Long nap', steps: [{ id: 'nap', title: 'Nap', timer: { duration: '30d' } }] },
      {
        slug: 'long-review',
        title: 'Long review',
        steps: [{ id: 'check', title: 'Check', review: { action: 'check', payload: {}, outcomes: { approved: 'continue' }, deadline: { after: '30d', outcome: 'approved' } } }],
      },
    ),
  });
  const nap = runtime.start('long-nap', {});
  const review = runtime.start('long-review', {});
  await pause(200);
  assert.equal((await nap.currentUiState()).status, 'running');
  assert.equal((await review.currentPendingAction())?.step, 'check');
  await Promise.all([nap.cancel(), review.cancel()]);
});
