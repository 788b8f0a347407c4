/**
 * Determinism: every recorded history under test/histories/ (scripts/record-histories.ts)
 * replays on the current bundled interpreter workflow without a nondeterminism error.
 * And a runbook file edited while a run is in flight: the run finishes on the definition it
 * started with (pinned in its history), a new run takes the edit, and both histories replay.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker, type ReplayResult } from '@temporalio/worker';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { loadHandlerRegistry } from '../../interpreter/handlers/index.ts';
import { bundleInterpreterWorkflow } from '../../interpreter/temporal/bundle.ts';
import { createInterpreterWorker, WORKFLOW_MODULE } from '../../interpreter/temporal/interpreter-worker.ts';
import { TemporalRunClient } from '../../interpreter/temporal/temporal-run-client.ts';
import type { RunHandle } from '../../interpreter/runtime/run-handle.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';
import { DirectoryDefinitions } from './fixtures/directory-definitions.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HISTORIES_DIR = join(ROOT, 'test', 'histories');

interface RecordedHistory {
  readonly case: string;
  readonly workflowId: string;
  readonly history: { events: unknown[] };
}

after(closeTestTemporal);

describe('recorded histories replay on the current interpreter', () => {
  const files = readdirSync(HISTORIES_DIR).filter((name) => name.endsWith('.json')).sort();
  const results = new Map<string, ReplayResult>();

  let workflowBundle: WorkflowBundleWithSourceMap;
  before(async () => {
    await getTestTemporal(); // installs the quiet SDK logger
    workflowBundle = await bundleInterpreterWorkflow(WORKFLOW_MODULE);
    const byWorkflowId = new Map<string, string>();
    const histories = files.map((file) => {
      const recorded = JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as RecordedHistory;
      byWorkflowId.set(recorded.workflowId, file);
      return { workflowId: recorded.workflowId, history: recorded.history };
    });
    for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) results.set(byWorkflowId.get(result.workflowId)!, result);
  });

  test('the corpus is there (example runbooks and conformance cases)', () => {
    assert.ok(files.length >= 20, `${files.length} recorded histories`);
    for (const example of ['examples__month-end-close-happy.json', 'examples__document-ingest.json', 'examples__journal-proposal-approved.json', 'examples__journal-draft-by-agent-answered.json']) {
      assert.ok(files.includes(example), `${example} is recorded`);
    }
    // Recorded with the waiting-since patch (RunbookWaitingSince on the wait and resume upserts), beside older ones without it.
    for (const patched of ['review__approved.json', 'review__deadline-rejects.json', 'wait__predicate.json']) assert.ok(files.includes(patched), `${patched} is recorded`);
  });

  test('a history that no longer matches the code is reported (the check is not vacuous)', async () => {
    const recorded = JSON.parse(readFileSync(join(HISTORIES_DIR, 'examples__document-ingest.json'), 'utf8')) as RecordedHistory;
    const events = recorded.history.events as { activityTaskScheduledEventAttributes?: { activityType: { name: string } } }[];
    const scheduled = events.find((event) => event.activityTaskScheduledEventAttributes)!;
    scheduled.activityTaskScheduledEventAttributes!.activityType.name = 'util.not_what_the_code_calls';
    await assert.rejects(Worker.runReplayHistory({ workflowBundle }, recorded.history, recorded.workflowId), (error: Error) => error.name === 'DeterminismViolationError');
  });

  for (const file of files) {
    test(file, () => {
      const result = results.get(file);
      assert.ok(result, `${file} was replayed`);
      assert.equal(result.error, undefined, `${file}: ${String(result.error?.stack ?? result.error)}`);
    });
  }
});

const V1 = `
slug: hot-edit
title: Hot edit (v1)
steps:
  - id: prepare
    title: Prepare
    call: { handler: util.echo, args: { value: v1 } }
  - id: check
    title: Check
    review: {}
  - id: finish
    title: Finish
    call: { handler: util.echo, args: { value: "{% $steps.prepare.value & '-finished' %}" } }
output: '{% $steps.finish.value %}'
`;

// Another step before the review, other arguments, another output: a history of v1 could not replay on this.
const V2 = `
slug: hot-edit
title: Hot edit (v2)
steps:
  - id: intro
    title: Intro
    call: { handler: util.add, args: { a: 1, b: 2 } }
  - id: prepare
    title: Prepare again
    call: { handler: util.echo, args: { value: v2 } }
  - id: check
    title: Check
    review: {}
output: "{% $steps.prepare.value & '/' & $string($steps.intro.sum) %}"
`;

describe('a runbook edited while a run is in flight', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-hot-edit-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const pendingAt = async (run: RunHandle, step: string): Promise<void> => {
    for (let waited = 0; waited < 20_000; waited += 25) {
      if ((await run.currentPendingAction())?.step === step) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`${run.runId}: ${step} never became pending`);
  };

  test('keeps the definition it started with; a new run takes the edit; both histories replay', async () => {
    const temporal = await getTestTemporal();
    const taskQueue = temporal.taskQueue('hot-edit');
    writeFileSync(join(dir, 'hot-edit.yaml'), V1);
    const worker = await createInterpreterWorker({
      connection: await temporal.nativeConnection(),
      namespace: temporal.namespace,
      taskQueue,
      handlers: await loadHandlerRegistry(join(ROOT, 'handlers')),
      definitions: new DirectoryDefinitions(dir),
    });
    const client = await temporal.client();
    const runs = new TemporalRunClient(client, taskQueue);
    await worker.runUntil(async () => {
      const before = await runs.start('hot-edit', {});
      await pendingAt(before, 'check');

      writeFileSync(join(dir, 'hot-edit.yaml'), V2);
      const afterEdit = await runs.start('hot-edit', {});
      await pendingAt(afterEdit, 'check');

      await before.userAction({ action: 'approved' });
      await afterEdit.userAction({ action: 'approved' });
      assert.equal(await before.result(), 'v1-finished');
      assert.equal(await afterEdit.result(), 'v2/3');
      assert.deepEqual((await before.currentSteps()).map((step) => [step.id, step.title, step.status]), [
        ['prepare', 'Prepare', 'completed'],
        ['check', 'Check', 'completed'],
        ['finish', 'Finish', 'completed'],
      ]);
      assert.deepEqual((await afterEdit.currentSteps()).map((step) => step.id), ['intro', 'prepare', 'check']);

      // Replayed from scratch (no cache) on the current code, with the file now at v2: the v1 run does not notice.
      const workflowBundle: WorkflowBundleWithSourceMap = await bundleInterpreterWorkflow(WORKFLOW_MODULE);
      for (const run of [before, afterEdit]) {
        const history = await client.workflow.getHandle(run.runId).fetchHistory();
        await Worker.runReplayHistory({ workflowBundle }, history, run.runId);
      }
    });
  });
});
