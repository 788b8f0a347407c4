/**
 * The conformance suite on the in-process runtime: one test per case file under
 * test/cases/, titled with the case's description. Cases run concurrently (each
 * has its own run id and, for the domain runbooks, its own entity).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { comparableOf } from './compare.ts';
import { findCaseFiles, loadCase, REPO_ROOT, type ConformanceCase } from './load-cases.ts';
import { localConformanceRuntime } from './local-runtime.ts';
import { runFixture, type ConformanceRuntime } from './run-fixture.ts';

let runtime: ConformanceRuntime;

describe('conformance on the in-process runtime', { concurrency: 8 }, () => {
  before(async () => {
    runtime = await localConformanceRuntime();
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
      const result = await runFixture(runtime, testCase);
      const { actual, expected } = comparableOf(result, testCase.fixture.expect);
      assert.deepStrictEqual(actual, expected, `${testCase.file} on ${runtime.name}`);
    });
  }
});
