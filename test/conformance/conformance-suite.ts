/** Declares the conformance suite (one test per case file under test/cases/) on one runtime. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { comparableOf } from './compare.ts';
import { findCaseFiles, loadCase, REPO_ROOT, type ConformanceCase } from './load-cases.ts';
import { runFixture, type ConformanceRuntime } from './run-fixture.ts';

export interface SuiteOptions {
  /** Cases run at once (each has its own run id and, for the domain runbooks, its own entity). */
  readonly concurrency: number;
  /** Per-case result timeout, when the runtime needs more than the case's own. */
  readonly timeoutMs?: number;
}

export function describeConformance(title: string, createRuntime: () => Promise<ConformanceRuntime>, options: SuiteOptions): void {
  describe(title, { concurrency: options.concurrency }, () => {
    let runtime: ConformanceRuntime;
    before(async () => {
      runtime = await createRuntime();
    });
    after(async () => {
      await runtime.close();
    });

    for (const file of findCaseFiles()) {
      let testCase: ConformanceCase;
      try {
        testCase = loadCase(file);
      } catch (error) {
        test(`${relative(REPO_ROOT, file)} follows the fixture format`, () => {
          throw error;
        });
        continue;
      }
      test(testCase.fixture.description, async () => {
        const result = await runFixture(runtime, testCase, { timeoutMs: options.timeoutMs });
        const { actual, expected } = comparableOf(result, testCase.fixture.expect);
        assert.deepStrictEqual(actual, expected, `${testCase.file} on ${runtime.name}`);
      });
    }
  });
}
