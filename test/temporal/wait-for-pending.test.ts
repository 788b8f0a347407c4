/**
 * `waitForPendingAction` and `waitForChange` on both runtimes: the pending action once the run waits,
 * never the wait an accepted signal or action just answered, null once the run ends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { localConformanceRuntime } from '../conformance/local-runtime.ts';
import type { ConformanceRuntime } from '../conformance/run-fixture.ts';
import { temporalConformanceRuntime } from '../conformance/temporal-runtime.ts';
import { runbookOf } from '../support/inline-runbook.ts';
import { closeTestTemporal } from '../support/temporal-env.ts';

after(closeTestTemporal);

const reviewed = runbookOf({
  slug: 'wait-for-pending',
  title: 'Wait for pending',
  steps: [
    { id: 'first', title: 'First', call: { handler: 'util.echo', args: { value: 1 } } },
    { id: 'check', title: 'Check', review: { reason: 'Approve it', outcomes: { approved: 'continue' } } },
  ],
});

/** An upload wait, then a review whose approval sends the run back to the upload: the race of issue 8, item 7. */
const sentBack = runbookOf({
  slug: 'wait-for-pending-loop',
  title: 'Wait for pending, sent back',
  signals: { uploaded: { payload: { type: 'object', properties: { n: { type: 'number' } } } } },
  steps: [
    { id: 'upload', title: 'Upload', wait: { signal: 'uploaded', action: 'awaiting_upload', until: '{% $signal.n > 0 %}' } },
    { id: 'check', title: 'Check', review: { outcomes: { approved: { goto: 'upload' }, corrected: 'continue' } } },
  ],
});

for (const [name, create] of [
  ['in-process', localConformanceRuntime],
  ['Temporal', temporalConformanceRuntime],
] as const) {
  describe(`waitForPendingAction on ${name}`, () => {
    let runtime: ConformanceRuntime;
    const runId = (label: string): string => `${label}-${name === 'Temporal' ? 't' : 'l'}-${Date.now()}`;
    before(async () => (runtime = await create()));
    after(async () => runtime?.close());

    test('resolves with the review once the run reaches it, and with null once the run has ended', async () => {
      const run = await runtime.start([reviewed], 'wait-for-pending', {}, runId('wait-for-pending'));
      const pending = await run.waitForPendingAction();
      assert.equal(pending?.step, 'check');
      assert.deepEqual(pending?.outcomes, ['approved']);
      await run.userAction({ action: 'approved' });
      await run.result();
      assert.equal(await run.waitForPendingAction(), null);
    });

    test('after a signal or an action, the next pending action is the one that follows, even when a review sends the run back', async () => {
      const run = await runtime.start([sentBack], 'wait-for-pending-loop', {}, runId('wait-for-pending-loop'));
      const trail: string[] = [];
      for (const round of [1, 2]) {
        assert.equal((await run.waitForPendingAction())?.step, 'upload', `round ${round}: the upload waits`);
        await run.signal('uploaded', { n: round });
        const review = await run.waitForPendingAction();
        assert.equal(review?.kind, 'review', `round ${round}: not the upload the signal answered`);
        trail.push(review.step);
        // The first approval goes back to the upload; the correction ends the run.
        await run.userAction(round === 1 ? { action: 'approved', step: 'check' } : { action: 'corrected', corrections: { ok: true }, step: 'check' });
      }
      assert.deepEqual(trail, ['check', 'check']);
      assert.equal(await run.waitForPendingAction(), null);
      const output = (await run.result()) as { upload: { n: number } };
      assert.equal(output.upload.n, 2);
    });

    test('a signal the wait does not accept leaves the same wait pending, and the next wait returns it', async () => {
      const run = await runtime.start([sentBack], 'wait-for-pending-loop', {}, runId('wait-for-pending-unmatched'));
      await run.waitForPendingAction();
      await run.signal('uploaded', { n: 0 });
      assert.equal((await run.waitForPendingAction())?.step, 'upload');
      await run.cancel();
    });

    test('waitForChange resolves with a newer state, and waitForPendingAction after a seen version skips the wait it showed', async () => {
      const run = await runtime.start([sentBack], 'wait-for-pending-loop', {}, runId('wait-for-change'));
      await run.waitForPendingAction();
      const waiting = await run.currentUiState();
      assert.equal(waiting.pending_action?.step, 'upload');
      const later = run.waitForPendingAction({ after: waiting.version });
      const changed = run.waitForChange(waiting.version);
      await run.signal('uploaded', { n: 1 });
      const state = await changed;
      assert.ok(state.version > waiting.version);
      assert.equal((await later)?.step, 'check');
      assert.equal((await run.currentUiState()).pending_action?.step, 'check');
      await run.cancel();
      const ended = await run.waitForChange((await run.currentUiState()).version);
      assert.equal(ended.status, 'cancelled');
    });
  });
}
