/**
 * Declares the conformance suite on one runtime: one test per case file under test/cases/,
 * run and compared by the library's runner (interpreter/testing), the one `runbook test` uses.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTestCase, formatPretty, type TestCase, type TestRuntime } from '../../interpreter/testing/index.ts';
import { findConformanceFiles, loadConformanceCase } from './cases.ts';

export interface ConformanceSuiteOptions {
  /** Cases run at once (each has its own run id and, for the domain runbooks, its own entity). */
  readonly concurrency: number;
  /** Per-case result timeout, when the runtime needs more than the case's own. */
  readonly timeoutMs?: number;
}

export function describeConformance(title: string, createRuntime: () => Promise<TestRuntime>, options: ConformanceSuiteOptions): void {
  describe(title, { concurrency: options.concurrency }, () => {
    let runtime: TestRuntime;
    before(async () => {
      runtime = await createRuntime();
    });
    after(async () => {
      await runtime.close();
    });

    for (const file of findConformanceFiles()) {
      let testCase: TestCase;
      try {
        testCase = loadConformanceCase(file);
      } catch (error) {
        test(`${file} follows the test case format`, () => {
          throw error;
        });
        continue;
      }
      test(testCase.name, async () => {
        const outcome = await checkTestCase(runtime, testCase, { timeoutMs: options.timeoutMs });
        assert.equal(outcome.status, 'passed', formatPretty({ runtime: runtime.name, outcomes: [outcome], invalid: [] }));
      });
    }
  });
}
