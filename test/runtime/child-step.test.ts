import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failureOf, harness, statusesOf, tracking } from './harness.ts';

const adder = {
  slug: 'adder',
  title: 'Adder',
  input: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } },
  steps: [{ id: 'add', title: 'Add', call: { handler: 'test.add', args: { a: '{% $input.n %}', b: 100 } } }],
  output: '{% $steps.add.sum %}',
};

const tracked = {
  slug: 'tracked',
  title: 'Tracked',
  steps: [{ id: 'track', title: 'Track', call: { handler: 'test.track', args: { n: '{% $input.n %}' } } }],
  output: '{% $steps.track.n %}',
};

const reviewedChild = {
  slug: 'reviewed-child',
  title: 'Reviewed child',
  steps: [{ id: 'check', title: 'Check', review: { payload: '{% $input %}' } }],
  output: '{% $steps.check.action %}',
};

const failing = {
  slug: 'failing',
  title: 'Failing',
  steps: [{ id: 'explode', title: 'Explode', call: { handler: 'test.flaky', args: { failures: 9, type: 'CHILD_BROKE', non_retryable: true } } }],
};

const parent = (child: Record<string, unknown>, after = true) => ({
  slug: 'parent',
  title: 'Parent',
  steps: [
    { id: 'kids', title: 'Kids', child },
    ...(after ? [{ id: 'after', title: 'After', call: { handler: 'test.record', args: { value: '{% $steps.kids %}' } } }] : []),
  ],
});

test('a single child runs with the mapped input and its output becomes the step result', async () => {
  const { runtime, settle } = harness(adder, parent({ runbook: 'adder', input: { n: '{% $input.start %}' } }));
  const run = runtime.start('parent', { start: 5 }, { runId: 'p1' });
  await settle();
  const output = (await run.result()) as Record<string, any>;
  assert.equal(output.kids, 105);
  assert.equal(output.after.value, 105);
  assert.deepEqual((await run.currentSteps())[0].children, [{ id: 'kids[0]', run_id: 'p1/kids/0', title: 'Adder', status: 'completed' }]);
});

test('a fan-out runs one child per item and joins the outputs in item order', async () => {
  const { runtime, settle } = harness(adder, parent({ runbook: 'adder', for_each: '{% $input.items %}', input: { n: '{% $item * 10 + $index %}' } }));
  const run = runtime.start('parent', { items: [1, 2, 3] });
  await settle();
  const output = (await run.result()) as Record<string, any>;
  assert.deepEqual(output.kids, [110, 121, 132]);
});

test('a fan-out over an empty list completes with an empty list', async () => {
  const { runtime, settle } = harness(adder, parent({ runbook: 'adder', for_each: '{% $input.items %}', input: { n: '{% $item %}' } }));
  const run = runtime.start('parent', { items: [] });
  await settle();
  assert.deepEqual(((await run.result()) as Record<string, any>).kids, []);
});

test('a fan-out never runs more children at once than its concurrency', async () => {
  const { runtime, settle } = harness(tracked, parent({ runbook: 'tracked', for_each: '{% $input.items %}', input: { n: '{% $item %}' }, concurrency: 3 }, false));
  tracking.max = 0;
  const items = [1, 2, 3, 4, 5, 6, 7, 8];
  const run = runtime.start('parent', { items });
  await settle();
  assert.deepEqual(((await run.result()) as Record<string, any>).kids, items);
  assert.equal(tracking.max, 3);
});

test('a fan-out with concurrency 1 runs its children one after another', async () => {
  const { runtime, settle } = harness(tracked, parent({ runbook: 'tracked', for_each: '{% $input.items %}', input: { n: '{% $item %}' }, concurrency: 1 }, false));
  tracking.max = 0;
  const run = runtime.start('parent', { items: [1, 2, 3] });
  await settle();
  await run.result();
  assert.equal(tracking.max, 1);
});

test('for_each that is not a list fails with FOR_EACH_NOT_LIST', async () => {
  const { runtime, settle } = harness(adder, parent({ runbook: 'adder', for_each: '{% $input.items %}', input: {} }));
  const run = runtime.start('parent', { items: 'nope' });
  await settle();
  assert.equal((await failureOf(run)).type, 'FOR_EACH_NOT_LIST');
});

