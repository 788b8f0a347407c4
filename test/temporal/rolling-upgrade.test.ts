/**
 * Deploying a new interpreter build with runs in flight (docs/temporal.md, "Deploying interpreter changes"):
 * a run started on the previous build (its workflow bundled without the truthful-attributes patch) waits on a
 * review; that worker stops; a worker with the current build finishes the run on the path it started on
 * (no patch marker, no final-status upsert), a new run takes the patched path, and both histories replay.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';
import { Worker } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import { loadHandlerRegistry } from '../../interpreter/handlers/index.ts';
import { bundleInterpreterWorkflow } from '../../interpreter/temporal/bundle.ts';
import { createHandlerActivities } from '../../interpreter/temporal/handler-activities.ts';
import { createInterpreterWorker, WORKFLOW_MODULE } from '../../interpreter/temporal/interpreter-worker.ts';
import { TemporalRunClient } from '../../interpreter/temporal/temporal-run-client.ts';
import type { RunHandle } from '../../interpreter/runtime/run-handle.ts';
import { PATCH } from '../../interpreter/core/patches.ts';
import { StaticDefinitions } from '../../interpreter/runtime/definition-source.ts';
import { runbookOf } from '../support/inline-runbook.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PREVIOUS_PATCHES = fileURLToPath(new URL('./fixtures/previous-build-patches.ts', import.meta.url));

after(closeTestTemporal);

const definitions = new StaticDefinitions([runbookOf({
  slug: 'rolling-upgrade', title: 'Rolling upgrade',
  steps: [
    { id: 'prepare', title: 'Prepare', call: { handler: 'util.echo', args: { value: 'prepared' } } },
    { id: 'check', title: 'Check', review: {} },
    { id: 'finish', title: 'Finish', call: { handler: 'util.echo', args: { value: "{% $steps.prepare.value & '-finished' %}" } } },
  ],
  output: '{% $steps.finish.value %}',
})]);

async function pendingAt(run: RunHandle, step: string): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 50) {
    if ((await run.currentPendingAction())?.step === step) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${run.runId}: ${step} never became pending`);
}

/** Every patch id a history records (its patch markers' data, JSON naming the id). */
function patchMarkers(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((event) => {
    const marker = event.markerRecordedEventAttributes;
    if (!marker) return [];
    return Object.values(marker.details ?? {}).flatMap((payloads) => (payloads.payloads ?? []).map((payload) => Buffer.from(payload.data ?? new Uint8Array()).toString('utf8')));
  }).flatMap((text) => [...text.matchAll(/yaml-runbook\/[a-z0-9-]+/g)].map((match) => match[0]));
}

test('a run started on the previous build finishes on the current one, on the path it started on', async () => {
  const temporal = await getTestTemporal();
  const taskQueue = temporal.taskQueue('rolling-upgrade');
  const handlers = await loadHandlerRegistry(join(ROOT, 'handlers'));
  const client = await temporal.client();
  const runs = new TemporalRunClient(client, taskQueue);

  // The previous build: the same workflow, bundled with the patch list it shipped with.
  const previousBundle = await bundleInterpreterWorkflow(WORKFLOW_MODULE, {
    cache: false,
    webpackConfigHook: (config) => ({ ...config, plugins: [...(config.plugins ?? []), new webpack.NormalModuleReplacementPlugin(/core[\\/]patches\.ts$/, PREVIOUS_PATCHES)] }),
  });
  const previous = await Worker.create({
    connection: await temporal.nativeConnection(), namespace: temporal.namespace, taskQueue, workflowBundle: previousBundle,
    activities: createHandlerActivities(handlers, definitions),
  });
  let inFlight: RunHandle | undefined;
  await previous.runUntil(async () => {
    inFlight = await runs.start('rolling-upgrade', {});
    await pendingAt(inFlight, 'check');
  });
  assert.ok(inFlight);
  const before = await client.workflow.getHandle(inFlight.runId).fetchHistory();
  assert.ok(!patchMarkers(before).includes(PATCH.finalAttributes), 'the previous build recorded no truthful-attributes marker');

  // The new build takes over the task queue; the run continues from its history.
  const current = await createInterpreterWorker({ connection: await temporal.nativeConnection(), namespace: temporal.namespace, taskQueue, handlers, definitions });
  await current.runUntil(async () => {
    await inFlight!.userAction({ action: 'approved' });
    assert.equal(await inFlight!.result(), 'prepared-finished');
    const fresh = await runs.start('rolling-upgrade', {});
    await pendingAt(fresh, 'check');
    await fresh.userAction({ action: 'approved' });
    assert.equal(await fresh.result(), 'prepared-finished');

    const oldHistory = await client.workflow.getHandle(inFlight!.runId).fetchHistory();
    const newHistory = await client.workflow.getHandle(fresh.runId).fetchHistory();
    assert.ok(!patchMarkers(oldHistory).includes(PATCH.finalAttributes), 'the old run stayed on its path');
    assert.ok(patchMarkers(newHistory).includes(PATCH.finalAttributes), 'a new run takes the patched path');
    assert.ok(!patchMarkers(oldHistory).includes(PATCH.waitingSince) && patchMarkers(newHistory).includes(PATCH.waitingSince), 'RunbookWaitingSince: only the new run');
    // Only the patched run sets the final status (the old one keeps what it had, as docs/temporal.md says).
    assert.deepEqual((await client.workflow.getHandle(fresh.runId).describe()).searchAttributes.RunbookStatus, ['completed']);
    assert.notDeepEqual((await client.workflow.getHandle(inFlight!.runId).describe()).searchAttributes.RunbookStatus, ['completed']);

    // And both replay from scratch on the current build (what the replay corpus checks in CI).
    const bundle = await bundleInterpreterWorkflow(WORKFLOW_MODULE);
    await Worker.runReplayHistory({ workflowBundle: bundle }, oldHistory, inFlight!.runId);
    await Worker.runReplayHistory({ workflowBundle: bundle }, newHistory, fresh.runId);
  });
});
