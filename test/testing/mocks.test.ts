/**
 * Handler mocks in test cases, in-process: a result, a sequence, an error routed by on_error,
 * scoped by step and by attempt; unmocked handlers run for real; a mock's result meets the real
 * handler's contract. Each case is also checked to fail when its expectation is wrong.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkTestCase, createLocalTestRuntime, type TestCase } from '../../interpreter/testing/index.ts';
import { ADD_RUNBOOK, caseOf, calcHandlers } from './case-files.ts';

const runtime = createLocalTestRuntime({ handlers: calcHandlers });

async function outcomeOf(testCase: TestCase) {
  return checkTestCase(runtime, testCase);
}

async function passes(text: string): Promise<void> {
  const outcome = await outcomeOf(caseOf(text));
  assert.equal(outcome.status, 'passed', outcome.verdict?.diff ?? outcome.error);
}

async function failsWith(text: string, diffLine: RegExp): Promise<void> {
  const outcome = await outcomeOf(caseOf(text));
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.verdict?.diff ?? '', diffLine);
}

describe('handler mocks', () => {
  test('a result replaces every call of the handler; no real call is made', async () => {
    const text = `${ADD_RUNBOOK}mocks:\n  calc.add: { result: { sum: 100 } }\nexpect:\n  output: { first: 100, second: 100 }\n  calls: { calc.add: [{ a: 1, b: 2 }, { a: 10, b: 20 }] }\n`;
    await passes(text);
    await failsWith(text.replace('first: 100, second: 100', 'first: 3, second: 30'), /^- {3}first: 3$/m);
  });

  test('without mocks the real handlers run', async () => {
    await passes(`${ADD_RUNBOOK}expect:\n  output: { first: 3, second: 30 }\n`);
    await failsWith(`${ADD_RUNBOOK}expect:\n  output: { first: 100, second: 30 }\n`, /^\+ {3}first: 3$/m);
  });

  test('a sequence answers one result per call, in order, and a call past its end fails with MOCK_EXHAUSTED', async () => {
    const base = `${ADD_RUNBOOK}mocks:\n  calc.add: { results: [{ sum: 1 }, { sum: 2 }] }\n`;
    await passes(`${base}expect:\n  output: { first: 1, second: 2 }\n`);
    await failsWith(`${base}expect:\n  output: { first: 2, second: 1 }\n`, /^\+ {3}first: 1$/m);
    await passes(`${ADD_RUNBOOK}mocks:\n  calc.add: { results: [{ sum: 1 }] }\nexpect:\n  error: { step: second, type: MOCK_EXHAUSTED }\n`);
  });

  test('an error is thrown as a WorkflowError whose type on_error routes', async () => {
    await passes(`${ADD_RUNBOOK}mocks:\n  calc.add:\n    - { step: first, error: { type: SOFT, non_retryable: true } }\n    - { result: { sum: 5 } }\nexpect:\n  output_includes: { first_error: SOFT, second: 5 }\n`);
    await passes(`${ADD_RUNBOOK}mocks:\n  calc.add: { error: { type: HARD, message: disk full, non_retryable: true } }\nexpect:\n  error: { step: first, type: HARD, message_includes: 'first gave up: disk full' }\n  calls: { calc.add: 1 }\n`);
    // An unrouted type fails the run at the step with that type.
    await failsWith(`${ADD_RUNBOOK}mocks:\n  calc.add: { error: { type: OTHER, non_retryable: true } }\nexpect:\n  output_includes: { second: 30 }\n`, /^\+ {3}type: OTHER$/m);
  });

  test('a retryable error is retried by the step policy and non_retryable is not', async () => {
    await passes(`${ADD_RUNBOOK}mocks:\n  calc.add: { step: first, error: { type: FLAKY } }\nexpect:\n  error: { step: first, type: FLAKY }\n  calls: { calc.add: 3 }\n`);
    await failsWith(`${ADD_RUNBOOK}mocks:\n  calc.add: { step: first, error: { type: FLAKY, non_retryable: true } }\nexpect:\n  error: { step: first, type: FLAKY }\n  calls: { calc.add: 3 }\n`, /^\+ {3}calc\.add: 1$/m);
  });

  test('mocks scoped by attempt answer that attempt only: two failures, then the third attempt succeeds', async () => {
    const text = `${ADD_RUNBOOK}mocks:\n  calc.add:\n    - { step: first, attempt: 1, error: { type: FLAKY } }\n    - { step: first, attempt: 2, error: { type: FLAKY } }\n    - { step: first, result: { sum: 9 } }\nexpect:\n  output: { first: 9, second: 30 }\n  calls: { calc.add: 4 }\n`;
    await passes(text);
    await failsWith(text.replace('calls: { calc.add: 4 }', 'calls: { calc.add: 2 }'), /^\+ {3}calc\.add: 4$/m);
  });

  test('mocks scoped by step leave the other steps to the real handler', async () => {
    await passes(`${ADD_RUNBOOK}mocks:\n  calc.add: { step: second, result: { sum: -1 } }\nexpect:\n  output: { first: 3, second: -1 }\n`);
  });

  test("a mocked result is checked against the real handler's output contract", async () => {
    await passes(`${ADD_RUNBOOK}mocks:\n  calc.add: { result: { total: 3 } }\nexpect:\n  error: { step: first, type: HANDLER_OUTPUT_INVALID, message_includes: calc.add }\n`);
  });

  test('a handler nobody registered answers only from mocks; an uncovered call fails with HANDLER_UNKNOWN', async () => {
    const runbook = `runbook:\n  slug: pricing\n  title: Pricing\n  steps:\n    - { id: a, title: A, call: { handler: tax.rate, args: { country: fr } } }\n    - { id: b, title: B, call: { handler: tax.rate, args: { country: de } } }\n  output: '{% $steps.b.rate %}'\n`;
    await passes(`${runbook}mocks:\n  tax.rate: { result: { rate: 0.19 } }\nexpect:\n  output: 0.19\n`);
    await passes(`${runbook}mocks:\n  tax.rate: { step: a, result: { rate: 0.2 } }\nexpect:\n  error: { step: b, type: HANDLER_UNKNOWN }\n`);
  });

  test('mocks answer calls from child runs, found by the root run id', async () => {
    const text = `runbook:\n  slug: parent\n  title: Parent\n  steps:\n    - { id: kids, title: Kids, child: { runbook: kid, for_each: '{% [1, 2] %}', input: { n: '{% $item %}' } } }\n  output: '{% $steps.kids.value %}'\nrunbooks:\n  - slug: kid\n    title: Kid\n    steps:\n      - { id: echo, title: Echo, call: { handler: kid.echo, args: { n: '{% $input.n %}' } } }\n    output: '{% $steps.echo %}'\nmocks:\n  kid.echo: { results: [{ value: a }, { value: b }] }\nexpect:\n  output: [a, b]\n  calls: { kid.echo: 2 }\n`;
    await passes(text.replace('results: [{ value: a }, { value: b }]', 'result: { value: a }').replace('output: [a, b]', 'output: [a, a]'));
    await failsWith(text.replace('results: [{ value: a }, { value: b }]', 'result: { value: a }'), /^\+ output: \[a, a\]$/m);
  });

  test('an expectation on the steps trace, pending actions and scripted answers', async () => {
    const text = `runbook:\n  slug: approve\n  title: Approve\n  signals: { ready: { payload: { type: object } } }\n  steps:\n    - { id: wait_ready, title: Ready, wait: { signal: ready, action: awaiting_ready } }\n    - { id: check, title: Check, review: { reason: Approve it, outcomes: { approved: continue, rejected: { fail: no } } } }\n    - { id: post, title: Post, call: { handler: calc.add, args: { a: 1, b: 1 } } }\nscript:\n  - { step: wait_ready, signal: ready, payload: {} }\n  - { step: check, action: approved }\nexpect:\n  steps: [[wait_ready, completed], [check, completed], [post, completed]]\n  pending_actions:\n    - { step: wait_ready, action: awaiting_ready, kind: signal }\n    - { step: check, action: review, kind: review, reason: Approve it }\n`;
    await passes(text);
    await failsWith(text.replace('action: approved', 'action: rejected'), /^\+ {3}type: REVIEW_REJECTED$/m);
  });
});

describe('expect.calls', () => {
  test('a list of arguments pairs calls with expected items whatever their order (fan-out children run concurrently)', async () => {
    const text = `runbook:\n  slug: fan\n  title: Fan\n  steps:\n    - { id: kids, title: Kids, child: { runbook: kid, for_each: '{% [1, 2, 3] %}', input: { n: '{% $item %}' } } }\nrunbooks:\n  - slug: kid\n    title: Kid\n    steps:\n      - { id: echo, title: Echo, call: { handler: kid.echo, args: { n: '{% $input.n %}' } } }\nmocks:\n  kid.echo: { result: { value: ok } }\nexpect:\n  calls: { kid.echo: [{ n: 3 }, { n: 1 }, { n: 2 }] }\n`;
    await passes(text);
    await failsWith(text.replace('[{ n: 3 }, { n: 1 }, { n: 2 }]', '[{ n: 3 }, { n: 4 }, { n: 2 }]'), /^- {6}n: 4$|^-.*n: 4/m);
  });
});