test('children waiting for a review are nested under the parent step and can be acted on by run id', async () => {
  const { runtime, settle } = harness(reviewedChild, parent({ runbook: 'reviewed-child', for_each: '{% $input.items %}', input: { doc: '{% $item %}' } }, false));
  const run = runtime.start('parent', { items: ['a.pdf', 'b.pdf'] }, { runId: 'p2' });
  await settle();
  const [kids] = await run.currentSteps();
  assert.equal(kids.status, 'running');
  assert.deepEqual(kids.children, [
    { id: 'kids[0]', run_id: 'p2/kids/0', title: 'Reviewed child', status: 'running' },
    { id: 'kids[1]', run_id: 'p2/kids/1', title: 'Reviewed child', status: 'running' },
  ]);
  const first = runtime.get('p2/kids/0');
  assert.deepEqual((await first.currentPendingAction())?.payload, { doc: 'a.pdf' });
  assert.equal(await run.currentPendingAction(), null, 'the parent itself waits for no action');
  await first.userAction({ action: 'approved' });
  await settle();
  assert.deepEqual((await run.currentSteps())[0].children?.map((child) => child.status), ['completed', 'running']);
  await runtime.get('p2/kids/1').userAction({ action: 'corrected', corrections: { doc: 'b2.pdf' } });
  assert.deepEqual(((await run.result()) as Record<string, any>).kids, ['approved', 'corrected']);
  assert.deepEqual(runtime.list().map((handle) => handle.runId), ['p2', 'p2/kids/0', 'p2/kids/1']);
});

test('a failing child fails the parent step with the child error type', async () => {
  const { runtime, settle } = harness(failing, parent({ runbook: 'failing' }));
  const run = runtime.start('parent', {}, { runId: 'p3' });
  await settle();
  const failure = await failureOf(run);
  assert.equal(failure.type, 'CHILD_BROKE');
  assert.equal(failure.step, 'kids');
  assert.deepEqual((await run.currentSteps())[0].children?.map((child) => child.status), ['failed']);
  assert.equal((await statusesOf(run)).kids, 'failed');
});

test('a child failure can be routed with on_error', async () => {
  const { runtime, settle } = harness(failing, parent({ runbook: 'failing', on_error: [{ type: 'CHILD_BROKE', then: 'continue' }] }));
  const run = runtime.start('parent', {});
  await settle();
  const output = (await run.result()) as Record<string, any>;
  assert.equal(output.kids.error.type, 'CHILD_BROKE');
  assert.equal(output.after.value.error.type, 'CHILD_BROKE');
});

test('a fan-out stops starting children after the first failure', async () => {
  const mixed = {
    slug: 'mixed',
    title: 'Mixed',
    steps: [{ id: 'go', title: 'Go', call: { handler: 'test.flaky', args: { failures: '{% $input.fail ? 9 : 0 %}', type: 'BAD', non_retryable: true } } }],
  };
  const { runtime, settle } = harness(mixed, parent({ runbook: 'mixed', for_each: '{% $input.items %}', input: { fail: '{% $item %}' }, concurrency: 1 }, false));
  const run = runtime.start('parent', { items: [false, true, false, false] }, { runId: 'p4' });
  await settle();
  assert.equal((await failureOf(run)).type, 'BAD');
  assert.deepEqual(runtime.list().map((handle) => handle.runId), ['p4', 'p4/kids/0', 'p4/kids/1']);
});

test('a child whose input violates its schema fails with CHILD_INPUT_INVALID', async () => {
  const { runtime, settle } = harness(adder, parent({ runbook: 'adder', input: { n: 'not a number' } }));
  const run = runtime.start('parent', {});
  await settle();
  assert.equal((await failureOf(run)).type, 'CHILD_INPUT_INVALID');
});

test('a child of an unknown runbook fails with CHILD_RUNBOOK_UNKNOWN', async () => {
  const { runtime, settle } = harness(parent({ runbook: 'ghost' }));
  const run = runtime.start('parent', {});
  await settle();
  assert.equal((await failureOf(run)).type, 'CHILD_RUNBOOK_UNKNOWN');
});

test('child events carry the child run id', async () => {
  const { runtime, settle, events } = harness(adder, parent({ runbook: 'adder', input: { n: 1 } }, false));
  const run = runtime.start('parent', {}, { runId: 'p5' });
  await settle();
  await run.result();
  assert.deepEqual(
    events.map((event) => `${event.runId} ${event.type}`),
    ['p5 step.started', 'p5/kids/0 step.started', 'p5/kids/0 step.completed', 'p5/kids/0 run.completed', 'p5 step.completed', 'p5 run.completed'],
  );
});
