/**
 * Case files that cannot run are located errors with stable codes (file:line:column, pointer),
 * all problems of a file at once, and did-you-mean for misspelled names.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadRunbookLibrary, loadTestCase, TestCaseInvalidError, type CaseDiagnostic } from '../../interpreter/testing/index.ts';
import { ROOT } from '../support/run-cli.ts';
import { ADD_RUNBOOK, caseOf, writeCase } from './case-files.ts';

const SHOP = join(ROOT, 'test/testing/fixtures/shop');
const library = await loadRunbookLibrary(join(SHOP, 'runbooks'));

function problemsOf(text: string, useLibrary = false): CaseDiagnostic[] {
  try {
    caseOf(text, useLibrary ? library : undefined);
  } catch (error) {
    assert.ok(error instanceof TestCaseInvalidError, `a TestCaseInvalidError, got ${String(error)}`);
    assert.equal(error.code, 'TEST_CASE_INVALID');
    return [...error.diagnostics];
  }
  assert.fail('the case loaded');
}

const brief = (d: CaseDiagnostic): string => `${d.code} ${d.line}:${d.column} ${d.pointer}`;

describe('loading a case', () => {
  test('a valid case loads with its runbook, input, mocks and expectations', () => {
    const testCase = caseOf(`description: Adds\n${ADD_RUNBOOK}input: {}\nmocks:\n  calc.add: [{ step: first, attempt: 1, result: { sum: 1 } }]\nexpect:\n  output_includes: { first: 1 }\n`);
    assert.equal(testCase.slug, 'adder');
    assert.equal(testCase.name, 'Adds');
    assert.equal(testCase.expect.status, 'completed');
    assert.deepEqual(testCase.mocks.get('calc.add'), [{ step: 'first', attempt: 1, result: { sum: 1 } }]);
  });

  test('a case names a runbook of the runbooks directory by slug, and reads its JSON files relative to itself', () => {
    writeCase('{"sku": "widget", "qty": 5}', 'inputs/order.json');
    writeCase('{"amount": 3}', 'inputs/paid.json');
    const file = writeCase(`runbook: order\ninput_file: ../inputs/order.json\ninput: { qty: 6 }\nsignals:\n  - { signal: paid, payload_file: ../inputs/paid.json }\nexpect: { status: completed }\n`, 'nested/order.test.yaml');
    const testCase = loadTestCase(file, { library });
    assert.deepEqual(testCase.input, { sku: 'widget', qty: 6 });
    assert.deepEqual(testCase.signals[0].payload, { amount: 3 });
    assert.equal(testCase.definitions[0].runbook.slug, 'order');
  });

  test('format problems are TEST_CASE_INVALID at their line, all of them, an unknown key with a did-you-mean', () => {
    const problems = problemsOf(`runbook: order\nmock: {}\nexpect:\n  status: done\n  outptu: 1\n`, true);
    assert.deepEqual(problems.map(brief), ['TEST_CASE_INVALID 2:1 /mock', 'TEST_CASE_INVALID 4:11 /expect/status', 'TEST_CASE_INVALID 5:3 /expect/outptu']);
    assert.match(problems[0].message, /did you mean "mocks"/);
    assert.match(problems[2].message, /did you mean "output"/);
    assert.equal(problems[0].sourceLine, 'mock: {}');
  });

  test('a mock gives exactly one of result, results and error', () => {
    const problems = problemsOf(`${ADD_RUNBOOK}mocks:\n  calc.add: { result: 1, results: [2] }\nexpect: {}\n`);
    assert.deepEqual(problems.map((d) => d.code), ['TEST_CASE_INVALID']);
    assert.match(problems[0].message, /exactly one of result, results, error/);
  });

  test('YAML syntax errors and several documents are TEST_YAML_SYNTAX', () => {
    assert.deepEqual(problemsOf('runbook: [order\n').map((d) => d.code)[0], 'TEST_YAML_SYNTAX');
    assert.deepEqual(problemsOf('runbook: order\nexpect: {}\n---\nrunbook: order\n').map(brief), ['TEST_YAML_SYNTAX 3:1 ']);
  });

  test('an unknown slug is TEST_RUNBOOK_UNKNOWN with a did-you-mean, reported with the format problems', () => {
    const problems = problemsOf('runbook: ordr\nexpect: { stauts: completed }\n', true);
    assert.deepEqual(problems.map(brief), ['TEST_RUNBOOK_UNKNOWN 1:10 /runbook', 'TEST_CASE_INVALID 2:11 /expect/stauts']);
    assert.match(problems[0].message, /did you mean "order"/);
  });

  test('an invalid inline runbook is TEST_RUNBOOK_INVALID, located in the case file', () => {
    const problems = problemsOf(`runbook:\n  slug: bad\n  title: Bad\n  steps:\n    - id: one\n      title: One\n      call: { handler: x.y, args: { v: '{% $steps.two.v %}' } }\nexpect: {}\n`);
    assert.deepEqual(problems.map((d) => d.code), ['TEST_RUNBOOK_INVALID']);
    assert.equal(problems[0].line, 7);
    assert.match(problems[0].message, /RB_UNKNOWN_STEP_REF/);
  });

  test('unknown handler, step and signal names are located, each with a did-you-mean', () => {
    const problems = problemsOf(
      [
        'runbook: order',
        'mocks:',
        '  shop.prise: { result: 1 }',
        '  shop.ship: { step: reserve, result: 1 }',
        'script:',
        '  - { step: aprove, action: approved }',
        '  - { step: reserve, action: approved }',
        '  - { step: payment, signal: payd }',
        'expect:',
        '  error: { step: prise, type: X }',
        '  calls: { shop.shp: 1 }',
        '',
      ].join('\n'),
      true,
    );
    assert.deepEqual(problems.map(brief), [
      'TEST_UNKNOWN_HANDLER 3:3 /mocks/shop.prise',
      'TEST_UNKNOWN_STEP 4:22 /mocks/shop.ship/step',
      'TEST_UNKNOWN_STEP 6:13 /script/0/step',
      'TEST_STEP_NEVER_PENDING 7:13 /script/1/step',
      'TEST_UNKNOWN_SIGNAL 8:30 /script/2/signal',
      'TEST_UNKNOWN_STEP 10:18 /expect/error/step',
      'TEST_UNKNOWN_HANDLER 11:12 /expect/calls/shop.shp',
    ]);
    assert.match(problems[0].message, /did you mean "shop\.price"/);
    assert.match(problems[1].message, /does not call shop\.ship; shop\.ship is called by ship/);
    assert.match(problems[2].message, /did you mean "approve"/);
    assert.match(problems[4].message, /did you mean "paid"/);
    assert.match(problems[5].message, /did you mean "price"/);
  });

  test('an undeclared signal is allowed when the case expects its refusal', () => {
    const testCase = caseOf('runbook: order\ninput: { sku: a, qty: 1 }\nsignals:\n  - { signal: nope, expect_rejection: SIGNAL_UNKNOWN }\nexpect: { status: completed }\n', library);
    assert.equal(testCase.signals.length, 1);
  });

  test('a missing input file is TEST_FILE_UNREADABLE at its key', () => {
    const problems = problemsOf('runbook: order\ninput_file: missing.json\nexpect: {}\n', true);
    assert.deepEqual(problems.map(brief), ['TEST_FILE_UNREADABLE 2:13 /input_file']);
  });

  test('a failed expectation names its error, and a completed one has none', () => {
    assert.deepEqual(problemsOf(`${ADD_RUNBOOK}expect: { status: failed }\n`).map((d) => d.code), ['TEST_CASE_INVALID']);
    assert.deepEqual(problemsOf(`${ADD_RUNBOOK}expect: { status: completed, error: { step: first, type: X } }\n`).map((d) => d.code), ['TEST_CASE_INVALID']);
    assert.equal(caseOf(`${ADD_RUNBOOK}expect: { error: { step: first, type: X } }\n`).expect.status, 'failed');
  });
});
