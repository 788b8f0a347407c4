/**
 * The conformance suite on Temporal: every case under test/cases/ (the same files, the same
 * library runner, the same expectations as local.test.ts) against one worker on the test dev
 * server. Then, for every example-runbook case, the in-process and the Temporal results of the
 * same run id side by side: identical outputs, errors, final step ladders, every pending
 * action seen, the timeline and every handler call (times: ISO and in order on each side; each
 * runtime has its own clock, so their values are not compared).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runTestCase, type CaseRunResult } from '../../interpreter/testing/index.ts';
import { describeConformance } from './conformance-suite.ts';
import { caseName, findConformanceFiles, loadConformanceCase } from './cases.ts';
import { localConformanceRuntime } from './local-runtime.ts';
import { temporalConformanceRuntime } from './temporal-runtime.ts';
import { closeTestTemporal } from '../support/temporal-env.ts';

after(closeTestTemporal);

describeConformance('conformance on Temporal', temporalConformanceRuntime, { concurrency: 4, timeoutMs: 20_000 });

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An ISO 8601 time (asserted) as a placeholder: each runtime has its own clock, the shape must agree. */
function time(value: unknown, where: string): string | null {
  if (value === null || value === undefined) return null;
  assert.match(String(value), ISO, `${where}: ${String(value)} is an ISO 8601 time`);
  return '<time>';
}

/** Step views with their timings checked (ISO, started <= ended) and replaced by placeholders. */
function stableSteps(steps: CaseRunResult['steps'], where: string): unknown[] {
  return steps.map((step) => {
    if (step.started_at && step.ended_at) assert.ok(step.started_at <= step.ended_at, `${where}: step ${step.id} ends after it starts`);
    return { ...step, started_at: time(step.started_at, `${where} ${step.id}.started_at`), ended_at: time(step.ended_at, `${where} ${step.id}.ended_at`) };
  });
}

/**
 * Pending actions with `since` a placeholder and `deadline` as its distance from `since`, in whole seconds: a
 * wait's deadline counts from the moment the wait starts, which in-process (a real clock) can be a millisecond
 * before it advertises its pending action; on Temporal both are the same workflow time.
 */
function stablePending(seen: CaseRunResult['pending_actions'], where: string): unknown[] {
  return seen.map((pending) => ({
    ...pending,
    since: time(pending.since, `${where} ${pending.step}.since`),
    deadline: pending.deadline ? Math.round((Date.parse(pending.deadline) - Date.parse(String(pending.since))) / 1000) : null,
  }));
}

/** The timeline with its times checked (ISO, in order) and replaced by placeholders; every other field compared. */
function stableTimeline(timeline: CaseRunResult['timeline'], where: string): unknown[] {
  for (let i = 1; i < timeline.length; i++) assert.ok(timeline[i - 1].at <= timeline[i].at, `${where}: timeline entry ${i} is not older than the previous`);
  return timeline.map((entry, index) => ({ ...entry, at: time(entry.at, `${where} timeline[${index}]`) }));
}

const comparable = (result: CaseRunResult, where: string) => {
  const { elapsed_ms: _elapsed, calls, steps, pending_actions, timeline, documents, ...rest } = result;
  // Arguments as they travel (JSON): in-process an argument may be `undefined`, on Temporal it is absent.
  // Fan-out children call at the same time: their order is compared sorted.
  const seen = calls.map((call) => JSON.stringify({ runId: call.runId, step: call.step, attempt: call.attempt, handler: call.handler, args: call.args ?? null }));
  return {
    ...rest,
    steps: stableSteps(steps, where),
    pending_actions: stablePending(pending_actions, where),
    timeline: stableTimeline(timeline, where),
    calls: seen.sort().map((text) => JSON.parse(text) as unknown),
    documents: stableDocuments(documents, where),
  };
};

/**
 * What the run committed, with the commit time checked (ISO) and replaced, and the execution id checked and
 * replaced: it is the runtime's own (Temporal's first execution run id, in-process `local-<uuid>`).
 */
function stableDocuments(documents: CaseRunResult['documents'], where: string): unknown[] {
  return documents.map((document, index) => {
    assert.ok(typeof document.execution_id === 'string' && document.execution_id.length > 0, `${where} documents[${index}].execution_id`);
    return { ...document, committed_at: time(document.committed_at, `${where} documents[${index}].committed_at`), execution_id: '<execution>' };
  });
}

// Sequential, after the suite above: each runtime gets its own data directory (RUNBOOK_DATA_DIR is per process).
describe('in-process and Temporal agree on every example runbook', () => {
  const examples = findConformanceFiles().filter((file) => caseName(file).startsWith('examples/'));
  for (const file of examples) {
    const testCase = loadConformanceCase(file);
    test(caseName(file), async () => {
      const runId = `compare-${caseName(file).replace(/[^a-z0-9-]+/gi, '-')}-${Date.now().toString(36)}`;
      const local = await localConformanceRuntime();
      let inProcess: CaseRunResult;
      try {
        inProcess = await runTestCase(local, testCase, { runId });
      } finally {
        await local.close();
      }
      const temporal = await temporalConformanceRuntime();
      let onTemporal: CaseRunResult;
      try {
        onTemporal = await runTestCase(temporal, testCase, { runId, timeoutMs: 20_000 });
      } finally {
        await temporal.close();
      }
      assert.deepStrictEqual(inProcess.script_problems, []);
      assert.ok(inProcess.calls.length > 0, 'the example calls handlers');
      assert.deepStrictEqual(comparable(onTemporal, 'temporal'), comparable(inProcess, 'in-process'));
    });
  }
});
