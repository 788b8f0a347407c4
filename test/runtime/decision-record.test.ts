/**
 * The decision record in-process: a user action's actor and comment in the review's result and
 * on the timeline; comment_required (COMMENT_REQUIRED) and separation_of_duties
 * (SEPARATION_OF_DUTIES) refuse an action and change nothing; who started a run and its fan-out
 * parent; identity fields; the timeline's order and bound; step timings and attempts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TimelineEntry, UiState } from '../../interpreter/core/index.ts';
import { ActionRejectedError } from '../../interpreter/runtime/runtime-errors.ts';
import type { LocalRunHandle } from '../../interpreter/runtime/local/index.ts';
import { LocalRuntime } from '../../interpreter/runtime/local/index.ts';
import { definitionsOf } from '../support/inline-runbook.ts';
import { START, failureOf, handlers, harness } from './harness.ts';

const iso = (ms: number): string => new Date(ms).toISOString();
const at0 = iso(START);

const reviewed = (review: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  slug: 'reviewed',
  title: 'Reviewed',
  steps: [
    { id: 'extract', title: 'Extract', call: { handler: 'test.add', args: { a: 40, b: 2 } } },
    { id: 'check', title: 'Check', review: { payload: '{% $steps.extract %}', ...review } },
    { id: 'after', title: 'After', call: { handler: 'test.record', args: { value: '{% $steps.check.actor %}' } } },
  ],
  output: { check: '{% $steps.check %}', approved_by: '{% $steps.check.actor %}' },
  ...extra,
});

/** Two reviews: the approver may not be whoever prepared (four eyes), nor the starter. */
const fourEyes = {
  slug: 'four-eyes',
  title: 'Four eyes',
  steps: [
    { id: 'prepare', title: 'Prepare', review: {} },
    { id: 'approve', title: 'Approve', review: { separation_of_duties: { exclude_starter: true, exclude_actors_of: ['prepare'] } } },
  ],
  output: { prepared_by: '{% $steps.prepare.actor %}', approved_by: '{% $steps.approve.actor %}' },
};

/** The rejection code of a refused action (the test fails if it was accepted). */
async function refusal(run: LocalRunHandle, action: Parameters<LocalRunHandle['userAction']>[0]): Promise<string> {
  try {
    await run.userAction(action);
  } catch (error) {
    assert.ok(error instanceof ActionRejectedError, String(error));
    return error.code;
  }
  assert.fail(`${JSON.stringify(action)} was accepted`);
}

const types = (timeline: readonly TimelineEntry[] | undefined): string[] => (timeline ?? []).map((entry) => (entry.step ? `${entry.type}:${entry.step}` : entry.type));

test('the actor and comment of an action are in the review result, the output and the timeline', async () => {
  const { runtime, settle } = harness(reviewed());
  const run = runtime.start('reviewed', {}, { runId: 'decided' });
  await settle();
  await run.userAction({ action: 'approved', actor: 'ana@example.com', comment: 'matches the ledger' });
  const output = (await run.result()) as Record<string, any>;
  assert.deepEqual(output.check, { action: 'approved', payload: { sum: 42 }, corrections: null, actor: 'ana@example.com', comment: 'matches the ledger' });
  assert.equal(output.approved_by, 'ana@example.com');
  const ui = await run.currentUiState();
  assert.deepEqual(types(ui.timeline), [
    'run.started', 'step.started:extract', 'step.completed:extract', 'step.started:check', 'step.waiting:check',
    'action.taken:check', 'step.completed:check', 'step.started:after', 'step.completed:after', 'run.completed',
  ]);
  assert.deepEqual(ui.timeline?.find((entry) => entry.type === 'action.taken'), { at: at0, type: 'action.taken', step: 'check', outcome: 'approved', actor: 'ana@example.com', comment: 'matches the ledger' });
  assert.deepEqual(ui.timeline?.[0], { at: at0, type: 'run.started', actor: null });
  assert.deepEqual(ui.output, output);
  assert.equal(ui.started_at, at0);
  assert.equal(ui.ended_at, at0);
});

