/** `waitForPendingAction` on both runtimes: the pending action once the run waits, null once it ends. */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
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

for (const [name, create] of [
  ['in-process', localConformanceRuntime],
  ['Temporal', temporalConformanceRuntime],
] as const) {
  describe(`waitForPendingAction on ${name}`, () => {
    let runtime: ConformanceRuntime;
    after(async () => runtime?.close());

    test('resolves with the review once the run reaches it, and with null once the run has ended', async () => {
      runtime = await create();
      const run = await runtime.start([reviewed], 'wait-for-pending', {}, `wait-for-pending-${name === 'Temporal' ? 't' : 'l'}-${Date.now()}`);
      const pending = await run.waitForPendingAction();
      assert.equal(pending?.step, 'check');
      assert.deepEqual(pending?.outcomes, ['approved']);
      await run.userAction({ action: 'approved' });
      await run.result();
      assert.equal(await run.waitForPendingAction(), null);
    });
  });
}
