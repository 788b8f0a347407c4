/**
 * The Temporal dev server module, and a smoke test that a bundled TypeScript workflow (with
 * `.ts` imports and jsonata) runs on the shared test server.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { bundleInterpreterWorkflow } from '../../interpreter/temporal/bundle.ts';
import { serverAnswers, startDevServer } from '../../interpreter/temporal/dev-server.ts';
import { ensureTemporalCli } from '../../interpreter/temporal/temporal-cli.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';
import type { SmokeInput, SmokeResult } from './fixtures/smoke-workflow.ts';

after(closeTestTemporal);

describe('dev server module', () => {
  test('ensureTemporalCli finds the temporal binary', async () => {
    const cli = await ensureTemporalCli();
    assert.ok(existsSync(cli), `${cli} exists`);
  });

  test('starts a second server on its own ports, which answers, and stops it', async () => {
    const shared = await getTestTemporal();
    const server = await startDevServer();
    try {
      assert.match(server.address, /^127\.0\.0\.1:\d+$/);
      assert.notEqual(server.address, shared.address);
      assert.equal(server.namespace, 'default');
      assert.ok(await serverAnswers(server.address), 'the new server answers');
      assert.ok(existsSync(server.dbFilename), 'its database file exists');
    } finally {
      await server.stop();
    }
    const exit = await server.exited;
    assert.ok(exit.code === 0 || exit.signal !== null, `exited (${JSON.stringify(exit)})`);
    assert.equal(await serverAnswers(server.address), false, 'no longer answers after stop()');
    assert.equal(existsSync(server.dbFilename), false, 'its temporary database is removed');
    await server.stop(); // idempotent
  });

  test('a server that cannot start reports its output', async () => {
    await assert.rejects(
      startDevServer({ extraArgs: ['--no-such-flag'], startTimeoutMs: 20_000 }),
      (error: Error) => /exited during start-up/.test(error.message) && /no-such-flag/.test(error.message),
    );
  });
});

describe('smoke: a bundled TypeScript workflow runs on the test server', () => {
  test('bundles the fixture and executes it with a Worker and a Client', async (t) => {
    const temporal = await getTestTemporal();
    const started = Date.now();
    const bundle = await bundleInterpreterWorkflow(
      fileURLToPath(new URL('./fixtures/smoke-workflow.ts', import.meta.url)),
    );
    const bundledMs = Date.now() - started;

    const taskQueue = temporal.taskQueue('smoke');
    const worker = await Worker.create({
      connection: await temporal.nativeConnection(),
      namespace: temporal.namespace,
      taskQueue,
      workflowBundle: bundle,
    });
    const client = await temporal.client();
    const input: SmokeInput = { name: 'runbook', numbers: [1, 2, 3.5] };
    const result = await worker.runUntil(
      client.workflow.execute<(input: SmokeInput) => Promise<SmokeResult>>('smokeWorkflow', {
        taskQueue,
        workflowId: `smoke-${Date.now()}`,
        args: [input],
        workflowExecutionTimeout: '60s',
      }),
    );
    const totalMs = Date.now() - started;
    assert.deepEqual(result, { greeting: 'Hello, runbook!', total: 6.5, workflowType: 'smokeWorkflow' });
    t.diagnostic(`smoke: bundle ${bundledMs} ms, bundle+worker+execute ${totalMs} ms`);
  });
});
