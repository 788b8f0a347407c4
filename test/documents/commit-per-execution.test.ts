/**
 * A commit is idempotent per execution of a run, not per run id: a new run that reuses the run id of an
 * earlier one (on Temporal a failed run's workflow id, in-process `slug-1` of every new process) commits
 * a new version instead of getting the earlier run's back; the stored run id stays the one people see.
 * And a reset of a Temporal run to before its commit re-runs the commit in a new run of the same
 * execution chain: it gets the first version back (firstExecutionRunId survives the reset), no duplicate.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import protos from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';
import { LocalRuntime, RunFailedError } from '../../interpreter/index.ts';
import { openSqliteDocumentStore, type DocumentStore } from '../../interpreter/documents/index.ts';
import { createInterpreterWorker, TemporalRunClient } from '../../interpreter/temporal/index.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';
import { definitionsOf, testHandlers } from '../support/inline-runbook.ts';

const dir = mkdtempSync(join(tmpdir(), 'runbook-commit-execution-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Commits, then a call that fails when asked to: run A fails after its commit, run B gets through. */
const definitions = definitionsOf({
  slug: 'commit-then-maybe-fail',
  title: 'Commit, then maybe fail',
  input: { type: 'object', properties: { entity: { type: 'string' }, value: { type: 'string' }, failures: { type: 'number' } }, required: ['entity', 'value', 'failures'] },
  steps: [
    { id: 'store', title: 'Store', commit: { document: 'execution_balance', key: { entity: '{% $input.entity %}' }, value: '{% $input.value %}' } },
    { id: 'later', title: 'Later', call: { handler: 'test.flaky', args: { failures: '{% $input.failures %}', type: 'LATER_FAILED', non_retryable: true } } },
  ],
  output: { version: '{% $steps.store.version %}' },
});

/** Commits, then waits at a review: a reset to its first workflow task runs the commit again. */
const resettable = definitionsOf({
  slug: 'commit-then-review',
  title: 'Commit, then a review',
  steps: [
    { id: 'store', title: 'Store', commit: { document: 'execution_balance', key: { entity: '{% $input.entity %}' }, value: '{% $input.value %}' } },
    { id: 'check', title: 'Check', review: { payload: '{% $steps.store %}' } },
  ],
  output: { version: '{% $steps.store.version %}' },
});
const EventType = protos.temporal.api.enums.v1.EventType;

async function assertTwoVersions(store: DocumentStore, entity: string, runId: string): Promise<string[]> {
  const versions = await store.versions('execution_balance', { entity });
  assert.deepEqual(versions.map((d) => [d.version, d.value, d.run_id]), [[1, 'from A', runId], [2, 'from B', runId]], 'the stored run id is the one people see');
  assert.notEqual(versions[0].execution_id, versions[1].execution_id);
  return versions.map((d) => d.execution_id);
}

