/**
 * What Temporal's own tools show about a run (issue 13): static summaries (the runbook and its identity),
 * current details (the step, what it waits for), summaries of activities, timers and children; search
 * attributes that are final when a run ends (one upsert) and RunbookSlug on children and foreign starts;
 * declared signals, queries and Updates listed with descriptions; Update rejections typed by their code.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { ActionRejectedError } from '../../interpreter/runtime/runtime-errors.ts';
import { SEARCH_ATTRIBUTES, WORKFLOW_TYPE } from '../../interpreter/temporal/workflow-contract.ts';
import { RunMetadata, childSummary, runSummary } from '../../interpreter/temporal/run-metadata.ts';
import { bundleInterpreterWorkflow } from '../../interpreter/temporal/bundle.ts';
import { WORKFLOW_MODULE } from '../../interpreter/temporal/interpreter-worker.ts';
import { ensureTemporalCli } from '../../interpreter/temporal/temporal-cli.ts';
import { temporalTestRuntime, type TemporalTestRuntime } from '../../interpreter/testing/index.ts';
import { runbookOf } from '../support/inline-runbook.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';

after(closeTestTemporal);

const EventType = proto.temporal.api.enums.v1.EventType;
const suffix = `${process.pid}-${Date.now().toString(36)}`;
const closeSlug = `meta-close-${suffix}`;
const docSlug = `meta-doc-${suffix}`;

const close = runbookOf({
  slug: closeSlug,
  title: 'Month-end close',
  identity: ['entity', 'period'],
  input: { type: 'object', required: ['entity', 'period'], properties: { entity: { type: 'string' }, period: { type: 'string' }, items: { type: 'array' } } },
  signals: { tb_submitted: { description: 'The trial balance was submitted', payload: { type: 'object', required: ['total'], properties: { total: { type: 'number' } } } } },
  steps: [
    { id: 'open_period', title: 'Open the period', call: { handler: 'util.echo', args: { value: 1 } } },
    { id: 'pause', title: 'Let it settle', timer: { duration: '10ms' } },
    { id: 'submitted', title: 'Wait for the trial balance', wait: { signal: 'tb_submitted', action: 'submit_trial_balance', reason: 'Upload the {% $input.period %} trial balance' } },
    {
      id: 'review',
      title: 'Review the numbers',
      review: { reason: 'Check {% $input.entity %} for {% $input.period %}', deadline: { after: '1d', outcome: 'rejected' }, outcomes: { approved: 'continue', rejected: { fail: 'rejected' } } },
    },
    { id: 'ingest_documents', title: 'Ingest documents', child: { runbook: docSlug, for_each: '{% $input.items %}', input: { name: '{% $item %}' } } },
  ],
  output: { by: '{% $steps.review.actor %}' },
});
const doc = runbookOf({
  slug: docSlug,
  title: 'Document ingest',
  identity: ['name'],
  input: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
  steps: [{ id: 'settle', title: 'Settle', timer: { duration: '1ms' } }],
});
const definitions = [close, doc];
const input = { entity: 'acme-uk', period: '2025-01', items: ['a', 'b'] };

const decode = (payload: Payload | null | undefined): unknown => (payload ? defaultPayloadConverter.fromPayload(payload) : undefined);

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const until = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) assert.fail(`${what}: not within 15 s (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface WorkflowMetadata {
  definition: { signalDefinitions: { name: string; description?: string }[]; queryDefinitions: { name: string; description?: string }[]; updateDefinitions: { name: string; description?: string }[] };
  currentDetails: string;
}
const metadataOf = (handle: WorkflowHandle): Promise<WorkflowMetadata> => handle.query<WorkflowMetadata>('__temporal_workflow_metadata');

describe('run metadata, pure', () => {
  test('a summary names the runbook and its identity values; without a definition, the slug', () => {
    assert.equal(runSummary(close.runbook, closeSlug, input), 'Month-end close · acme-uk · 2025-01');
    assert.equal(runSummary(undefined, closeSlug, input), closeSlug);
    assert.equal(runSummary(close.runbook, closeSlug, { entity: 'x' }), 'Month-end close · x', 'a missing identity value is left out');
    assert.equal(childSummary(doc.runbook, { name: 'a.pdf' }, 'ingest_documents', 2), 'Document ingest · a.pdf · ingest_documents [2]');
    assert.equal(childSummary(doc.runbook, { name: 'a.pdf' }, 'ingest_documents'), 'Document ingest · a.pdf · ingest_documents');
  });

  test('a summary stays on one short line whatever the input', () => {
    const summary = runSummary(close.runbook, closeSlug, { entity: `a\nb${'x'.repeat(1000)}`, period: '2025-01' });
    assert.ok(!summary.includes('\n') && summary.length <= 200 && summary.endsWith('…'), summary);
  });

  test('details follow the step, the wait (action, reason, deadline) and the end', () => {
    const metadata = RunMetadata.of(close.runbook, input);
    const base = { runId: 'r', at: 0 } as const;
    assert.match(metadata.details(), /\*\*Month-end close · acme-uk · 2025-01\*\*/);
    assert.equal(metadata.timerSummary(false), undefined, 'no step yet');
    metadata.observe({ ...base, type: 'step.started', stepId: 'review', iteration: 1 });
    assert.match(metadata.details(), /Step: \*\*Review the numbers\*\* `review \(run 2\)`/);
    assert.equal(metadata.timerSummary(true), 'review (run 2) deadline');
    metadata.observe({ ...base, type: 'step.waiting', stepId: 'review', pending: { action: 'review', display_hint: null, reason: 'Check acme-uk', step: 'review', kind: 'review', outcomes: ['approved', 'rejected'], deadline: '2025-02-01T00:00:00.000Z' } });
    assert.match(metadata.details(), /Waiting for: \*\*review\*\* \(a review: approved, rejected\)/);
    assert.match(metadata.details(), /Reason: Check acme-uk/);
    assert.match(metadata.details(), /Deadline: 2025-02-01T00:00:00.000Z/);
    metadata.observe({ ...base, type: 'step.resumed', stepId: 'review', by: 'ana' });
    assert.doesNotMatch(metadata.details(), /Waiting for/);
    assert.equal(metadata.observe({ ...base, type: 'step.skipped', stepId: 'x' }), false, 'a skip changes nothing');
    metadata.observe({ ...base, type: 'run.failed', error: { step: 'review', type: 'REVIEW_REJECTED', message: 'rejected' } });
    assert.match(metadata.details(), /Failed at step `review`: REVIEW_REJECTED: rejected/);
    assert.equal(metadata.currentStep(), null);
    metadata.cancelled();
    assert.match(metadata.details(), /Cancelled/);
  });
});