test('an action without actor or comment records null for both', async () => {
  const { runtime, settle } = harness(reviewed());
  const run = runtime.start('reviewed', {});
  await settle();
  await run.userAction({ action: 'approved' });
  const output = (await run.result()) as Record<string, any>;
  assert.equal(output.check.actor, null);
  assert.equal(output.check.comment, null);
  const taken = (await run.currentUiState()).timeline?.find((entry) => entry.type === 'action.taken');
  assert.deepEqual([taken?.actor, taken?.comment], [null, null]);
});

test('an actor or comment of the wrong type or size is ACTION_INVALID', async () => {
  const { runtime, settle } = harness(reviewed());
  const run = runtime.start('reviewed', {});
  await settle();
  assert.equal(await refusal(run, { action: 'approved', actor: '  ' }), 'ACTION_INVALID');
  assert.equal(await refusal(run, { action: 'approved', actor: 42 } as never), 'ACTION_INVALID');
  assert.equal(await refusal(run, { action: 'approved', actor: 'a'.repeat(201) }), 'ACTION_INVALID');
  assert.equal(await refusal(run, { action: 'approved', comment: 'c'.repeat(4001) }), 'ACTION_INVALID');
  assert.equal((await run.currentPendingAction())?.step, 'check');
});

test('comment_required: a rejection without a comment is COMMENT_REQUIRED and changes nothing; with one, it is taken', async () => {
  const { runtime, settle } = harness(reviewed({ comment_required: ['rejected'] }));
  const run = runtime.start('reviewed', {});
  await settle();
  const before: UiState = await run.currentUiState();
  assert.deepEqual(before.pending_action?.comment_required, ['rejected']);
  assert.equal(await refusal(run, { action: 'rejected', actor: 'ana' }), 'COMMENT_REQUIRED');
  assert.equal(await refusal(run, { action: 'rejected', actor: 'ana', comment: '   ' }), 'COMMENT_REQUIRED');
  await settle();
  assert.deepEqual(await run.currentUiState(), before, 'a refused action changes nothing, not even the version');
  await run.userAction({ action: 'rejected', actor: 'ana', comment: 'wrong total' });
  const failure = await failureOf(run);
  assert.equal(failure.type, 'REVIEW_REJECTED');
  const taken = (await run.currentUiState()).timeline?.filter((entry) => entry.type === 'action.taken');
  assert.deepEqual(taken?.map((entry) => [entry.outcome, entry.actor, entry.comment]), [['rejected', 'ana', 'wrong total']]);
});

test('comment_required does not apply to the other outcomes', async () => {
  const { runtime, settle } = harness(reviewed({ comment_required: ['rejected'] }));
  const run = runtime.start('reviewed', {});
  await settle();
  await run.userAction({ action: 'approved' });
  await run.result();
});

test('separation of duties: the starter may not act (whatever the case), nor an action naming nobody; someone else may', async () => {
  const { runtime, settle } = harness(reviewed({ separation_of_duties: { exclude_starter: true } }));
  const run = runtime.start('reviewed', {}, { startedBy: 'pat@example.com' });
  await settle();
  const before = await run.currentUiState();
  assert.equal(before.started_by, 'pat@example.com');
  assert.deepEqual(before.pending_action?.excluded_actors, [{ actor: 'pat@example.com', because: 'started the run' }]);
  assert.equal(await refusal(run, { action: 'approved', actor: 'pat@example.com' }), 'SEPARATION_OF_DUTIES');
  assert.equal(await refusal(run, { action: 'approved', actor: 'PAT@Example.com' }), 'SEPARATION_OF_DUTIES');
  assert.equal(await refusal(run, { action: 'approved' }), 'SEPARATION_OF_DUTIES');
  await settle();
  assert.deepEqual(await run.currentUiState(), before);
  await run.userAction({ action: 'approved', actor: 'ana@example.com' });
  const output = (await run.result()) as Record<string, any>;
  assert.equal(output.approved_by, 'ana@example.com');
  assert.deepEqual((await run.currentUiState()).timeline?.[0], { at: at0, type: 'run.started', actor: 'pat@example.com' });
});

