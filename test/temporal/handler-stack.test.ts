/**
 * A plain Error thrown by a handler (a bug) keeps its stack in the run failure, on both runtimes,
 * through a child run too; a WorkflowError (a decision) carries none.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { defineHandler, HandlerRegistry, WorkflowError } from '../../interpreter/handlers/index.ts';
import type { RunHandle } from '../../interpreter/runtime/run-handle.ts';
import { RunFailedError } from '../../interpreter/runtime/runtime-errors.ts';
import { createLocalTestRuntime, temporalTestRuntime, type TestRuntime } from '../../interpreter/testing/index.ts';
import { runbookOf } from '../support/inline-runbook.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';

after(closeTestTemporal);

function crashOnPurpose(): never {
  throw new TypeError('the handler has a bug');
}

const handlers = new HandlerRegistry([
  defineHandler({ name: 'bug.crash', input: z.object({}), output: z.object({}), async run() { crashOnPurpose(); } }),
  defineHandler({
    name: 'bug.refuse',
    input: z.object({}),
    output: z.object({}),
    async run() {
      throw new WorkflowError('the ledger is closed', { type: 'LEDGER_CLOSED', nonRetryable: true });
    },
  }),
]);

const once = { max_attempts: 1 };
const crash = runbookOf({ slug: 'stack-crash', title: 'Crash', steps: [{ id: 'crash', title: 'Crash', call: { handler: 'bug.crash', retry: once } }] });
const refuse = runbookOf({ slug: 'stack-refuse', title: 'Refuse', steps: [{ id: 'refuse', title: 'Refuse', call: { handler: 'bug.refuse', retry: once } }] });
const parent = runbookOf({ slug: 'stack-parent', title: 'Parent', steps: [{ id: 'delegate', title: 'Delegate', child: { runbook: 'stack-crash' } }] });

async function failureOf(run: RunHandle): Promise<RunFailedError['failure']> {
  const error = await run.result().then(
    () => assert.fail('the run should fail'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof RunFailedError, String(error));
  return error.failure;
}

async function onTemporal(): Promise<TestRuntime> {
  const temporal = await getTestTemporal();
  return temporalTestRuntime({
    connection: await temporal.connection(),
    nativeConnection: await temporal.nativeConnection(),
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue('handler-stack'),
    handlers,
  });
}

for (const [name, create] of [
  ['in-process', async () => createLocalTestRuntime({ handlers, logger: { debug() {}, info() {}, warn() {}, error() {} } })],
  ['Temporal', onTemporal],
] as const) {
  describe(`handler failures on ${name}`, () => {
    let runtime: TestRuntime;
    const runId = (label: string): string => `${label}-${name === 'Temporal' ? 't' : 'l'}-${Date.now()}`;
    before(async () => (runtime = await create()));
    after(async () => runtime?.close());

    test('a plain Error keeps its stack in the failure and in the ui state', async () => {
      const run = await runtime.start([crash], 'stack-crash', {}, runId('stack-crash'));
      const failure = await failureOf(run);
      assert.equal(failure.type, 'TypeError');
      assert.equal(failure.step, 'crash');
      assert.match(failure.message, /the handler has a bug/);
      assert.match(failure.stack ?? '', /crashOnPurpose/);
      assert.match((await run.currentUiState()).error?.stack ?? '', /crashOnPurpose/);
    });

    test("a child's plain Error keeps its stack in the parent's failure", async () => {
      const run = await runtime.start([parent, crash], 'stack-parent', {}, runId('stack-parent'));
      const failure = await failureOf(run);
      assert.equal(failure.step, 'delegate');
      assert.match(failure.stack ?? '', /crashOnPurpose/);
    });

    test('a WorkflowError carries no stack', async () => {
      const run = await runtime.start([refuse], 'stack-refuse', {}, runId('stack-refuse'));
      const failure = await failureOf(run);
      assert.equal(failure.type, 'LEDGER_CLOSED');
      assert.equal(failure.stack, undefined);
      assert.equal((await run.currentUiState()).error?.stack, undefined);
    });
  });
}
