/**
 * Every operation on every runbook of the corpus (runbooks/, the validation runbooks and the
 * case files' inline runbooks under test/cases/, and the variants of each): the output differs
 * from the input only in the lines the operation must change, still parses, and (for a valid
 * input and an operation that cannot break data flow) still validates.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { parseDocument } from 'yaml';
import { applyEdit, isRefusal, outlineSteps, readRunbookText, STEP_TEMPLATES, type EditOperation, type StepOutline } from '../../interpreter/editing/index.ts';
import { loadHandlerRegistry, type HandlerRegistry } from '../../interpreter/handlers/index.ts';
import { formatDiagnosticsPretty, loadRunbookSource } from '../../interpreter/loader/index.ts';
import { CASE_FILES, caseRunbooks, corpus, RUNBOOK_FILES, type CorpusText } from './editing-corpus.ts';
import { assertChangedWithin, assertOnlyAdded, assertOnlyMoved, assertOnlyRemoved, contiguousChange } from './line-changes.ts';

const VALIDATION_RUNBOOKS = readdirSync('test/cases/validation').filter((name) => name.endsWith('.yaml')).map((name) => `test/cases/validation/${name}`);
const texts: CorpusText[] = [...corpus([...RUNBOOK_FILES, ...VALIDATION_RUNBOOKS]), ...caseRunbooks(CASE_FILES)];

let handlers: HandlerRegistry;
before(async () => {
  handlers = await loadHandlerRegistry('handlers');
});

interface Subject {
  readonly item: CorpusText;
  readonly outline: StepOutline[];
  /** The input validates (handlers of the project for runbooks/). */
  readonly valid: boolean;
}

function load(item: CorpusText, text: string) {
  return loadRunbookSource(text, item.file, item.file.startsWith('runbooks/') ? { handlers } : {});
}

/** Texts with an editable steps list of uniquely named steps. */
function subjects(): Subject[] {
  return texts.flatMap((item) => {
    const outline = outlineSteps(item.text);
    if (!outline || isRefusal(readRunbookText(item.text)) || outline.length === 0) return [];
    const ids = outline.map((step) => step.id);
    if (ids.some((id, at) => id === '' || ids.indexOf(id) !== at)) return [];
    return [{ item, outline, valid: load(item, item.text).ok }];
  });
}

function applied(subject: Subject, operation: EditOperation): string {
  const result = applyEdit(subject.item.text, operation);
  assert.ok(result.ok, `${subject.item.name}: ${JSON.stringify(operation)}: ${result.ok ? '' : `${result.code} ${result.message}`}`);
  assert.equal(parseDocument(result.text).errors.length, 0, `${subject.item.name}: ${JSON.stringify(operation)} still parses`);
  return result.text;
}

function assertStillValid(subject: Subject, text: string, what: string): void {
  if (!subject.valid) return;
  const result = load(subject.item, text);
  assert.ok(result.ok, `${subject.item.name}: ${what} still validates:\n${formatDiagnosticsPretty(result.diagnostics)}\n${text}`);
}

/** No step (nor the output) reads it, it reads nothing, no goto names it or leaves it: moving or deleting it cannot break the flow. */
function isolated(outline: readonly StepOutline[], step: StepOutline, text: string): boolean {
  const readElsewhere = new RegExp(`\\$steps\\.${step.id}\\b`).test(text);
  return step.reads.length === 0 && !readElsewhere && step.gotos.length === 0 && !outline.some((other) => other.gotos.includes(step.id));
}

const all = subjects();