test('separation of duties with nobody to exclude (a run started by code that names no one) lets any action through', async () => {
  const { runtime, settle } = harness(reviewed({ separation_of_duties: { exclude_starter: true } }));
  const run = runtime.start('reviewed', {});
  await settle();
  assert.deepEqual((await run.currentPendingAction())?.excluded_actors, []);
  await run.userAction({ action: 'approved' });
  await run.result();
});

test('separation of duties: exclude_actors_of refuses whoever acted on the earlier review', async () => {
  const { runtime, settle } = harness(fourEyes);
  const run = runtime.start('four-eyes', {}, { startedBy: 'pat' });
  await settle();
  // The first review has no separation of duties: the starter may prepare.
  assert.equal((await run.currentPendingAction())?.excluded_actors, undefined);
  await run.userAction({ action: 'approved', actor: 'pat', comment: 'prepared' });
  await settle();
  const pending = await run.currentPendingAction();
  assert.equal(pending?.step, 'approve');
  assert.deepEqual(pending?.excluded_actors, [{ actor: 'pat', because: 'started the run' }, { actor: 'pat', because: 'acted on step "prepare"' }]);
  assert.equal(await refusal(run, { action: 'approved', actor: 'pat' }), 'SEPARATION_OF_DUTIES');
  await run.userAction({ action: 'approved', actor: 'ana' });
  assert.deepEqual(await run.result(), { prepared_by: 'pat', approved_by: 'ana' });
});

test('separation of duties: exclude_actors_of alone (no starter named) still refuses the earlier actor and an anonymous action', async () => {
  const { runtime, settle } = harness(fourEyes);
  const run = runtime.start('four-eyes', {});
  await settle();
  await run.userAction({ action: 'approved', actor: 'ana' });
  await settle();
  assert.deepEqual((await run.currentPendingAction())?.excluded_actors, [{ actor: 'ana', because: 'acted on step "prepare"' }]);
  assert.equal(await refusal(run, { action: 'approved', actor: 'Ana' }), 'SEPARATION_OF_DUTIES');
  assert.equal(await refusal(run, { action: 'approved' }), 'SEPARATION_OF_DUTIES');
  await run.userAction({ action: 'approved', actor: 'ben' });
  assert.deepEqual(await run.result(), { prepared_by: 'ana', approved_by: 'ben' });
});

test('fan-out children inherit started_by and know their parent, index and count; a top-level run has no parent', async () => {
  const child = { slug: 'kid', title: 'Kid', steps: [{ id: 'check', title: 'Check', review: { payload: '{% $input %}' } }], output: '{% $steps.check.actor %}' };
  const parent = {
    slug: 'parent',
    title: 'Parent',
    steps: [
      { id: 'kids', title: 'Kids', child: { runbook: 'kid', for_each: '{% $input.items %}', input: { n: '{% $item %}' } } },
      { id: 'single', title: 'Single', child: { runbook: 'kid', input: { n: 0 } } },
    ],
  };
  const { runtime, settle } = harness(child, parent);
  const run = runtime.start('parent', { items: [1, 2, 3] }, { runId: 'p', startedBy: 'pat' });
  await settle();
  assert.equal((await run.currentUiState()).parent, null);
  for (const index of [0, 1, 2]) {
    const kid = runtime.get(`p/kids/${index}`);
    const ui = await kid.currentUiState();
    assert.equal(ui.started_by, 'pat');
    assert.deepEqual(ui.parent, { run_id: 'p', runbook: 'parent', step: 'kids', index, count: 3 });
    assert.deepEqual(ui.timeline?.[0], { at: at0, type: 'run.started', actor: 'pat' });
    await kid.userAction({ action: 'approved', actor: `reviewer-${index}` });
  }
  await settle();
  const single = runtime.get('p/single/0');
  assert.deepEqual((await single.currentUiState()).parent, { run_id: 'p', runbook: 'parent', step: 'single', index: 0, count: 1 });
  await single.userAction({ action: 'approved', actor: 'ana' });
  assert.deepEqual(await run.result(), { kids: ['reviewer-0', 'reviewer-1', 'reviewer-2'], single: 'ana' });
});

