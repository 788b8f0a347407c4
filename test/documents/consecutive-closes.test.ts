/**
 * The month-end close example with committed documents, on both runtimes: an entity's very first
 * close finds no previous close (`found: false`, not an error) and records its closing balance; the
 * next period's close shows that balance in its review payload (`previous_period`, `previous_totals`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { LocalRuntime, type PendingAction, type RunHandle } from '../../interpreter/index.ts';
import { createInterpreterWorker, TemporalRunClient } from '../../interpreter/temporal/index.ts';
import { loadProjectRunbooks } from '../../interpreter/server/project-runbooks.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';
import { ROOT } from '../support/run-cli.ts';
import { exampleHandlers } from '../server/console-fixture.ts';

const TB = JSON.parse(readFileSync(join(ROOT, 'runbooks', 'month-end-close.tb_submitted.json'), 'utf8')) as { content: string; filename: string };

/** One close of `period`, driven to the end: the upload, then an approval. Returns the review's payload. */
async function close(start: (input: unknown) => Promise<RunHandle>, entity: string, period: string): Promise<{ review: PendingAction; output: Record<string, unknown> }> {
  const run = await start({ entity, period, expected_documents: [] });
  const upload = await run.waitForPendingAction();
  assert.equal(upload?.step, 'await_trial_balance');
  await run.signal('tb_submitted', { period, filename: `tb-${period}.csv`, content: TB.content.replace('2025-01', period) });
  const review = await run.waitForPendingAction();
  assert.equal(review?.step, 'review_extraction', JSON.stringify(await run.currentUiState().then((state) => state.error)));
  await run.userAction({ step: 'review_extraction', action: 'approved', actor: 'ana@example.com' });
  return { review: review!, output: (await run.result()) as Record<string, unknown> };
}

function assertConsecutive(first: Awaited<ReturnType<typeof close>>, second: Awaited<ReturnType<typeof close>>): void {
  const firstPayload = first.review.payload as Record<string, unknown>;
  assert.equal(firstPayload.previous_period, null, 'the very first close: no previous close');
  assert.equal(firstPayload.previous_totals, null);
  assert.equal(first.output.previous_period, null);
  const secondPayload = second.review.payload as Record<string, unknown>;
  assert.equal(secondPayload.previous_period, '2025-01');
  assert.deepEqual(secondPayload.previous_totals, first.output.totals, "the second close's review shows the first one's committed figures");
  assert.deepEqual(secondPayload.previous_totals, { debit: 22390, credit: 22390, balanced: true });
}

describe('consecutive month-end closes read the previous committed close', () => {
  after(closeTestTemporal);

  test('in-process', async () => {
    const handlers = await exampleHandlers();
    const project = await loadProjectRunbooks(join(ROOT, 'runbooks'), handlers);
    const runtime = new LocalRuntime({ definitions: project.definitions, handlers });
    const entity = `acme-docs-${process.pid}-${Date.now().toString(36)}`;
    const start = async (input: unknown): Promise<RunHandle> => runtime.start('month-end-close', input);
    const first = await close(start, entity, '2025-01');
    const second = await close(start, entity, '2025-02');
    assertConsecutive(first, second);
  });

  test('on Temporal', async () => {
    const temporal = await getTestTemporal();
    const handlers = await exampleHandlers();
    const project = await loadProjectRunbooks(join(ROOT, 'runbooks'), handlers);
    const taskQueue = temporal.taskQueue('consecutive-closes');
    const worker: Worker = await createInterpreterWorker({ connection: await temporal.nativeConnection(), namespace: temporal.namespace, taskQueue, handlers, definitions: project.definitions });
    const running = worker.run();
    try {
      const client = new TemporalRunClient(new Client({ connection: await temporal.connection(), namespace: temporal.namespace }), taskQueue);
      const entity = `acme-docs-t-${process.pid}-${Date.now().toString(36)}`;
      const start = async (input: unknown): Promise<RunHandle> => client.start('month-end-close', input);
      const first = await close(start, entity, '2025-01');
      const second = await close(start, entity, '2025-02');
      assertConsecutive(first, second);
    } finally {
      worker.shutdown();
      await running;
    }
  });
});