describe('a new run that reuses a run id commits a new version', () => {
  after(closeTestTemporal);

  test('in-process: two runtimes (two `runbook run` processes) sharing a store, each run `slug-1`', async () => {
    const store = await openSqliteDocumentStore(join(dir, 'local.sqlite'));
    try {
      const entity = `local-${process.pid}`;
      const runA = new LocalRuntime({ definitions, handlers: testHandlers, documents: store }).start('commit-then-maybe-fail', { entity, value: 'from A', failures: 1 });
      await assert.rejects(runA.result(), (error: unknown) => error instanceof RunFailedError && error.failure.type === 'LATER_FAILED');
      const runB = new LocalRuntime({ definitions, handlers: testHandlers, documents: store }).start('commit-then-maybe-fail', { entity, value: 'from B', failures: 0 });
      assert.equal(runB.runId, runA.runId, 'the same run id');
      assert.deepEqual(await runB.result(), { version: 2 });
      const executions = await assertTwoVersions(store, entity, runA.runId);
      for (const execution of executions) assert.match(execution, /^local-[0-9a-f-]{36}$/);
    } finally {
      await store.close();
    }
  });

  test('on Temporal: run A with workflow id X commits and fails; run B started with id X commits version 2', async () => {
    const temporal = await getTestTemporal();
    const store = await openSqliteDocumentStore(join(dir, 'temporal.sqlite'));
    const taskQueue = temporal.taskQueue('commit-execution');
    const worker: Worker = await createInterpreterWorker({ connection: await temporal.nativeConnection(), namespace: temporal.namespace, taskQueue, handlers: testHandlers, definitions, documents: store });
    const running = worker.run();
    try {
      const client = await temporal.client();
      const runs = new TemporalRunClient(client, taskQueue);
      const entity = `temporal-${process.pid}-${Date.now().toString(36)}`;
      const runId = `commit-execution-${entity}`;
      const runA = await runs.start('commit-then-maybe-fail', { entity, value: 'from A', failures: 1 }, { runId });
      await assert.rejects(runA.result(), (error: unknown) => error instanceof RunFailedError && error.failure.type === 'LATER_FAILED');
      const runB = await runs.start('commit-then-maybe-fail', { entity, value: 'from B', failures: 0 }, { runId });
      assert.deepEqual(await runB.result(), { version: 2 });
      const [executionA, executionB] = await assertTwoVersions(store, entity, runId);
      // Each execution is keyed by its workflow's firstExecutionRunId: a Temporal run id, not the workflow id.
      const described = await client.workflow.getHandle(runId).describe();
      assert.equal(executionB, described.runId, "run B's commit is keyed by B's execution");
      assert.notEqual(executionA, runId);
      const history = await client.workflow.getHandle(runId, executionA).describe();
      assert.equal(history.status.name, 'FAILED', "run A's execution is the failed one");
    } finally {
      worker.shutdown();
      await running;
      await store.close();
    }
  });

  test('on Temporal: a reset to before the commit runs it again in the same execution chain and gets version 1 back', async () => {
    const temporal = await getTestTemporal();
    const store = await openSqliteDocumentStore(join(dir, 'reset.sqlite'));
    const taskQueue = temporal.taskQueue('commit-reset');
    const worker: Worker = await createInterpreterWorker({ connection: await temporal.nativeConnection(), namespace: temporal.namespace, taskQueue, handlers: testHandlers, definitions: resettable, documents: store });
    const running = worker.run();
    try {
      const client = await temporal.client();
      const entity = `reset-${process.pid}-${Date.now().toString(36)}`;
      const runId = `commit-reset-${entity}`;
      const run = await new TemporalRunClient(client, taskQueue).start('commit-then-review', { entity, value: 'once' }, { runId });
      assert.equal((await run.waitForPendingAction())?.step, 'check');
      const handle = client.workflow.getHandle(runId);
      const first = await handle.describe();
      const history = await handle.fetchHistory();
      const firstTask = history.events!.find((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)!;
      await client.workflowService.resetWorkflowExecution({
        namespace: temporal.namespace,
        workflowExecution: { workflowId: runId, runId: first.runId },
        workflowTaskFinishEventId: firstTask.eventId,
        requestId: randomUUID(),
        reason: 'test: re-run the commit',
      });
      const resetRun = client.workflow.getHandle(runId);
      let pending = null;
      for (let waited = 0; waited < 20_000 && !pending; waited += 100) {
        const described = await resetRun.describe();
        if (described.runId !== first.runId) pending = await resetRun.query('current_pending_action').catch(() => null);
        if (!pending) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(pending, 'the reset run waits at the review again');
      const after = await resetRun.describe();
      assert.notEqual(after.runId, first.runId, 'the reset made a new run');
      const commits = (await resetRun.fetchHistory()).events!.filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === '$documents.commit');
      assert.equal(commits.length, 1);
      assert.ok(Number(commits[0].eventId) > Number(firstTask.eventId), 'the reset run scheduled the commit again (after the reset point)');
      const versions = await store.versions('execution_balance', { entity });
      assert.deepEqual(versions.map((d) => [d.version, d.execution_id]), [[1, first.runId]], 'no second version: the same execution');
      await resetRun.terminate('test over');
    } finally {
      worker.shutdown();
      await running;
      await store.close();
    }
  });
});