test('identity: by default the required scalar input properties (at most three), else the declared fields', async () => {
  const input = {
    type: 'object',
    required: ['entity', 'lines', 'period', 'amount', 'urgent'],
    properties: { entity: { type: 'string' }, lines: { type: 'array' }, period: { type: 'string' }, amount: { type: 'number' }, urgent: { type: 'boolean' }, memo: { type: 'string' } },
  };
  const steps = [{ id: 'check', title: 'Check', review: {} }];
  const { runtime, settle } = harness(
    { slug: 'by-default', title: 'Default', input, steps },
    { slug: 'declared', title: 'Declared', identity: ['memo', 'entity'], input, steps },
    { slug: 'no-input', title: 'No input', steps },
  );
  const value = { entity: 'acme', lines: [1], period: '2026-01', amount: 5, urgent: true, memo: 'fee' };
  const byDefault = runtime.start('by-default', value);
  const declared = runtime.start('declared', value);
  const declaredMissing = runtime.start('declared', { ...value, memo: undefined });
  const none = runtime.start('no-input', {});
  await settle();
  assert.deepEqual((await byDefault.currentUiState()).identity, { entity: 'acme', period: '2026-01', amount: 5 });
  assert.deepEqual((await declared.currentUiState()).identity, { memo: 'fee', entity: 'acme' });
  assert.deepEqual((await declaredMissing.currentUiState()).identity, { entity: 'acme' });
  assert.deepEqual((await none.currentUiState()).identity, {});
});

test('the timeline is in order and keeps its last 500 entries', async () => {
  const { runtime, settle } = harness({
    slug: 'chatty',
    title: 'Chatty',
    signals: { ping: {}, done: {} },
    steps: [{ id: 'listen', title: 'Listen', wait: { signal: 'done', action: 'awaiting_done' } }],
  });
  const run = runtime.start('chatty', {});
  await settle();
  for (let i = 0; i < 600; i++) await run.signal('ping', { i });
  await run.signal('done', null);
  await run.result();
  const { timeline } = await run.currentUiState();
  assert.equal(timeline?.length, 500);
  // The oldest entries went first: run.started and the wait are gone, the end is there.
  assert.notEqual(timeline?.[0].type, 'run.started');
  assert.deepEqual(types(timeline?.slice(-4)), ['signal.received', 'signal.received', 'step.completed:listen', 'run.completed']);
  assert.deepEqual(timeline?.at(-3), { at: at0, type: 'signal.received', signal: 'done' });
  for (let i = 1; i < timeline!.length; i++) assert.ok(timeline![i - 1].at <= timeline![i].at);
});

