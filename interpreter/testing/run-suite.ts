/**
 * Runs a set of loaded cases on one runtime, several at once, and says how each went: passed,
 * failed (with the diff), or errored (the runner itself could not run it, e.g. a start refused).
 */
import { compareCase, type CaseVerdict } from './compare-case.ts';
import type { TestCase } from './load-case.ts';
import { runTestCase, type CaseRunResult, type RunCaseOptions } from './run-case.ts';
import type { TestRuntime } from './test-runtime.ts';

export interface CaseOutcome {
  readonly testCase: TestCase;
  readonly status: 'passed' | 'failed';
  readonly ms: number;
  readonly result?: CaseRunResult;
  readonly verdict?: CaseVerdict;
  /** Why the case could not run (a refused start, a lost connection), when it could not. */
  readonly error?: string;
}

export interface SuiteOptions extends Omit<RunCaseOptions, 'runId'> {
  /** Cases run at once. Default 4. */
  readonly concurrency?: number;
  /** Called as each case ends (progress output). */
  readonly onOutcome?: (outcome: CaseOutcome) => void;
}

/** Runs one case and compares it with its expectations; never throws. */
export async function checkTestCase(runtime: TestRuntime, testCase: TestCase, options: Omit<RunCaseOptions, 'runId'> = {}): Promise<CaseOutcome> {
  const started = Date.now();
  try {
    const result = await runTestCase(runtime, testCase, options);
    const verdict = compareCase(result, testCase.expect);
    return { testCase, status: verdict.passed ? 'passed' : 'failed', ms: Date.now() - started, result, verdict };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { testCase, status: 'failed', ms: Date.now() - started, error: message };
  }
}

/**
 * Every case, `concurrency` at a time; outcomes in the order of `cases`.
 *
 * @example
 * const outcomes = await runTestSuite(runtime, cases, { concurrency: 8 });
 * console.log(formatPretty(outcomes));
 */
export async function runTestSuite(runtime: TestRuntime, cases: readonly TestCase[], options: SuiteOptions = {}): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = new Array(cases.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let index = next++; index < cases.length; index = next++) {
      outcomes[index] = await checkTestCase(runtime, cases[index], options);
      options.onOutcome?.(outcomes[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, cases.length)) }, lane));
  return outcomes;
}
