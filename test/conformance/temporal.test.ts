/**
 * The conformance suite on Temporal: every case under test/cases/ (the same files,
 * the same runner, the same expectations as local.test.ts) against one worker on
 * the test dev server. Then, for every example-runbook case, the in-process and the
 * Temporal results of the same run id side by side: identical outputs, errors,
 * final step ladders and every pending action seen.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { describeConformance } from './conformance-suite.ts';
import { findCaseFiles, loadCase, REPO_ROOT } from './load-cases.ts';
import { localConformanceRuntime } from './local-runtime.ts';
import { runFixture, type ConformanceRuntime, type FixtureResult } from './run-fixture.ts';
import { temporalConformanceRuntime } from './temporal-runtime.ts';
import { closeTestTemporal } from '../support/temporal-env.ts';

after(closeTestTemporal);

describeConformance('conformance on Temporal', temporalConformanceRuntime, { concurrency: 4, timeoutMs: 20_000 });

/** Both runtimes start the run under the same id, so idempotency keys (commit ids, draft ids) match. */
function withRunId(runtime: ConformanceRuntime, runId: string): ConformanceRuntime {
  return { name: runtime.name, start: (definitions, slug, input) => runtime.start(definitions, slug, input, runId), close: () => runtime.close() };
}

const comparable = (result: FixtureResult) => {
  const { elapsed_ms: _elapsed, ...rest } = result;
  return rest;
};

// Sequential, after the suite above: each runtime gets its own data directory (RUNBOOK_DATA_DIR is per process).
describe('in-process and Temporal agree on every example runbook', () => {
  const examples = findCaseFiles().filter((file) => relative(REPO_ROOT, file).split(/[\\/]/).includes('examples'));
  for (const file of examples) {
    const testCase = loadCase(file);
    test(testCase.id, async () => {
      const runId = `compare-${testCase.id.replace(/[^a-z0-9-]+/gi, '-')}-${Date.now().toString(36)}`;
      const local = await localConformanceRuntime();
      let inProcess: FixtureResult;
      try {
        inProcess = await runFixture(withRunId(local, runId), testCase);
      } finally {
        await local.close();
      }
      const temporal = await temporalConformanceRuntime();
      let onTemporal: FixtureResult;
      try {
        onTemporal = await runFixture(withRunId(temporal, runId), testCase, { timeoutMs: 20_000 });
      } finally {
        await temporal.close();
      }
      assert.deepStrictEqual(inProcess.script_problems, []);
      assert.deepStrictEqual(comparable(onTemporal), comparable(inProcess));
    });
  }
});
