import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LocalRunHandle } from '../../interpreter/runtime/local/index.ts';
import { ActionRejectedError } from '../../interpreter/runtime/runtime-errors.ts';
import { harness } from './harness.ts';

const corrections = { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } };

const flow = {
  slug: 'flow',
  title: 'Flow',
  signals: { tb_submitted: { payload: { type: 'object', required: ['period'], properties: { period: { type: 'string' } } } } },
  steps: [
    { id: 'busy', title: 'Busy', when: '{% $input.hang = true %}', call: { handler: 'test.hang', args: {}, timeout: '1h' } },
    { id: 'upload', title: 'Upload', when: '{% $input.upload = true %}', wait: { signal: 'tb_submitted', action: 'awaiting_tb_upload' } },
    { id: 'check', title: 'Check', review: { outcomes: { approved: 'continue', corrected: 'continue' }, corrections } },
  ],
};

/** Everything a caller can observe about a run, plus its internal state between steps. */
async function observe(run: LocalRunHandle): Promise<unknown> {
  return { ui: await run.currentUiState(), pending: await run.currentPendingAction(), snapshot: run.interpreter.snapshot() };
}

async function expectRejected(run: LocalRunHandle, act: () => Promise<void>, code: string): Promise<void> {
  const before = await observe(run);
  await assert.rejects(act, (error: unknown) => {
    assert.ok(error instanceof ActionRejectedError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
  assert.deepEqual(await observe(run), before, 'a rejected action or signal changes nothing');
}

async function atReview() {
  const h = harness(flow);
  const run = h.runtime.start('flow', {});
  await h.settle();
  assert.equal((await run.currentPendingAction())?.step, 'check');
  return { ...h, run };
}

test('a user action while nothing is pending is rejected with NO_PENDING_ACTION', async () => {
  const { runtime, settle } = harness(flow);
  const run = runtime.start('flow', { hang: true });
  await settle();
  await expectRejected(run, () => run.userAction({ action: 'approved' }), 'NO_PENDING_ACTION');
  await run.cancel();
});

test('a user action after the run completed is rejected with NO_PENDING_ACTION', async () => {
  const { run } = await atReview();
  await run.userAction({ action: 'approved' });
  await run.result();
  await expectRejected(run, () => run.userAction({ action: 'approved' }), 'NO_PENDING_ACTION');
});

test('an outcome the review does not list is rejected with OUTCOME_NOT_ALLOWED', async () => {
  const { run } = await atReview();
  await expectRejected(run, () => run.userAction({ action: 'rejected' }), 'OUTCOME_NOT_ALLOWED');
});

test('corrections that fail the review schema are rejected with CORRECTIONS_INVALID', async () => {
  const { run } = await atReview();
  await expectRejected(run, () => run.userAction({ action: 'corrected', corrections: { amount: 'ten' } }), 'CORRECTIONS_INVALID');
});

test('a corrected action without corrections is rejected with CORRECTIONS_INVALID', async () => {
  const { run } = await atReview();
  await expectRejected(run, () => run.userAction({ action: 'corrected' }), 'CORRECTIONS_INVALID');
});

test('an action naming another step is rejected with WRONG_STEP', async () => {
  const { run } = await atReview();
  await expectRejected(run, () => run.userAction({ action: 'approved', step: 'upload' }), 'WRONG_STEP');
});

test('an action naming the waiting step is accepted', async () => {
  const { run } = await atReview();
  await run.userAction({ action: 'approved', step: 'check' });
  await run.result();
});

test('a user action while the run waits on a signal is rejected with NOT_A_REVIEW', async () => {
  const { runtime, settle } = harness(flow);
  const run = runtime.start('flow', { upload: true });
  await settle();
  assert.equal((await run.currentPendingAction())?.kind, 'signal');
  await expectRejected(run, () => run.userAction({ action: 'approved' }), 'NOT_A_REVIEW');
});

for (const [what, action] of [
  ['an unknown outcome', { action: 'maybe' }],
  ['a missing outcome', {}],
  ['a non-object', 'approved'],
  ['null', null],
  ['an array', ['approved']],
  ['a step that is not a string', { action: 'approved', step: 7 }],
] as const) {
  test(`a malformed user action (${what}) is rejected with ACTION_INVALID`, async () => {
    const { run } = await atReview();
    await expectRejected(run, () => run.userAction(action as never), 'ACTION_INVALID');
  });
}

test('after rejected actions the review still accepts a valid one', async () => {
  const { run } = await atReview();
  await assert.rejects(run.userAction({ action: 'rejected' }));
  await assert.rejects(run.userAction({ action: 'corrected', corrections: { amount: 'x' } }));
  await run.userAction({ action: 'corrected', corrections: { amount: 3 } });
  assert.deepEqual(((await run.result()) as Record<string, any>).check.corrections, { amount: 3 });
});

test('an undeclared signal is rejected with SIGNAL_UNKNOWN', async () => {
  const { runtime, settle } = harness(flow);
  const run = runtime.start('flow', { upload: true });
  await settle();
  await expectRejected(run, () => run.signal('email_received', {}), 'SIGNAL_UNKNOWN');
});

test('a signal named like an Object prototype property is rejected with SIGNAL_UNKNOWN', async () => {
  const { run } = await atReview();
  await expectRejected(run, () => run.signal('constructor', {}), 'SIGNAL_UNKNOWN');
});

test('a signal whose payload fails its schema is rejected with SIGNAL_PAYLOAD_INVALID', async () => {
  const { runtime, settle } = harness(flow);
  const run = runtime.start('flow', { upload: true });
  await settle();
  await expectRejected(run, () => run.signal('tb_submitted', { period: 202601 }), 'SIGNAL_PAYLOAD_INVALID');
  await run.signal('tb_submitted', { period: '2026-01' });
  await settle();
  assert.equal((await run.currentPendingAction())?.step, 'check');
});

test('what the queries return is a copy: a caller changing it changes nothing in the run (as on Temporal)', async () => {
  const { run } = await atReview();
  const pending = (await run.currentPendingAction()) as unknown as { outcomes: string[] };
  pending.outcomes.push('rejected');
  const ui = (await run.currentUiState()) as unknown as { pending_action: { outcomes: string[] } };
  ui.pending_action.outcomes.push('rejected');
  await assert.rejects(() => run.userAction({ action: 'rejected' }), (error: unknown) => error instanceof ActionRejectedError && error.code === 'OUTCOME_NOT_ALLOWED');
  assert.deepEqual((await run.currentPendingAction())?.outcomes, ['approved', 'corrected']);
  await run.cancel();
});

test('a user action and a signal payload are copied when sent: changing them afterwards changes nothing (as on Temporal)', async () => {
  const { runtime, settle } = harness(flow);
  const run = runtime.start('flow', { upload: true });
  await settle();
  const payload = { period: '2026-01' };
  await run.signal('tb_submitted', payload);
  payload.period = 'changed';
  await settle();
  const action = { action: 'corrected' as const, corrections: { amount: 1 } };
  await run.userAction(action);
  action.corrections.amount = 2;
  const output = (await run.result()) as Record<string, any>;
  assert.deepEqual(output.upload, { period: '2026-01' });
  assert.deepEqual(output.check.corrections, { amount: 1 });
});
