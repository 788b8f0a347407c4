/**
 * The conformance suite on Temporal: every case under test/cases/ (the same files, the same
 * library runner, the same expectations as local.test.ts) against one worker on the test dev
 * server. Then, for every example-runbook case, the in-process and the Temporal results of the
 * same run id side by side: identical outputs, errors, final step ladders, every pending
 * action seen and every handler call.
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

const comparable = (result: CaseRunResult) => {
  const { elapsed_ms: _elapsed, calls, ...rest } = result;
  // Arguments as they travel (JSON): in-process an argument may be `undefined`, on Temporal it is absent.
  // Fan-out children call at the same time: their order is compared sorted.
  const seen = calls.map((call) => JSON.stringify({ runId: call.runId, step: call.step, attempt: call.attempt, handler: call.handler, args: call.args ?? null }));
  return { ...rest, calls: seen.sort().map((text) => JSON.parse(text) as unknown) };
};

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
      assert.deepStrictEqual(comparable(onTemporal), comparable(inProcess));
    });
  }
});