describe('Temporal tools see the run', () => {
  let runtime: TemporalTestRuntime;
  let address: string;

  before(async () => {
    const temporal = await getTestTemporal();
    address = temporal.address;
    runtime = await temporalTestRuntime({
      connection: await temporal.connection(),
      nativeConnection: await temporal.nativeConnection(),
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue('meta'),
      handlers: null,
      handlerNames: ['util.echo'],
    });
  });
  after(async () => runtime?.close());

  const summariesOf = async (handle: WorkflowHandle, type: number): Promise<unknown[]> =>
    (await handle.fetchHistory()).events!.filter((event) => event.eventType === type).map((event) => decode(event.userMetadata?.summary));
  /** The names each upsert of our attributes sets, sorted (not the SDK's TemporalChangeVersion upserts of patch markers). */
  const ourUpserts = async (handle: WorkflowHandle): Promise<string[][]> =>
    (await handle.fetchHistory()).events!
      .filter((event) => event.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
      .map((event) => Object.keys(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).filter((name) => name.startsWith('Runbook')).sort())
      .filter((names) => names.length > 0);
  const attributesOf = async (handle: WorkflowHandle): Promise<Record<string, unknown>> => (await handle.describe()).searchAttributes as Record<string, unknown>;

  test('a run: summary, details while waiting, step summaries, declared signals; final attributes in one upsert', async () => {
    const runId = `meta-ok-${suffix}`;
    const routed = runtime.handlers.attach(runId, new Map([['util.echo', [{ result: { value: 1 } }]]]));
    try {
      const run = await runtime.start(definitions, closeSlug, input, runId, { startedBy: 'pat' });
      const handle = runtime.client.workflow.getHandle(runId);
      assert.equal((await run.waitForPendingAction())?.step, 'submitted');
      assert.equal(await (await handle.describe()).staticSummary(), 'Month-end close · acme-uk · 2025-01');

      const waiting = await metadataOf(handle);
      assert.match(waiting.currentDetails, /Month-end close · acme-uk · 2025-01/);
      assert.match(waiting.currentDetails, /Step: \*\*Wait for the trial balance\*\* `submitted`/);
      assert.match(waiting.currentDetails, /Waiting for: \*\*submit_trial_balance\*\* \(signal tb_submitted\)/);
      assert.match(waiting.currentDetails, /Reason: Upload the 2025-01 trial balance/);
      const signals = new Map(waiting.definition.signalDefinitions.map((item) => [item.name, item.description]));
      assert.equal(signals.get('tb_submitted'), 'The trial balance was submitted');
      assert.ok(signals.get('user_action'));
      for (const item of [...waiting.definition.queryDefinitions.filter((query) => query.name.startsWith('current_')), ...waiting.definition.updateDefinitions]) {
        assert.ok(item.description, `${item.name} is described`);
      }
      assert.deepEqual(waiting.definition.updateDefinitions.map((item) => item.name).sort(), ['runbook_signal', 'user_action']);

      // The declared signal by its own handler: a bad payload is dropped, a good one taken.
      await handle.signal('tb_submitted', { total: 'many' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await run.currentPendingAction())?.step, 'submitted', 'an invalid payload is not taken');
      await handle.signal('tb_submitted', { total: 12 });
      const review = await eventually(() => run.currentPendingAction(), (pending) => pending?.step === 'review', 'the review');
      const details = (await metadataOf(handle)).currentDetails;
      assert.match(details, /Waiting for: \*\*review\*\* \(a review: approved, rejected\)/);
      assert.match(details, /Reason: Check acme-uk for 2025-01/);
      assert.ok(review?.deadline && details.includes(`Deadline: ${review.deadline}`), details);

      // An Update rejection: the code is the failure type, leads the message, no stack; our client maps it.
      const raw = await handle.executeUpdate('user_action', { args: [{ action: 'corrected', actor: 'ana' }] }).then(() => null, (error: unknown) => error);
      assert.ok(raw instanceof WorkflowUpdateFailedError && raw.cause instanceof ApplicationFailure, String(raw));
      assert.equal(raw.cause.type, 'OUTCOME_NOT_ALLOWED');
      assert.match(raw.cause.message, /^OUTCOME_NOT_ALLOWED: step "review" accepts approved, rejected/);
      assert.equal(raw.cause.nonRetryable, true);
      assert.ok(!raw.cause.stack?.includes(' at '), `no stack: ${raw.cause.stack}`);
      await assert.rejects(run.userAction({ action: 'corrected', actor: 'ana' }), (error: unknown) =>
        error instanceof ActionRejectedError && error.code === 'OUTCOME_NOT_ALLOWED' && error.rejection.message.startsWith('step "review"'));

      await run.userAction({ action: 'approved', actor: 'ana' });
      assert.deepEqual(await run.result(), { by: 'ana' });

      assert.deepEqual(await summariesOf(handle, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED), ['open_period']);
      assert.deepEqual(await summariesOf(handle, EventType.EVENT_TYPE_TIMER_STARTED), ['pause', 'review deadline']);
      assert.deepEqual(await summariesOf(handle, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED), [0, 1].map((i) => `Document ingest · ${'ab'[i]} · ingest_documents [${i}]`));
      // Two waits (waiting, resumed each) and the final upsert: nothing else (the SDK's patch markers upsert TemporalChangeVersion).
      assert.deepEqual((await ourUpserts(handle)).map((names) => names.includes(SEARCH_ATTRIBUTES.status) && names.length), [6, 4, 6, 4, 5]);
      assert.ok((await ourUpserts(handle)).every((names) => names.includes(SEARCH_ATTRIBUTES.waitingSince)), 'RunbookWaitingSince rides on every upsert');
      assert.deepEqual((await ourUpserts(handle)).at(-1), [SEARCH_ATTRIBUTES.inbox, SEARCH_ATTRIBUTES.pendingAction, SEARCH_ATTRIBUTES.status, SEARCH_ATTRIBUTES.step, SEARCH_ATTRIBUTES.waitingSince]);
      assert.match((await metadataOf(handle)).currentDetails, /Completed/);

      const done = await attributesOf(handle);
      assert.deepEqual(done[SEARCH_ATTRIBUTES.status], ['completed']);
      for (const name of [SEARCH_ATTRIBUTES.step, SEARCH_ATTRIBUTES.pendingAction, SEARCH_ATTRIBUTES.inbox, SEARCH_ATTRIBUTES.waitingSince]) assert.equal(done[name], undefined, name);

      // Children: found by their slug from their start, completed, with their own summary.
      const child = runtime.client.workflow.getHandle(`${runId}/ingest_documents/1`);
      assert.equal(await (await child.describe()).staticSummary(), 'Document ingest · b · ingest_documents [1]');
      assert.deepEqual((await attributesOf(child))[SEARCH_ATTRIBUTES.status], ['completed']);
      const children = await eventually(
        async () => { const ids: string[] = []; for await (const info of runtime.client.workflow.list({ query: `${SEARCH_ATTRIBUTES.slug} = '${docSlug}'` })) ids.push(info.workflowId); return ids.sort(); },
        (ids) => ids.length === 2, `RunbookSlug='${docSlug}'`);
      assert.deepEqual(children, [`${runId}/ingest_documents/0`, `${runId}/ingest_documents/1`]);
      // No upsert in a child started with its attributes: only the final one.
      assert.equal((await ourUpserts(child)).length, 1);

      // The new commands replay.
      const workflowBundle = await bundleInterpreterWorkflow(WORKFLOW_MODULE);
      await Worker.runReplayHistory({ workflowBundle }, await handle.fetchHistory(), runId);
      await Worker.runReplayHistory({ workflowBundle }, await child.fetchHistory(), child.workflowId);

      // `temporal workflow metadata` lists the declared signal with its description.
      const cli = await ensureTemporalCli();
      const { stdout } = await promisify(execFile)(cli, ['workflow', 'metadata', '--address', address, '--namespace', runtime.namespace, '--workflow-id', runId, '--output', 'json']);
      assert.match(stdout, /tb_submitted/);
      assert.match(stdout, /The trial balance was submitted/);
      assert.match(stdout, /Completed/);
    } finally {
      routed.detach();
    }
  });

  test('a failed run ends "failed" at its step, a cancelled one "cancelled" with no pending action; RunbookStatus lists exactly them', async () => {
    const failedId = `meta-failed-${suffix}`;
    const cancelledId = `meta-cancelled-${suffix}`;
    const routes = [failedId, cancelledId].map((id) => runtime.handlers.attach(id, new Map([['util.echo', [{ result: { value: 1 } }]]])));
    try {
      const failed = await runtime.start(definitions, closeSlug, { entity: 'e', period: 'p' }, failedId);
      const cancelled = await runtime.start(definitions, closeSlug, { entity: 'e', period: 'p' }, cancelledId);
      for (const run of [failed, cancelled]) {
        await run.waitForPendingAction();
        await run.signal('tb_submitted', { total: 1 });
        await eventually(() => run.currentPendingAction(), (pending) => pending?.step === 'review', 'the review');
      }
      await failed.userAction({ action: 'rejected', actor: 'ana', comment: 'no' });
      await assert.rejects(failed.result());
      await cancelled.cancel();
      await assert.rejects(cancelled.result());

      const failedAttributes = await attributesOf(runtime.client.workflow.getHandle(failedId));
      assert.deepEqual([failedAttributes[SEARCH_ATTRIBUTES.status], failedAttributes[SEARCH_ATTRIBUTES.step]], [['failed'], ['review']]);
      const cancelledHandle = runtime.client.workflow.getHandle(cancelledId);
      const cancelledAttributes = await attributesOf(cancelledHandle);
      assert.deepEqual([cancelledAttributes[SEARCH_ATTRIBUTES.status], cancelledAttributes[SEARCH_ATTRIBUTES.step]], [['cancelled'], ['review']]);
      assert.equal(cancelledAttributes[SEARCH_ATTRIBUTES.inbox], undefined);
      assert.equal(cancelledAttributes[SEARCH_ATTRIBUTES.pendingAction], undefined);
      assert.equal(cancelledAttributes[SEARCH_ATTRIBUTES.waitingSince], undefined);
      assert.equal(failedAttributes[SEARCH_ATTRIBUTES.waitingSince], undefined);
      assert.match((await metadataOf(runtime.client.workflow.getHandle(failedId))).currentDetails, /Failed at step `review`/);

      const ids = async (status: string): Promise<string[]> => {
        const found: string[] = [];
        for await (const info of runtime.client.workflow.list({ query: `${SEARCH_ATTRIBUTES.slug} = '${closeSlug}' AND ${SEARCH_ATTRIBUTES.status} = '${status}'` })) found.push(info.workflowId);
        return found.sort();
      };
      await eventually(() => ids('failed'), (found) => found.length === 1, 'the failed run');
      assert.deepEqual(await ids('failed'), [failedId]);
      assert.deepEqual(await eventually(() => ids('cancelled'), (found) => found.length === 1, 'the cancelled run'), [cancelledId]);
      assert.deepEqual(await eventually(() => ids('completed'), (found) => found.length === 1, 'the completed run'), [`meta-ok-${suffix}`]);
      assert.deepEqual(await eventually(() => ids('running'), (found) => found.length === 0, 'no ended run reads running'), []);
      assert.deepEqual(await ids('waiting'), []);
      await Worker.runReplayHistory({ workflowBundle: await bundleInterpreterWorkflow(WORKFLOW_MODULE) }, await cancelledHandle.fetchHistory(), cancelledId);
    } finally {
      routes.forEach((route) => route.detach());
    }
  });

  test('RunbookWaitingSince: the wait\'s start while waiting, found by `RunbookWaitingSince < …`, cleared on resume and at the end', async () => {
    const runId = `meta-since-${suffix}`;
    const routed = runtime.handlers.attach(runId, new Map([['util.echo', [{ result: { value: 1 } }]]]));
    try {
      const startedAt = Date.now();
      const run = await runtime.start(definitions, closeSlug, { entity: 'since', period: '2025-02' }, runId);
      const handle = runtime.client.workflow.getHandle(runId);
      const first = await run.waitForPendingAction();
      assert.equal(first?.step, 'submitted');
      const sinceOf = async (): Promise<unknown> => (await attributesOf(handle))[SEARCH_ATTRIBUTES.waitingSince];
      // The pending action's `since` (the inbox's waiting_since), as a Datetime.
      const [since] = (await sinceOf()) as Date[];
      assert.ok(since instanceof Date, `a Datetime: ${String(since)}`);
      assert.equal(since.toISOString(), first?.since);
      assert.ok(since.getTime() >= startedAt - 1_000 && since.getTime() <= Date.now(), `about the wait's start: ${since.toISOString()}`);

      // The docs' "stuck on a step" question, through the Temporal CLI as a person would ask it.
      const stuck = (before: Date, step: string): string =>
        `${SEARCH_ATTRIBUTES.slug}='${closeSlug}' AND ${SEARCH_ATTRIBUTES.status}='waiting' AND ${SEARCH_ATTRIBUTES.step}='${step}' AND ${SEARCH_ATTRIBUTES.waitingSince} < '${before.toISOString()}'`;
      const cli = await ensureTemporalCli();
      const list = async (query: string): Promise<string[]> => {
        const { stdout } = await promisify(execFile)(cli, ['workflow', 'list', '--address', address, '--namespace', runtime.namespace, '--query', query, '--output', 'json']);
        return (JSON.parse(stdout || '[]') as { execution: { workflowId: string } }[]).map((item) => item.execution.workflowId);
      };
      assert.deepEqual(await eventually(() => list(stuck(new Date(since.getTime() + 1_000), 'submitted')), (ids) => ids.length > 0, 'the waiting run'), [runId]);
      assert.deepEqual(await list(stuck(new Date(since.getTime() - 1_000), 'submitted')), [], 'not waiting since before it waited');
      assert.deepEqual(await list(stuck(new Date(since.getTime() + 1_000), 'review')), [], 'not on another step');

      // The next wait: its own start (the resume cleared the first one's in the same upsert as the inbox attributes).
      await new Promise((resolve) => setTimeout(resolve, 20));
      await handle.signal('tb_submitted', { total: 12 });
      const review = await eventually(() => run.currentPendingAction(), (pending) => pending?.step === 'review', 'the review');
      const [again] = (await eventually(sinceOf, (value) => (value as Date[] | undefined)?.[0]?.toISOString() === review?.since, 'RunbookWaitingSince of the review')) as Date[];
      assert.ok(again.getTime() > since.getTime(), 'the review waits since later');
      const resumes = (await ourUpserts(handle)).filter((names) => !names.includes(SEARCH_ATTRIBUTES.hash));
      assert.ok(resumes.length >= 1 && resumes.every((names) => names.includes(SEARCH_ATTRIBUTES.waitingSince)), 'the resume clears it');

      await run.userAction({ action: 'rejected', actor: 'ana' });
      await assert.rejects(run.result());
      assert.equal(await sinceOf(), undefined, 'cleared at the end');
      assert.deepEqual(await eventually(() => list(stuck(new Date(Date.now() + 60_000), 'review')), (ids) => ids.length === 0, 'no longer found'), []);
    } finally {
      routed.detach();
    }
  });

  test('a run started without our attributes (temporal workflow start, the Web UI) gets RunbookSlug, and its details name the runbook', async () => {
    const runId = `meta-foreign-${suffix}`;
    const release = await runtimeDefinitions(runtime, definitions, runId);
    const handle = await runtime.client.workflow.start(WORKFLOW_TYPE, { taskQueue: runtime.taskQueue, workflowId: runId, args: [{ slug: docSlug, input: { name: 'x.pdf' } }] });
    await handle.result();
    release();
    const attributes = await attributesOf(handle);
    assert.deepEqual([attributes[SEARCH_ATTRIBUTES.slug], attributes[SEARCH_ATTRIBUTES.status]], [[docSlug], ['completed']]);
    assert.deepEqual(await ourUpserts(handle), [[SEARCH_ATTRIBUTES.slug, SEARCH_ATTRIBUTES.status], [SEARCH_ATTRIBUTES.inbox, SEARCH_ATTRIBUTES.pendingAction, SEARCH_ATTRIBUTES.status, SEARCH_ATTRIBUTES.step, SEARCH_ATTRIBUTES.waitingSince]]);
    assert.equal(await (await handle.describe()).staticSummary(), undefined, 'no summary: only a start sets it');
    assert.match((await metadataOf(handle)).currentDetails, /\*\*Document ingest · x.pdf\*\*/);
    await Worker.runReplayHistory({ workflowBundle: await bundleInterpreterWorkflow(WORKFLOW_MODULE) }, await handle.fetchHistory(), runId);
  });
});

/** The test runtime serves definitions while one of its runs uses them; a foreign start needs them too. */
async function runtimeDefinitions(runtime: TemporalTestRuntime, resolved: typeof definitions, runId: string): Promise<() => void> {
  // A short-lived run of our own holds the definitions (the test runtime frees them when its run ends).
  const holderId = `${runId}-holder`;
  const routed = runtime.handlers.attach(holderId, new Map([['util.echo', [{ result: { value: 1 } }]]]));
  const holder = await runtime.start(resolved, closeSlug, { entity: 'hold', period: 'p' }, holderId);
  await holder.waitForPendingAction();
  return () => {
    routed.detach();
    void holder.cancel().catch(() => undefined);
  };
}
