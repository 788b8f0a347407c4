/** JUnit XML (CI test reports): one testcase per case; a failed case has a <failure> with the diff, an invalid file an <error>. */
import type { CaseOutcome } from './run-suite.ts';
import { failureText, type SuiteReport } from './report-pretty.ts';

/** Text and attribute escaping; characters XML 1.0 cannot hold are dropped. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function testcase(outcome: CaseOutcome): string {
  const { testCase } = outcome;
  const open = `    <testcase classname="${xml(testCase.id)}" name="${xml(testCase.name)}" file="${xml(testCase.id)}" line="${testCase.line}" time="${seconds(outcome.ms)}"`;
  if (outcome.status === 'passed') return `${open}/>`;
  const message = outcome.error !== undefined ? 'the case could not run' : 'the run did not do what the case expects';
  return `${open}>\n      <failure message="${xml(message)}" type="${outcome.error !== undefined ? 'TEST_RUN_ERROR' : 'TEST_FAILED'}">${xml(failureText(outcome))}</failure>\n    </testcase>`;
}

/**
 * @example
 * writeFileSync('junit.xml', formatJunit({ runtime: 'local', outcomes, invalid }));
 */
export function formatJunit(report: SuiteReport): string {
  const failures = report.outcomes.filter((outcome) => outcome.status === 'failed').length;
  const errors = report.invalid.length;
  const tests = report.outcomes.length + errors;
  const time = seconds(report.outcomes.reduce((sum, outcome) => sum + outcome.ms, 0));
  const invalid = report.invalid.map((error) => {
    const detail = error.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.code} ${d.message}`).join('\n');
    return `    <testcase classname="${xml(error.file)}" name="${xml(error.file)}" file="${xml(error.file)}" time="0.000">\n      <error message="${xml(error.diagnostics[0]?.code ?? 'TEST_CASE_INVALID')}" type="TEST_CASE_INVALID">${xml(detail)}</error>\n    </testcase>`;
  });
  const name = `runbook test (${report.runtime})`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="runbook test" tests="${tests}" failures="${failures}" errors="${errors}" time="${time}">`,
    `  <testsuite name="${xml(name)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${time}">`,
    ...invalid,
    ...report.outcomes.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