describe('edit operations on the corpus', () => {
  test('the corpus has runbooks to edit, valid ones among them', () => {
    assert.ok(all.length > 150, `runbooks to edit: ${all.length}`);
    assert.ok(all.filter((subject) => subject.valid).length > 80, 'valid runbooks');
  });

  test('move: the step arrives unchanged and every other line stays, in order', () => {
    for (const subject of all) {
      const { outline } = subject;
      if (outline.length < 2) continue;
      const moves: [StepOutline, number][] = [[outline[0], outline.length - 1], [outline[outline.length - 1], 0]];
      for (const [step, to] of moves) {
        const text = applied(subject, { op: 'move', step: step.id, to: { index: to } });
        const moved = outlineSteps(text)?.find((candidate) => candidate.id === step.id);
        assert.ok(moved && moved.index === to, `${subject.item.name}: ${step.id} is at ${to}`);
        assertOnlyMoved(subject.item.text, text, step, moved, `${subject.item.name}: move ${step.id} to ${to}`);
        if (isolated(outline, step, subject.item.text)) assertStillValid(subject, text, `moving ${step.id}`);
      }
    }
  });

  test('delete: exactly the step\'s lines (its leading comment included) and a separating blank line go', () => {
    for (const subject of all) {
      const { outline } = subject;
      if (outline.length < 2) continue;
      const step = outline[Math.floor(outline.length / 2)];
      const text = applied(subject, { op: 'delete', step: step.id });
      assertOnlyRemoved(subject.item.text, text, step.line, step.end_line, `${subject.item.name}: delete ${step.id}`);
      if (isolated(outline, step, subject.item.text)) assertStillValid(subject, text, `deleting ${step.id}`);
    }
  });

  test('duplicate: only the copy\'s lines are added, right after the step, with a new id', () => {
    for (const subject of all) {
      const step = subject.outline[0];
      const text = applied(subject, { op: 'duplicate', step: step.id });
      const copy = outlineSteps(text)?.[1];
      assert.ok(copy && copy.id === `${step.id}_1`, `${subject.item.name}: the copy is ${step.id}_1`);
      assertOnlyAdded(subject.item.text, text, copy.line, copy.end_line, `${subject.item.name}: duplicate ${step.id}`);
      assertStillValid(subject, text, `duplicating ${step.id}`);
    }
  });

  test('insert: every template adds only its step\'s lines, a step of its kind that validates', () => {
    for (const subject of all) {
      const hasSignals = /^signals:/m.test(subject.item.text);
      const commitsDocument = subject.outline.some((step) => step.kind === 'commit');
      for (const template of STEP_TEMPLATES) {
        const at = Math.min(1, subject.outline.length);
        const text = applied(subject, { op: 'insert', template: template.name, at: { index: at } });
        const inserted = outlineSteps(text)?.[at];
        assert.ok(inserted && inserted.id === `${template.name}_1` && inserted.kind === template.kind, `${subject.item.name}: inserted ${template.name}`);
        assertOnlyAdded(subject.item.text, text, inserted.line, inserted.end_line, `${subject.item.name}: insert ${template.name}`);
        // A wait needs a declared signal, a previous a document committed in the set (the template names this runbook's first).
        if ((template.kind !== 'wait' || hasSignals) && (template.kind !== 'previous' || commitsDocument)) assertStillValid(subject, text, `inserting ${template.name}`);
      }
    }
  });

  test('set: a title changes only its own line(s); a new field adds only its line', () => {
    for (const subject of all) {
      const step = subject.outline[subject.outline.length - 1];
      const title = applied(subject, { op: 'set', step: step.id, path: ['title'], value: 'An edited title' });
      assert.equal(outlineSteps(title)?.[step.index].title, 'An edited title');
      assertChangedWithin(subject.item.text, title, step.line, step.end_line, `${subject.item.name}: set title`);
      const change = contiguousChange(subject.item.text, title);
      if (!subject.item.text.includes(`{ id: ${step.id}`)) assert.equal(change.removed.length, 1, `${subject.item.name}: one line changed`);
      assertStillValid(subject, title, 'setting the title');

      const added = applied(subject, { op: 'set', step: step.id, path: ['description'], value: 'Says what it is for: written by a test' });
      assertChangedWithin(subject.item.text, added, step.line, step.end_line + 1, `${subject.item.name}: set description`);
      assertStillValid(subject, added, 'setting a description');
    }
  });

  test('set: a nested field of a call step, created or replaced, in block style', () => {
    for (const subject of all) {
      const step = subject.outline.find((candidate) => candidate.kind === 'call');
      if (!step) continue;
      const text = applied(subject, { op: 'set', step: step.id, path: ['call', 'retry', 'max_attempts'], value: 7 });
      assertChangedWithin(subject.item.text, text, step.line, step.end_line + 1, `${subject.item.name}: set retry`);
      assert.match(text, /max_attempts: 7/);
      assertStillValid(subject, text, 'setting call.retry.max_attempts');
    }
  });

  test('clear: removes only the field\'s lines', () => {
    for (const subject of all) {
      const step = subject.outline.find((candidate) => candidate.icon !== null);
      if (!step) continue;
      const text = applied(subject, { op: 'clear', step: step.id, path: ['icon'] });
      assert.equal(outlineSteps(text)?.[step.index].icon, null);
      assertChangedWithin(subject.item.text, text, step.line, step.end_line, `${subject.item.name}: clear icon`);
      assertStillValid(subject, text, 'clearing the icon');
    }
  });
});
