/** outlineSteps and flowConflicts on runbooks/month-end-close.yaml and on texts that are not valid runbooks. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { flowConflicts, introducedDiagnostics, outlineSteps } from '../../interpreter/editing/index.ts';

const MONTH_END = readFileSync('runbooks/month-end-close.yaml', 'utf8');

test('the outline of month-end-close lists every step with its kind, lines, reads, readers and gotos', () => {
  const outline = outlineSteps(MONTH_END);
  assert.ok(outline);
  assert.deepEqual(outline.map((step) => [step.id, step.kind, step.line, step.end_line]), [
    ['open_period', 'call', 58, 69],
    ['await_trial_balance', 'wait', 71, 89],
    ['ingest_documents', 'child', 91, 115],
    ['previous_close', 'previous', 117, 125],
    ['review_extraction', 'review', 127, 168],
    ['commit_trial_balance', 'call', 170, 194],
    ['commit_closing_balance', 'commit', 196, 208],
    ['close_period', 'call', 210, 219],
  ]);
  const commit = outline[5];
  assert.deepEqual(commit.reads, ['ingest_documents', 'review_extraction']);
  assert.deepEqual(commit.gotos, ['review_extraction', 'await_trial_balance']);
  assert.equal(commit.title, 'Commit trial balance');
  assert.equal(commit.icon, 'BookCheck');
  assert.deepEqual(outline[2].read_by, ['review_extraction', 'commit_trial_balance']);
  assert.deepEqual(outline[1].read_by, ['ingest_documents'], 'a multi-line folded expression is read');
});

test('moving commit_trial_balance above review_extraction conflicts, naming both steps and their lines', () => {
  const outline = outlineSteps(MONTH_END) ?? [];
  const conflicts = flowConflicts(outline, 'commit_trial_balance', 4);
  assert.deepEqual(conflicts.map(({ reader, read, reader_line, read_line }) => ({ reader, read, reader_line, read_line })), [
    { reader: 'commit_trial_balance', read: 'review_extraction', reader_line: 170, read_line: 127 },
  ]);
  assert.equal(conflicts[0].message, 'step "commit_trial_balance" (line 170) reads $steps.review_extraction (line 127), which would no longer run before it');
});

test('moving a step that others read below its readers names each reader', () => {
  const outline = outlineSteps(MONTH_END) ?? [];
  const conflicts = flowConflicts(outline, 'ingest_documents', 5);
  assert.deepEqual(conflicts.map((conflict) => conflict.reader), ['review_extraction', 'commit_trial_balance']);
  assert.ok(conflicts.every((conflict) => conflict.read === 'ingest_documents' && conflict.read_line === 91));
});

test('moving open_period after await_trial_balance has no conflict', () => {
  assert.deepEqual(flowConflicts(outlineSteps(MONTH_END) ?? [], 'open_period', 1), []);
  assert.deepEqual(flowConflicts(outlineSteps(MONTH_END) ?? [], 'close_period', 0), []);
  assert.deepEqual(flowConflicts(outlineSteps(MONTH_END) ?? [], 'no_such_step', 0), []);
});

test('an invalid runbook still has an outline: unknown kinds are null, bad expressions read nothing', () => {
  const text = [
    'slug: broken',
    'steps:',
    '  # the first',
    '  - id: first',
    '    title: First',
    '    frobnicate: {}',
    '  - id: second',
    "    call: { handler: x, args: { a: '{% $steps.first + (( %}', b: 'x {% $steps.first %} and {% $steps.third.v %}' } }",
    '  - title: no id',
    '    timer: { duration: 1s }',
    '',
  ].join('\n');
  const outline = outlineSteps(text);
  assert.ok(outline);
  assert.deepEqual(outline.map((step) => [step.id, step.kind, step.line, step.end_line]), [['first', null, 3, 6], ['second', 'call', 7, 8], ['', 'timer', 9, 10]]);
  assert.deepEqual(outline[1].reads, ['first', 'third']);
  assert.deepEqual(outline[0].read_by, ['second']);
});

test('a text without a steps list has no outline', () => {
  assert.equal(outlineSteps('slug: x\ntitle: X\n'), null);
  assert.equal(outlineSteps('- just\n- a list\n'), null);
  assert.equal(outlineSteps(''), null);
  assert.equal(outlineSteps('steps: 3\n'), null);
});

test('introducedDiagnostics keeps only the errors an edit brought in, ignoring positions', () => {
  const before = [
    { code: 'RB_STEP_ORDER', severity: 'error', message: 'reads $steps.b (steps[3] comes after steps[2])' },
    { code: 'RB_YAML_WARNING', severity: 'warning', message: 'w' },
  ];
  const after = [
    { code: 'RB_STEP_ORDER', severity: 'error', message: 'reads $steps.b (steps[4] comes after steps[1])' },
    { code: 'RB_STEP_ORDER', severity: 'error', message: 'reads $steps.c (steps[4] comes after steps[1])' },
    { code: 'RB_YAML_WARNING', severity: 'warning', message: 'new warning' },
  ];
  assert.deepEqual(introducedDiagnostics(before, after).map((d) => d.message), ['reads $steps.c (steps[4] comes after steps[1])']);
});
