/**
 * Declining an agent's question (user action `declined`, with an optional comment), on both runtimes
 * against the scripted A2A agent: the agent's task is cancelled (A2A cancelTask), the step fails with
 * AGENT_DECLINED naming who declined and why, `on_error` routes it like any failure, and the action's
 * refusals (a payload sent with it, a review, another step).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { AgentRegistry, a2aAgent, defineAgent } from '../../interpreter/agents/index.ts';
import { loadHandlerRegistry } from '../../interpreter/handlers/index.ts';
import { ActionRejectedError, RunFailedError } from '../../interpreter/runtime/runtime-errors.ts';
import type { RunHandle } from '../../interpreter/runtime/run-handle.ts';
import { createLocalTestRuntime, temporalTestRuntime, type TestRuntime } from '../../interpreter/testing/index.ts';
import { startA2aAgent, type AgentServer } from '../support/agent-servers.ts';
import { runbookOf } from '../support/inline-runbook.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';
import { REPO_ROOT } from '../conformance/cases.ts';

after(closeTestTemporal);

let a2a: AgentServer;
const contract = { input: z.object({ mode: z.string(), entity: z.string().optional() }), output: z.object({ summary: z.string(), lines: z.number() }) };
/** An agent whose adapter asks at once and cannot cancel: the decline stands, the message says the task could not be cancelled. */
const uncancellable = defineAgent({
  name: 'test.asker',
  ...contract,
  adapter: { kind: 'stub', target: 'in memory', run: async () => ({ state: 'input-required', question: { text: 'Which period?' }, usage: {}, task_id: 'stub-task', context_id: 'stub-context' }) },
});
const agents = new AgentRegistry([defineAgent({ name: 'test.drafter', ...contract, adapter: a2aAgent({ cardUrl: () => a2a.url }) }), uncancellable]);

const agentStep = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ id: 'draft', title: 'Draft', agent: { name, input: '{% $input %}', timeout: '3s', poll_interval: '50ms', ...extra } });
const plain = runbookOf({ slug: 'agent-decline', title: 'Decline', steps: [agentStep('test.drafter'), { id: 'after', title: 'After', call: { handler: 'util.echo', args: { value: 'reached' } } }] });
const stub = runbookOf({ slug: 'agent-decline-stub', title: 'Decline (stub)', steps: [agentStep('test.asker')] });
const routed = runbookOf({
  slug: 'agent-decline-routed',
  title: 'Decline routed',
  steps: [
    agentStep('test.drafter', { on_error: [{ type: 'AGENT_DECLINED', then: 'continue' }, { then: { fail: 'unexpected: {% $result.error.type %}' } }] }),
    { id: 'by_hand', title: 'Draft by hand', call: { handler: 'util.echo', args: { value: '{% $steps.draft.error.type %}' } } },
  ],
});
const review = runbookOf({ slug: 'agent-decline-review', title: 'Review', steps: [{ id: 'check', title: 'Check', review: { payload: {} } }] });

async function failureOf(run: RunHandle): Promise<RunFailedError['failure']> {
  const error = await run.result().then(
    () => assert.fail('the run completed'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof RunFailedError, String(error));
  return error.failure;
}

async function rejectionOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => assert.fail('the action was accepted'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ActionRejectedError, String(error));
  return error.code;
}

before(async () => {
  a2a = await startA2aAgent();
});
after(async () => a2a?.close());

for (const name of ['in-process', 'Temporal'] as const) {
  describe(`declining an agent's question ${name}`, () => {
    let runtime: TestRuntime;
    let n = 0;
    const runId = (label: string): string => `${label}-${name === 'Temporal' ? 't' : 'l'}-${process.pid}-${Date.now()}-${n++}`;
    before(async () => {
      const handlers = await loadHandlerRegistry(join(REPO_ROOT, 'handlers'));
      if (name === 'in-process') runtime = createLocalTestRuntime({ handlers, agents });
      else {
        const temporal = await getTestTemporal();
        runtime = await temporalTestRuntime({ connection: await temporal.connection(), nativeConnection: await temporal.nativeConnection(), namespace: temporal.namespace, taskQueue: temporal.taskQueue('agent-decline'), handlers, agents });
      }
    });
    after(async () => runtime?.close());

    test('declined with a comment: the A2A task is cancelled, the step fails with AGENT_DECLINED saying who and why, on the timeline', async () => {
      const run = await runtime.start([plain], 'agent-decline', { mode: 'ask', entity: 'acme' }, runId('decline'));
      const pending = await run.waitForPendingAction();
      assert.equal(pending?.kind, 'agent');
      const { task_id: taskId } = pending.payload as { task_id: string };
      assert.equal(await rejectionOf(run.userAction({ action: 'declined', step: 'draft', payload: { period: '2026-03' } })), 'ACTION_INVALID', 'an answer sent as a decline');
      assert.equal(await rejectionOf(run.userAction({ action: 'declined', step: 'after' })), 'WRONG_STEP');
      await run.userAction({ action: 'declined', step: 'draft', actor: 'alice@example.com', comment: 'We do not accrue this vendor' });
      const failure = await failureOf(run);
      assert.equal(failure.type, 'AGENT_DECLINED');
      assert.equal(failure.step, 'draft');
      assert.match(failure.message, /alice@example\.com declined agent test\.drafter's question: We do not accrue this vendor; its task was cancelled/);
      assert.ok(a2a.cancelled.has(taskId), 'the agent task was cancelled');
      const state = await run.currentUiState();
      assert.deepEqual(state.steps.map((step) => [step.id, step.status]), [['draft', 'failed'], ['after', 'pending']]);
      const taken = (state.timeline ?? []).find((entry) => entry.type === 'action.taken');
      assert.deepEqual([taken?.outcome, taken?.actor, taken?.comment], ['declined', 'alice@example.com', 'We do not accrue this vendor']);
      assert.equal(await rejectionOf(run.userAction({ action: 'declined', step: 'draft' })), 'NO_PENDING_ACTION');
    });

    test('on_error routes AGENT_DECLINED: the run goes on without the agent', async () => {
      const run = await runtime.start([routed], 'agent-decline-routed', { mode: 'ask' }, runId('decline-routed'));
      await run.waitForPendingAction();
      await run.userAction({ action: 'declined' });
      const output = (await run.result()) as { draft: { error: { type: string; message: string } }; by_hand: { value: string } };
      assert.equal(output.draft.error.type, 'AGENT_DECLINED');
      assert.match(output.draft.error.message, /the person asked declined agent test\.drafter's question; its task was cancelled/);
      assert.equal(output.by_hand.value, 'AGENT_DECLINED');
    });

    test('an adapter that cannot cancel: the decline stands, and the failure says the task was not cancelled', async () => {
      const run = await runtime.start([stub], 'agent-decline-stub', { mode: 'ask' }, runId('decline-stub'));
      await run.waitForPendingAction();
      await run.userAction({ action: 'declined', comment: '  ' });
      const failure = await failureOf(run);
      assert.equal(failure.type, 'AGENT_DECLINED');
      assert.match(failure.message, /declined agent test\.asker's question; its task could not be cancelled \(the stub adapter of agent test\.asker cannot cancel a task\)/);
    });

    test('a review cannot be declined: ACTION_INVALID', async () => {
      const run = await runtime.start([review], 'agent-decline-review', {}, runId('decline-review'));
      await run.waitForPendingAction();
      assert.equal(await rejectionOf(run.userAction({ action: 'declined' })), 'ACTION_INVALID');
      await run.userAction({ action: 'approved' });
      await run.result();
    });
  });
}
