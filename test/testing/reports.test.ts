/** The reports: the diff, the pretty count line, JUnit XML and GitHub annotations, for passed, failed and invalid cases. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkTestCase,
  createLocalTestRuntime,
  formatGithub,
  formatJunit,
  formatPretty,
  TestCaseInvalidError,
  type CaseOutcome,
  type SuiteReport,
} from '../../interpreter/testing/index.ts';
import { textDiff } from '../../interpreter/testing/text-diff.ts';
import { ADD_RUNBOOK, caseOf, calcHandlers } from './case-files.ts';

const runtime = createLocalTestRuntime({ handlers: calcHandlers });
const passed: CaseOutcome = await checkTestCase(runtime, caseOf(`description: Sums <add> & "more"\n${ADD_RUNBOOK}expect:\n  output_includes: { first: 3 }\n`));
const failed: CaseOutcome = await checkTestCase(runtime, caseOf(`description: Expects the wrong sum\n${ADD_RUNBOOK}expect:\n  output_includes: { first: 4 }\n`));
let invalid: TestCaseInvalidError;
try {
  caseOf('runbook: nowhere\nexpect: {}\n');
  assert.fail('loaded');
} catch (error) {
  assert.ok(error instanceof TestCaseInvalidError);
  invalid = error;
}
const report: SuiteReport = { runtime: 'local', outcomes: [passed, failed], invalid: [invalid] };

describe('reports', () => {
  test('the outcomes are what the cases say', () => {
    assert.equal(passed.status, 'passed');
    assert.equal(failed.status, 'failed');
  });

  test('the diff marks what the case expected with - and what the run did with +', () => {
    assert.equal(textDiff({ status: 'completed', output: { a: 1, b: 2 } }, { status: 'completed', output: { a: 1, b: 3 } }), '  status: completed\n  output:\n    a: 1\n-   b: 2\n+   b: 3');
    assert.match(failed.verdict!.diff, /^- {3}first: 4\n\+ {3}first: 3$/m);
  });

  test('pretty output lists each case, shows the diff of a failed one, the invalid file located, and ends with the count line', () => {
    const text = formatPretty(report);
    assert.match(text, /^✓ Sums <add> & "more" \(case-\d+\.test\.yaml\) \[local, \d+ ms\]$/m);
    assert.match(text, /^✗ case-\d+\.test\.yaml:\d+:1: Expects the wrong sum\n {4}- expected {2}\+ actual\n/m);
    assert.match(text, /^case-\d+\.test\.yaml:1:10: error TEST_RUNBOOK_UNKNOWN /m);
    assert.match(text, /\n1 passed, 1 failed\n$/);
  });

  test('JUnit XML has one testcase per case, a failure with the diff, an error for the invalid file, escaped', () => {
    const xml = formatJunit(report);
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="runbook test" tests="3" failures="1" errors="1" /);
    assert.match(xml, /<testcase classname="case-\d+\.test\.yaml" name="Sums &lt;add&gt; &amp; &quot;more&quot;" [^>]*\/>/);
    assert.match(xml, /<failure message="the run did not do what the case expects" type="TEST_FAILED">- expected {2}\+ actual\n[\s\S]*- {3}first: 4\n\+ {3}first: 3[\s\S]*<\/failure>/);
    assert.match(xml, /<error message="TEST_RUNBOOK_UNKNOWN" type="TEST_CASE_INVALID">case-\d+\.test\.yaml:1:10: TEST_RUNBOOK_UNKNOWN /);
    assert.equal((xml.match(/<testcase /g) ?? []).length, 3);
    // Well-formed enough for a YAML-free check: every opened element is closed.
    for (const tag of ['testsuites', 'testsuite', 'failure', 'error']) assert.equal((xml.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length, (xml.match(new RegExp(`</${tag}>`, 'g')) ?? []).length, tag);
  });

  test('GitHub format: an ::error annotation per failed case at its expect line and per problem, then the count line', () => {
    const lines = formatGithub(report).trimEnd().split('\n');
    assert.match(lines[0], /^::error file=case-\d+\.test\.yaml,line=1,col=10,title=TEST_RUNBOOK_UNKNOWN::TEST_RUNBOOK_UNKNOWN no valid runbook "nowhere"/);
    assert.match(lines[1], /^::error file=case-\d+\.test\.yaml,line=\d+,col=1,title=runbook test%3A Expects the wrong sum::Expects the wrong sum failed on local%0A- expected {2}\+ actual%0A.*-   first: 4%0A\+   first: 3/);
    assert.equal(lines[2], '1 passed, 1 failed');
    assert.equal(lines.length, 3);
  });

  test('a failed case points at the line of its expect key', () => {
    const expectLine = `description: Expects the wrong sum\n${ADD_RUNBOOK}`.split('\n').length;
    assert.equal(failed.testCase.line, expectLine);
  });
});
