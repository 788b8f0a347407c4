/**
 * The people's report: one line per case, then each failure with its diff, then the count
 * line `N passed, N failed` (last, so CI logs end with it).
 */
import { formatDiagnosticsPretty } from '../loader/format-diagnostics.ts';
import type { TestCaseInvalidError } from './case-diagnostic.ts';
import type { CaseOutcome } from './run-suite.ts';

export interface SuiteReport {
  readonly runtime: string;
  readonly outcomes: readonly CaseOutcome[];
  /** Case files that could not be loaded (not run). */
  readonly invalid: readonly TestCaseInvalidError[];
}

const indent = (text: string, by = 4): string =>
  text
    .split('\n')
    .map((line) => ' '.repeat(by) + line)
    .join('\n');

/** `N passed, N failed`. */
export function countLine(outcomes: readonly CaseOutcome[]): string {
  const passed = outcomes.filter((outcome) => outcome.status === 'passed').length;
  return `${passed} passed, ${outcomes.length - passed} failed`;
}

/** Why a failed case failed: the runner's error, or the diff. */
export function failureText(outcome: CaseOutcome): string {
  if (outcome.error !== undefined) return `the case could not run: ${outcome.error}`;
  return `- expected  + actual\n${outcome.verdict?.diff ?? ''}`;
}

/**
 * @example
 * process.stdout.write(formatPretty({ runtime: 'local', outcomes, invalid: [] }));
 */
export function formatPretty(report: SuiteReport): string {
  const out: string[] = [];
  if (report.invalid.length > 0) {
    out.push(formatDiagnosticsPretty(report.invalid.flatMap((error) => error.diagnostics)).trimEnd());
    out.push(`${report.invalid.length} case file${report.invalid.length === 1 ? ' is' : 's are'} invalid and did not run`);
  }
  for (const outcome of report.outcomes) {
    const { testCase } = outcome;
    const title = testCase.name === testCase.id ? testCase.id : `${testCase.name} (${testCase.id})`;
    out.push(`${outcome.status === 'passed' ? '✓' : '✗'} ${title} [${report.runtime}, ${outcome.ms} ms]`);
  }
  const failed = report.outcomes.filter((outcome) => outcome.status === 'failed');
  for (const outcome of failed) {
    out.push('', `✗ ${outcome.testCase.id}:${outcome.testCase.line}:${outcome.testCase.column}: ${outcome.testCase.name}`, indent(failureText(outcome)));
  }
  if (failed.length > 0 || report.invalid.length > 0) out.push('');
  out.push(countLine(report.outcomes));
  return out.join('\n') + '\n';
}