test('step timings, iteration and attempts: a retried call counts its attempts and the timeline says why', async () => {
  const { runtime, clock, settle } = harness({
    slug: 'retried',
    title: 'Retried',
    steps: [
      { id: 'work', title: 'Work', call: { handler: 'test.flaky', args: { failures: 2 }, retry: { max_attempts: 5, initial_interval: '1s', backoff_coefficient: 2 } } },
      { id: 'check', title: 'Check', review: { outcomes: { approved: 'continue', rejected: { goto: 'work' } }, deadline: { after: '1h', outcome: 'approved' } } },
    ],
  });
  const run = runtime.start('retried', {}, { runId: 'retried' });
  await settle();
  let [work, check] = await run.currentSteps();
  assert.deepEqual([work.status, work.attempts, work.started_at, work.ended_at, work.iteration], ['running', 2, at0, null, 0]);
  await clock.advance(1_000);
  [work] = await run.currentSteps();
  assert.equal(work.attempts, 3);
  await clock.advance(2_000);
  [work, check] = await run.currentSteps();
  assert.deepEqual([work.status, work.attempts, work.started_at, work.ended_at], ['completed', 3, at0, iso(START + 3_000)]);
  assert.equal(check.attempts, undefined, 'a review calls no handler');
  assert.equal(check.started_at, iso(START + 3_000));
  const pending = await run.currentPendingAction();
  assert.deepEqual([pending?.since, pending?.deadline, pending?.step_title], [iso(START + 3_000), iso(START + 3_000 + 3_600_000), 'Check']);
  const retries = (await run.currentUiState()).timeline?.filter((entry) => entry.type === 'step.retrying');
  assert.deepEqual(retries, [
    { at: at0, type: 'step.retrying', step: 'work', attempt: 2, error_type: 'FLAKY', message: 'attempt 1 failed' },
    { at: iso(START + 1_000), type: 'step.retrying', step: 'work', attempt: 3, error_type: 'FLAKY', message: 'attempt 2 failed' },
  ]);

  // Back to work: a new iteration, its attempts start again (the handler's attempts count per iteration).
  await run.userAction({ action: 'rejected', actor: 'ana' });
  await clock.advance(3_000);
  [work, check] = await run.currentSteps();
  assert.deepEqual([work.iteration, work.attempts, work.started_at, work.ended_at], [1, 3, iso(START + 3_000), iso(START + 6_000)]);
  assert.equal(check.status, 'waiting');
  assert.equal(check.ended_at, null, 'a step started again has not ended yet');
  // Nobody acts: the deadline decides, and the timeline says so.
  await clock.advance(3_600_000);
  await run.result();
  const ui = await run.currentUiState();
  const decisions = ui.timeline?.filter((entry) => entry.type === 'action.taken');
  assert.deepEqual(decisions, [
    { at: iso(START + 3_000), type: 'action.taken', step: 'check', outcome: 'rejected', actor: 'ana', comment: null },
    { at: iso(START + 6_000 + 3_600_000), type: 'action.taken', step: 'check', outcome: 'approved', actor: null, comment: null, message: 'the deadline passed: its default outcome' },
  ]);
  assert.equal(ui.ended_at, iso(START + 6_000 + 3_600_000));
});

test('on the real clock, a review deadline is exactly `after` from since (one clock reading)', async () => {
  const runtime = new LocalRuntime({ definitions: definitionsOf(reviewed({ deadline: { after: '3d', outcome: 'rejected' } })), handlers, logger: { debug() {}, info() {}, warn() {}, error() {} } });
  const run = runtime.start('reviewed', {});
  let pending = await run.currentPendingAction();
  for (let i = 0; i < 100 && !pending; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    pending = await run.currentPendingAction();
  }
  assert.ok(pending?.since && pending.deadline, JSON.stringify(pending));
  assert.equal(Date.parse(pending.deadline) - Date.parse(pending.since), 3 * 24 * 3_600_000);
  await run.cancel();
});

test('a deadline too far away for a date (a huge duration) is advertised as none, and the review still waits', async () => {
  for (const step of [
    reviewed({ deadline: { after: '999999999d', outcome: 'rejected' } }),
    {
      slug: 'waited', title: 'Waited', signals: { done: {} },
      steps: [{ id: 'upload', title: 'Upload', wait: { signal: 'done', action: 'awaiting_upload', deadline: { after: '999999999d', then: { fail: 'too late' } } } }],
    },
  ]) {
    const runtime = new LocalRuntime({ definitions: definitionsOf(step), handlers, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    const run = runtime.start(step.slug as string, {});
    let pending = await run.currentPendingAction();
    for (let i = 0; i < 100 && !pending; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      pending = await run.currentPendingAction();
    }
    assert.ok(pending, `${step.slug} waits`);
    assert.equal(pending.deadline, null);
    assert.ok(pending.since);
    await run.cancel();
  }
});

test('a huge deadline that fires on a simulated clock still records its decision and completes the run', async () => {
  const { runtime, clock, settle } = harness(reviewed({ deadline: { after: '999999999d', outcome: 'approved' } }));
  const run = runtime.start('reviewed', {}, { runId: 'huge-deadline' });
  await settle();
  assert.equal((await run.currentPendingAction())?.deadline, null);
  await clock.advance(999_999_999 * 86_400_000);
  await run.result();
  const state = await run.currentUiState();
  assert.equal(state.status, 'completed');
  const decision = state.timeline?.find((entry) => entry.type === 'action.taken');
  assert.equal(decision?.outcome, 'approved');
  assert.match(decision?.at ?? '', /^\+275760-09-13T00:00:00\.000Z$/);
});
