/**
 * Records the histories CI replays (test/temporal/replay.test.ts): runs every example
 * runbook case and a few conformance cases on a Temporal dev server (TEMPORAL_TEST_ADDRESS,
 * or one started here), and writes each workflow execution's history, children included,
 * to test/histories/<case>[.<child>].json as `{ workflowId, case, history }` (history in
 * Temporal's JSON form, as `temporal workflow show --output json` writes it).
 *
 *   npx tsx scripts/record-histories.ts            # the default set
 *   npx tsx scripts/record-histories.ts call/timeout review/approved
 *
 * Re-record only on purpose: the point of the corpus is that histories recorded by an
 * older interpreter still replay on the current one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import protos from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { runTestCase } from '../interpreter/testing/index.ts';
import { CASES_DIR, REPO_ROOT, caseName, findConformanceFiles, loadConformanceCase } from '../test/conformance/cases.ts';
import { temporalConformanceRuntime } from '../test/conformance/temporal-runtime.ts';
import { closeTestTemporal } from '../test/support/temporal-env.ts';

const EventType = protos.temporal.api.enums.v1.EventType;
export const HISTORIES_DIR = join(REPO_ROOT, 'test', 'histories');

/** Beside every example runbook: a go-back, a fan-out, a timer, a retry, a deadline, waits and failures. */
const EXTRA_CASES = [
  'call/retry-then-success',
  'call/on-error-continue',
  'call/timeout-retried',
  'child/fan-out',
  'child/failure-continue',
  'output/expressions',
  'review/approved',
  'review/corrected',
  'review/deadline-approves',
  'review/deadline-rejects',
  'review/goto-earlier-step',
  'review/rejected-default-fails',
  'signals/payload-invalid',
  'signals/go-back-discards-earlier',
  'signals/stale-upload-after-rejection',
  'timer/duration',
  'wait/each-signal-once',
  'wait/deadline-continue',
  'wait/predicate',
  'when/skip',
];

/** A workflow's history and those of the child workflows it started, depth first. */
async function histories(client: Client, workflowId: string): Promise<{ workflowId: string; json: string }[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const out = [{ workflowId, json: historyToJSON(history) }];
  for (const event of history.events ?? []) {
    if (event.eventType === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) {
      out.push(...(await histories(client, event.startChildWorkflowExecutionInitiatedEventAttributes!.workflowId!)));
    }
  }
  return out;
}

const requested = process.argv.slice(2);
const ids = requested.length
  ? requested
  : [...findConformanceFiles().map(caseName).filter((id) => id.startsWith('examples/')), ...EXTRA_CASES];

const runtime = await temporalConformanceRuntime();
mkdirSync(HISTORIES_DIR, { recursive: true });
let failed = 0;
try {
  for (const id of ids) {
    const testCase = loadConformanceCase(join(CASES_DIR, `${id}.yaml`));
    const runId = `record-${id.replace(/[^a-z0-9-]+/gi, '-')}-${Date.now().toString(36)}`;
    const result = await runTestCase(runtime, testCase, { runId, timeoutMs: 20_000 });
    if (result.script_problems.length || result.status === 'timed_out') {
      failed += 1;
      console.error(`${id}: not recorded (${result.status}): ${result.script_problems.join('; ')}`);
      continue;
    }
    const recorded = await histories(runtime.client, runId);
    recorded.forEach(({ workflowId, json }, index) => {
      const name = `${id.replace(/\//g, '__')}${index === 0 ? '' : `.child-${index}`}`;
      const file = join(HISTORIES_DIR, `${name}.json`);
      writeFileSync(file, `{\n"case": ${JSON.stringify(id)},\n"workflowId": ${JSON.stringify(workflowId)},\n"history": ${json}\n}\n`);
      console.log(`${name}.json: ${(JSON.parse(json) as { events: unknown[] }).events.length} events (${result.status})`);
    });
  }
} finally {
  await runtime.close();
  await closeTestTemporal();
}
process.exit(failed ? 1 : 0);
