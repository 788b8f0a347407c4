/**
 * `agent` steps against real local agent servers (A2A and MCP, built with the official SDKs in this
 * process, scripted: no model), on both runtimes: an agent that completes, one that asks a question
 * (answered on the same A2A task), one over its budget, one that fails, one that times out, one whose
 * output breaks its contract, and MCP tools.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { AgentRegistry, a2aAgent, defineAgent, mcpTool, type AgentResult } from '../../interpreter/agents/index.ts';
import { loadHandlerRegistry } from '../../interpreter/handlers/index.ts';
import { ActionRejectedError, RunFailedError } from '../../interpreter/runtime/runtime-errors.ts';
import type { RunHandle } from '../../interpreter/runtime/run-handle.ts';
import { createLocalTestRuntime, temporalTestRuntime, type TestRuntime } from '../../interpreter/testing/index.ts';
import { startA2aAgent, startMcpServer, type AgentServer } from '../support/agent-servers.ts';
import { runbookOf } from '../support/inline-runbook.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';
import { REPO_ROOT } from '../conformance/cases.ts';
import { join } from 'node:path';

after(closeTestTemporal);

let a2a: AgentServer;
let mcp: AgentServer;

const contract = {
  input: z.object({ mode: z.string(), entity: z.string().optional() }),
  output: z.object({ summary: z.string(), lines: z.number() }),
};
const agents = new AgentRegistry([
  defineAgent({ name: 'test.drafter', ...contract, adapter: a2aAgent({ cardUrl: () => a2a.url }) }),
  defineAgent({ name: 'test.tool', ...contract, adapter: mcpTool({ url: () => mcp.url, tool: 'draft_journal' }) }),
]);

function agentRunbook(slug: string, agent: Record<string, unknown>): ReturnType<typeof runbookOf> {
  return runbookOf({
    slug,
    title: slug,
    steps: [
      { id: 'draft', title: 'Draft', agent: { input: '{% $input %}', timeout: '3s', poll_interval: '50ms', ...agent } },
      { id: 'after', title: 'After', call: { handler: 'util.echo', args: { value: '{% $steps.draft.output.summary %}' } } },
    ],
  });
}

const drafter = agentRunbook('agent-a2a', { name: 'test.drafter', budget: { tokens: 1000 } });
const tool = agentRunbook('agent-mcp', { name: 'test.tool', budget: { tokens: 1000 } });
const slow = agentRunbook('agent-slow', { name: 'test.drafter', timeout: '1s', retry: { max_attempts: 1 } });
const routed = runbookOf({
  slug: 'agent-routed',
  title: 'Agent routed',
  steps: [
    { id: 'draft', title: 'Draft', agent: { name: 'test.drafter', input: '{% $input %}', poll_interval: '50ms', on_error: [{ type: 'AGENT_FAILED', then: { goto: 'draft' } }, { then: { fail: 'the agent gave up: {% $result.error.type %}' } }] } },
  ],
});

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
  mcp = await startMcpServer();
});
after(async () => {
  await a2a?.close();
  await mcp?.close();
});

for (const name of ['in-process', 'Temporal'] as const) {
  describe(`agent steps ${name}`, () => {
    let runtime: TestRuntime;
    let n = 0;
    const runId = (label: string): string => `${label}-${name === 'Temporal' ? 't' : 'l'}-${process.pid}-${Date.now()}-${n++}`;
    before(async () => {
      const handlers = await loadHandlerRegistry(join(REPO_ROOT, 'handlers'));
      if (name === 'in-process') runtime = createLocalTestRuntime({ handlers, agents });
      else {
        const temporal = await getTestTemporal();
        runtime = await temporalTestRuntime({ connection: await temporal.connection(), nativeConnection: await temporal.nativeConnection(), namespace: temporal.namespace, taskQueue: temporal.taskQueue('agents'), handlers, agents });
      }
    });
    after(async () => runtime?.close());

    test('an A2A agent that completes: its output is checked, usage reported, and later steps read it', async () => {
      const run = await runtime.start([drafter], 'agent-a2a', { mode: 'complete', entity: 'acme' }, runId('a2a-complete'));
      const output = (await run.result()) as { draft: AgentResult; after: { value: string } };
      assert.equal(output.draft.status, 'completed');
      assert.deepEqual(output.draft.output, { summary: 'drafted for acme', lines: 2 });
      assert.equal(output.draft.text, 'Drafted.');
      assert.deepEqual(output.draft.usage, { tokens: 120, cost: 0.01 });
      assert.deepEqual(output.draft.questions, []);
      assert.equal(output.after.value, 'drafted for acme');
    });

    test('an A2A agent that asks: a pending action of kind agent with its question and form; the answer goes back on the same task', async () => {
      const run = await runtime.start([drafter], 'agent-a2a', { mode: 'ask', entity: 'acme' }, runId('a2a-ask'));
      const pending = await run.waitForPendingAction();
      assert.equal(pending?.kind, 'agent');
      assert.equal(pending.action, 'answer_agent');
      assert.equal(pending.reason, 'Which period?');
      const hint = pending.display_hint as { type: string; agent: string; schema: { required: string[] } };
      assert.equal(hint.type, 'agent_question');
      assert.equal(hint.agent, 'test.drafter');
      assert.deepEqual(hint.schema.required, ['period']);
      const { task_id: taskId } = pending.payload as { task_id: string };
      assert.equal(await rejectionOf(run.userAction({ action: 'approved' })), 'NOT_A_REVIEW');
      assert.equal(await rejectionOf(run.userAction({ action: 'answered', payload: { month: 'March' } })), 'ANSWER_INVALID');
      await run.userAction({ action: 'answered', step: 'draft', payload: { period: '2026-03' }, actor: 'alice@example.com' });
      const output = (await run.result()) as { draft: AgentResult };
      assert.deepEqual(output.draft.output, { summary: 'drafted for 2026-03', lines: 2 });
      assert.deepEqual(output.draft.questions, [{ question: 'Which period?', answer: { period: '2026-03' }, actor: 'alice@example.com' }]);
      assert.deepEqual(output.draft.usage, { tokens: 200, cost: 0.02 });
      assert.ok(a2a.received.some((message) => JSON.stringify(message) === JSON.stringify({ period: '2026-03' })));
      const state = await run.currentUiState();
      assert.ok((state.timeline ?? []).some((entry) => entry.type === 'action.taken' && entry.outcome === 'answered' && entry.actor === 'alice@example.com'));
      assert.ok(taskId.length > 0);
    });

    test('an A2A agent over its token budget: its task is cancelled and the step fails with AGENT_BUDGET_EXCEEDED', async () => {
      const run = await runtime.start([drafter], 'agent-a2a', { mode: 'expensive' }, runId('a2a-budget'));
      const failure = await failureOf(run);
      assert.equal(failure.type, 'AGENT_BUDGET_EXCEEDED');
      assert.equal(failure.step, 'draft');
      assert.match(failure.message, /budget is 1000/);
      assert.ok(a2a.cancelled.size > 0, 'the agent task was cancelled');
    });

    test('an A2A agent that fails: AGENT_FAILED with what the agent said, and on_error routes on it', async () => {
      const failure = await failureOf(await runtime.start([drafter], 'agent-a2a', { mode: 'fail' }, runId('a2a-fail')));
      assert.equal(failure.type, 'AGENT_FAILED');
      assert.match(failure.message, /the ledger is closed/);
      const routedFailure = await failureOf(await runtime.start([routed], 'agent-routed', { mode: 'bad_output' }, runId('a2a-routed')));
      assert.equal(routedFailure.type, 'AGENT_OUTPUT_INVALID');
      assert.match(routedFailure.message, /the agent gave up: AGENT_OUTPUT_INVALID/);
    });

    test('an A2A agent that does not finish in time: AGENT_TIMEOUT, its task cancelled', async () => {
      const failure = await failureOf(await runtime.start([slow], 'agent-slow', { mode: 'slow' }, runId('a2a-timeout')));
      assert.equal(failure.type, 'AGENT_TIMEOUT');
      assert.match(failure.message, /within 1000ms/);
    });

    test('input that breaks the agent\'s contract fails with AGENT_INPUT_INVALID before the agent is asked', async () => {
      const before = a2a.received.length;
      const failure = await failureOf(await runtime.start([drafter], 'agent-a2a', { entity: 'acme' }, runId('a2a-input')));
      assert.equal(failure.type, 'AGENT_INPUT_INVALID');
      assert.equal(a2a.received.length, before);
    });

    test('an MCP tool: structured content is the output, resource links are files; isError is AGENT_FAILED; usage over budget fails', async () => {
      const output = (await (await runtime.start([tool], 'agent-mcp', { mode: 'complete', entity: 'acme' }, runId('mcp-complete'))).result()) as { draft: AgentResult };
      assert.deepEqual(output.draft.output, { summary: 'drafted for acme', lines: 2 });
      assert.deepEqual(output.draft.files, [{ name: 'je-1.csv', media_type: 'text/csv', url: 'file:///drafts/je-1.csv' }]);
      assert.deepEqual(output.draft.usage, { tokens: 90, cost: 0.005 });
      const failed = await failureOf(await runtime.start([tool], 'agent-mcp', { mode: 'fail' }, runId('mcp-fail')));
      assert.equal(failed.type, 'AGENT_FAILED');
      assert.match(failed.message, /the ledger is closed/);
      const over = await failureOf(await runtime.start([tool], 'agent-mcp', { mode: 'expensive' }, runId('mcp-budget')));
      assert.equal(over.type, 'AGENT_BUDGET_EXCEEDED');
    });

    test('an agent nobody registered fails with AGENT_UNKNOWN naming the registered ones', async () => {
      const unknown = agentRunbook('agent-unknown', { name: 'test.nobody' });
      const failure = await failureOf(await runtime.start([unknown], 'agent-unknown', { mode: 'complete' }, runId('unknown')));
      assert.equal(failure.type, 'AGENT_UNKNOWN');
      assert.match(failure.message, /test\.drafter/);
    });
  });
}
