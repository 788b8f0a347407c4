/**
 * Query results as Temporal's tools receive them (issue 13: "a null query result prints as a raw
 * payload"). Nothing pending is `current_pending_action` = null, the documented contract that every
 * client tests for; on the wire it is JSON (`json/plain`, `null`), which the Web UI shows as `null`.
 * The Temporal CLI decodes it to nothing and prints that as a `binary/null` payload (its rendering, not
 * ours): `current_ui_state` answers readably there (`status`, `pending_action: null`). docs/temporal.md
 * says so.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { QUERY } from '../../interpreter/temporal/workflow-contract.ts';
import { ensureTemporalCli } from '../../interpreter/temporal/temporal-cli.ts';
import { temporalTestRuntime, type TemporalTestRuntime } from '../../interpreter/testing/index.ts';
import { runbookOf } from '../support/inline-runbook.ts';
import { closeTestTemporal, getTestTemporal, type TestTemporal } from '../support/temporal-env.ts';

const slug = `query-pause-${process.pid}-${Date.now().toString(36)}`;
const pause = runbookOf({ slug, title: 'Pause', steps: [{ id: 'pause', title: 'Let it settle', timer: { duration: '1h' } }] });

let temporal: TestTemporal;
let runtime: TemporalTestRuntime;

before(async () => {
  temporal = await getTestTemporal();
  runtime = await temporalTestRuntime({
    connection: await temporal.connection(),
    nativeConnection: await temporal.nativeConnection(),
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue('queries'),
    handlers: null,
    handlerNames: [],
  });
});

after(async () => {
  await runtime?.close();
  await closeTestTemporal();
});

test('with nothing pending, every query answers JSON: current_pending_action is json/plain null, and the CLI reads current_ui_state as JSON', async () => {
  const runId = `query-null-${process.pid}-${Date.now().toString(36)}`;
  const run = await runtime.start([pause], slug, {}, runId);
  const client = await temporal.client();
  const handle = client.workflow.getHandle(runId);
  try {
    // Until the timer step runs (its ladder shows it): then nothing is pending.
    const deadline = Date.now() + 30_000;
    while (!((await handle.query<{ id: string; status: string }[]>(QUERY.steps)).some((step) => step.id === 'pause' && step.status === 'running'))) {
      assert.ok(Date.now() < deadline, 'the run reached its timer step');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const [queryType, expected] of [[QUERY.pendingAction, 'null'], [QUERY.steps, /^\[\{"/], [QUERY.uiState, /^\{"/]] as const) {
      const { queryResult } = await client.workflowService.queryWorkflow({ namespace: temporal.namespace, execution: { workflowId: runId }, query: { queryType } });
      const [payload] = queryResult?.payloads ?? [];
      assert.equal(Buffer.from(payload?.metadata?.encoding ?? []).toString(), 'json/plain', `${queryType}: a JSON payload (the Web UI shows it as it is)`);
      const data = Buffer.from(payload?.data ?? []).toString();
      if (typeof expected === 'string') assert.equal(data, expected, queryType);
      else assert.match(data, expected, queryType);
    }
    assert.equal(await handle.query(QUERY.pendingAction), null, 'the contract: null, not undefined');

    const cli = await ensureTemporalCli();
    const { stdout } = await promisify(execFile)(cli, ['workflow', 'query', '--address', temporal.address, '--namespace', temporal.namespace, '--workflow-id', runId, '--name', QUERY.uiState, '--output', 'json']);
    const state = (JSON.parse(stdout) as { queryResult: [{ status: string; current_step: string; pending_action: unknown }] }).queryResult[0];
    assert.deepEqual({ status: state.status, step: state.current_step, pending: state.pending_action }, { status: 'running', step: 'pause', pending: null });
  } finally {
    await run.cancel().catch(() => undefined);
  }
});
