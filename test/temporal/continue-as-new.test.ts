/**
 * Continue-as-new: a long runbook with a go-back on a server that suggests continuing as
 * new after 40 history events (dynamic config `limit.historyCount.suggestContinueAsNew`,
 * the production trigger, lowered). The run continues as new several times between steps,
 * the queries show the whole ladder (steps completed in earlier runs included) while it
 * waits, it completes with the in-process output, and every run of the chain replays.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { bundleInterpreterWorkflow } from '../../interpreter/temporal/bundle.ts';
import protos from '@temporalio/proto';
import { loadHandlerRegistry } from '../../interpreter/handlers/index.ts';
import { LocalRuntime } from '../../interpreter/runtime/local/index.ts';
import type { RunHandle } from '../../interpreter/runtime/run-handle.ts';
import type { StepView } from '../../interpreter/core/index.ts';
import { startDevServer, type DevServer } from '../../interpreter/temporal/dev-server.ts';
import { createInterpreterWorker, WORKFLOW_MODULE } from '../../interpreter/temporal/interpreter-worker.ts';
import { TemporalRunClient } from '../../interpreter/temporal/temporal-run-client.ts';
import { definitionsOf } from '../support/inline-runbook.ts';
import { TEST_DEV_SERVER_OPTIONS } from '../support/dev-server-options.ts';
import { getTestTemporal } from '../support/temporal-env.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EventType = protos.temporal.api.enums.v1.EventType;
const STEPS = 20;

/** step_1..step_20 count up by one; a review rejected once goes back to step_10; then a last step. */
function longRunbook(): Record<string, unknown> {
  const steps: Record<string, unknown>[] = [];
  for (let i = 1; i <= STEPS; i++) {
    steps.push({
      id: `step_${i}`,
      title: `Step ${i}`,
      call: { handler: 'util.add', args: { a: i === 1 ? 0 : `{% $steps.step_${i - 1}.sum %}`, b: 1 } },
    });
  }
  steps.push({ id: 'check', title: 'Check', review: { outcomes: { approved: 'continue', rejected: { goto: 'step_10' } } } });
  steps.push({ id: 'last', title: 'Last', call: { handler: 'util.add', args: { a: `{% $steps.step_${STEPS}.sum %}`, b: 100 } } });
  return { slug: 'long-runbook', title: 'Long runbook', max_go_backs: 2, steps, output: { total: '{% $steps.last.sum %}', review: '{% $steps.check.action %}' } };
}

async function pendingAt(run: RunHandle, step: string): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 25) {
    if ((await run.currentPendingAction())?.step === step) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${step} never became pending`);
}

describe('continue-as-new', () => {
  let server: DevServer;
  const closing: { close(): Promise<unknown> }[] = [];
  before(async () => {
    await getTestTemporal(); // the quiet SDK logger
    server = await startDevServer({
      ...TEST_DEV_SERVER_OPTIONS,
      dynamicConfig: { ...TEST_DEV_SERVER_OPTIONS.dynamicConfig, 'limit.historyCount.suggestContinueAsNew': 40 },
    });
  });
  after(async () => {
    await Promise.all(closing.map((c) => c.close().catch(() => undefined)));
    await server?.stop();
  });

  test('a long run continues as new between steps; queries show the full ladder; the output is the in-process one', async (t) => {
    const definitions = definitionsOf(longRunbook());
    const handlers = await loadHandlerRegistry(join(ROOT, 'handlers'));
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    const connection = await Connection.connect({ address: server.address });
    closing.push(nativeConnection, connection);
    const client = new Client({ connection, namespace: server.namespace });
    const taskQueue = 'continue-as-new';
    const worker = await createInterpreterWorker({ connection: nativeConnection, namespace: server.namespace, taskQueue, handlers, definitions });
    const runs = new TemporalRunClient(client, taskQueue);

    await worker.runUntil(async () => {
      const run = await runs.start('long-runbook', {}, { runId: 'long-runbook-can' });
      const firstRunId = (await client.workflow.getHandle(run.runId).describe()).runId;
      await pendingAt(run, 'check');
      const waiting = await run.currentSteps();
      assert.deepEqual(
        waiting.map((step) => [step.id, step.status]),
        [...Array.from({ length: STEPS }, (_, i) => [`step_${i + 1}`, 'completed']), ['check', 'waiting'], ['last', 'pending']],
      );
      const ui = await run.currentUiState();
      assert.equal(ui.current_step, 'check');
      assert.equal(ui.steps.length, STEPS + 2);

      await run.userAction({ action: 'rejected' }); // back to step_10
      await pendingAt(run, 'check');
      await run.userAction({ action: 'approved' });
      const output = await run.result();

      // It did continue as new, more than once, and the latest run is not the first.
      const chain: string[] = [firstRunId];
      for (;;) {
        const history = await client.workflow.getHandle(run.runId, chain.at(-1)).fetchHistory();
        const last = history.events!.at(-1)!;
        if (last.eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) break;
        chain.push(last.workflowExecutionContinuedAsNewEventAttributes!.newExecutionRunId!);
      }
      assert.ok(chain.length >= 4, `continued as new ${chain.length - 1} times`);
      t.diagnostic(`${chain.length} runs in the chain`);

      // Every run of the chain (each started from the previous one's snapshot) replays.
      const workflowBundle = await bundleInterpreterWorkflow(WORKFLOW_MODULE);
      const histories = await Promise.all(chain.map(async (runId) => ({ workflowId: run.runId, history: await client.workflow.getHandle(run.runId, runId).fetchHistory() })));
      for await (const replayed of Worker.runReplayHistories({ workflowBundle }, histories)) assert.equal(replayed.error, undefined, String(replayed.error));

      // The same runbook in-process.
      const local = new LocalRuntime({ definitions, handlers });
      const localRun = local.start('long-runbook', {});
      await pendingAt(localRun, 'check');
      await localRun.userAction({ action: 'rejected' });
      await pendingAt(localRun, 'check');
      await localRun.userAction({ action: 'approved' });
      const expected = await localRun.result();
      assert.deepEqual(output, { total: STEPS + 100, review: 'approved' });
      assert.deepEqual(output, expected);
      // The ladders agree but for the times (each runtime has its own clock): those are ISO, in order.
      const untimed = (steps: readonly StepView[]) => steps.map(({ started_at: _s, ended_at: _e, ...rest }) => rest);
      const temporalSteps = await run.currentSteps();
      assert.deepEqual(untimed(temporalSteps), untimed(await localRun.currentSteps()));
      for (const step of temporalSteps) {
        assert.match(String(step.started_at), /^\d{4}-\d{2}-\d{2}T.*Z$/);
        assert.ok(String(step.started_at) <= String(step.ended_at), `${step.id} ends after it starts`);
      }
      // The chain keeps its start time and its timeline over every continue-as-new.
      const [temporalUi, localUi] = [await run.currentUiState(), await localRun.currentUiState()];
      assert.equal(temporalUi.started_at, ui.started_at);
      assert.equal(temporalUi.timeline?.[0]?.type, 'run.started');
      assert.deepEqual(temporalUi.timeline?.map((entry) => [entry.type, entry.step ?? null]), localUi.timeline?.map((entry) => [entry.type, entry.step ?? null]));
    });
  });
});
