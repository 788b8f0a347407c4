/**
 * The YAML examples of docs/testing.md run as written. Every ```yaml block is classified:
 * - a runbook (a mapping with slug, title and steps) is written into a runbooks directory;
 * - a test case (a mapping with runbook and expect) is written as a case file, then loaded and
 *   run in-process against those runbooks with no handlers (the doc's cases mock every call):
 *   each must pass;
 * - a GitHub Actions workflow (on, jobs) must run `runbook validate` and `runbook test`;
 * anything else fails the test, so a new kind of example gets a check of its own.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { checkTestCase, createLocalTestRuntime, formatPretty, loadRunbookLibrary, loadTestCase } from '../../interpreter/testing/index.ts';
import { ROOT } from '../support/run-cli.ts';

const DOC = 'docs/testing.md';
const markdown = readFileSync(join(ROOT, DOC), 'utf8');
const blocks = [...markdown.matchAll(/^```yaml[ \t]*\n([\s\S]*?)^```[ \t]*$/gm)].map((match) => ({
  text: match[1],
  line: markdown.slice(0, match.index).split('\n').length,
}));

const isMapping = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const dir = mkdtempSync(join(tmpdir(), 'runbook-docs-testing-'));
mkdirSync(join(dir, 'runbooks'));
mkdirSync(join(dir, 'tests'));

const cases: { file: string; line: number }[] = [];
const workflows: { value: Record<string, unknown>; line: number }[] = [];
for (const block of blocks) {
  const value: unknown = parse(block.text);
  if (isMapping(value) && typeof value.slug === 'string' && Array.isArray(value.steps)) writeFileSync(join(dir, 'runbooks', `${value.slug}.yaml`), block.text);
  else if (isMapping(value) && 'runbook' in value && 'expect' in value) {
    const file = join(dir, 'tests', `line-${block.line}.test.yaml`);
    writeFileSync(file, block.text);
    cases.push({ file, line: block.line });
  } else if (isMapping(value) && 'jobs' in value) workflows.push({ value, line: block.line });
  else assert.fail(`${DOC}:${block.line}: a yaml example that is neither a runbook, a test case nor a CI workflow`);
}

describe(`the examples of ${DOC}`, () => {
  test('hold a runbook, at least four test cases and a CI workflow', () => {
    assert.ok(cases.length >= 4, `${cases.length} cases`);
    assert.equal(workflows.length, 1);
  });

  test('the CI workflow validates the runbooks and runs the test cases', () => {
    const text = JSON.stringify(workflows[0].value);
    assert.match(text, /npx runbook validate --format github/);
    assert.match(text, /npx runbook test --format github/);
  });

  for (const { file, line } of cases) {
    test(`the test case at ${DOC}:${line} loads and passes in-process`, async () => {
      const library = await loadRunbookLibrary(join(dir, 'runbooks'));
      assert.deepEqual(library.problems, [], 'the runbook examples validate');
      const testCase = loadTestCase(file, { library, id: `${DOC}:${line}` });
      const runtime = createLocalTestRuntime({ handlers: null });
      const outcome = await checkTestCase(runtime, testCase);
      assert.equal(outcome.status, 'passed', formatPretty({ runtime: 'local', outcomes: [outcome], invalid: [] }));
    });
  }
});
