/** Every refusal code of the editing module, with a message that says what to do, and the text unchanged. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { applyEdit, type EditOperation, type EditRefusalCode } from '../../interpreter/editing/index.ts';

const MONTH_END = readFileSync('runbooks/month-end-close.yaml', 'utf8');

function refused(text: string, operation: EditOperation, code: EditRefusalCode, message: RegExp): void {
  const result = applyEdit(text, operation);
  assert.equal(result.ok, false, JSON.stringify(operation));
  if (result.ok) return;
  assert.equal(result.code, code, result.message);
  assert.match(result.message, message);
}

test('EDIT_NOT_A_RUNBOOK: invalid YAML (with its line), no steps list, a flow steps list', () => {
  refused('slug: x\nsteps:\n  - id: a\n   bad: [\n', { op: 'delete', step: 'a' }, 'EDIT_NOT_A_RUNBOOK', /not valid YAML \(line \d+, column \d+\)/);
  refused('slug: x\ntitle: X\n', { op: 'delete', step: 'a' }, 'EDIT_NOT_A_RUNBOOK', /no `steps` list/);
  refused('slug: x\nsteps: [{ id: a, title: A, timer: { duration: 1s } }]\n', { op: 'delete', step: 'a' }, 'EDIT_NOT_A_RUNBOOK', /flow list/);
  refused('a: 1\n---\nb: 2\n', { op: 'delete', step: 'a' }, 'EDIT_NOT_A_RUNBOOK', /not valid YAML/);
});

test('EDIT_STEP_NOT_FOUND: an unknown step, with a did-you-mean', () => {
  refused(MONTH_END, { op: 'move', step: 'comit_trial_balance', to: { index: 0 } }, 'EDIT_STEP_NOT_FOUND', /no step "comit_trial_balance" in the runbook \(did you mean "commit_trial_balance"\?\)/);
  for (const operation of [
    { op: 'delete', step: 'nope' },
    { op: 'duplicate', step: 'nope' },
    { op: 'set', step: 'nope', path: ['title'], value: 'x' },
    { op: 'clear', step: 'nope', path: ['title'] },
  ] as const) refused(MONTH_END, operation, 'EDIT_STEP_NOT_FOUND', /no step "nope"/);
});

test('EDIT_STEP_ID_TAKEN: insert or duplicate with an id another step has', () => {
  refused(MONTH_END, { op: 'duplicate', step: 'open_period', id: 'close_period' }, 'EDIT_STEP_ID_TAKEN', /already has the id "close_period"/);
  refused(MONTH_END, { op: 'insert', template: 'timer', at: { index: 0 }, id: 'open_period' }, 'EDIT_STEP_ID_TAKEN', /"open_period"/);
});

test('EDIT_POSITION_INVALID: an index out of range, the moved step itself, an unknown step', () => {
  refused(MONTH_END, { op: 'move', step: 'open_period', to: { index: 8 } }, 'EDIT_POSITION_INVALID', /out of range: the step can go at 0 to 7/);
  refused(MONTH_END, { op: 'move', step: 'open_period', to: { index: -1 } }, 'EDIT_POSITION_INVALID', /out of range/);
  refused(MONTH_END, { op: 'insert', template: 'timer', at: { index: 9 } }, 'EDIT_POSITION_INVALID', /0 to 8/);
  refused(MONTH_END, { op: 'move', step: 'open_period', to: { before: 'open_period' } }, 'EDIT_POSITION_INVALID', /cannot go before itself/);
  refused(MONTH_END, { op: 'move', step: 'open_period', to: { after: 'close_priod' } }, 'EDIT_POSITION_INVALID', /no step "close_priod" to go after \(did you mean "close_period"\?\)/);
});

test('EDIT_TEMPLATE_UNKNOWN: a template name not in STEP_TEMPLATES, with a did-you-mean', () => {
  refused(MONTH_END, { op: 'insert', template: 'reveiw', at: { index: 0 } }, 'EDIT_TEMPLATE_UNKNOWN', /no step template "reveiw" \(did you mean "review"\?\); the templates are call, review, wait, child, timer/);
});

test('EDIT_FIELD_INVALID: an empty path, the id, a path through a value, a bad new id, a value YAML cannot hold', () => {
  refused(MONTH_END, { op: 'set', step: 'open_period', path: [], value: 1 }, 'EDIT_FIELD_INVALID', /path is empty/);
  refused(MONTH_END, { op: 'set', step: 'open_period', path: ['id'], value: 'x' }, 'EDIT_FIELD_INVALID', /rename/);
  refused(MONTH_END, { op: 'clear', step: 'open_period', path: ['id'] }, 'EDIT_FIELD_INVALID', /rename/);
  refused(MONTH_END, { op: 'set', step: 'open_period', path: ['title', 'x'], value: 1 }, 'EDIT_FIELD_INVALID', /title is a value, not a mapping or list/);
  refused(MONTH_END, { op: 'set', step: 'open_period', path: ['call', 'on_error', 'first'], value: 1 }, 'EDIT_FIELD_INVALID', /is a list/);
  refused(MONTH_END, { op: 'set', step: 'open_period', path: ['call', 'retry', 'x', 3], value: 1 }, 'EDIT_FIELD_INVALID', /first item/);
  refused(MONTH_END, { op: 'set', step: 'open_period', path: ['title'], value: () => 1 }, 'EDIT_FIELD_INVALID', /not one YAML can hold/);
  refused(MONTH_END, { op: 'duplicate', step: 'open_period', id: 'Not An Id' }, 'EDIT_FIELD_INVALID', /lower_snake_case/);
});
