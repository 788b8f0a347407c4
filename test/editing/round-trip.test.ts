/**
 * A runbook text read into the editing text model and written back with no operation is byte for
 * byte the same: every runbook under runbooks/, every YAML file under test/cases/, and their
 * generated variants (4-space, unindented `- `, CRLF, no final newline, comments everywhere,
 * flow-style steps, block scalars). A move of a step to where it is changes nothing either.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { moveStep, outlineSteps, readRunbookText, isRefusal, renderLines } from '../../interpreter/editing/index.ts';
import { CASE_FILES, corpus, RUNBOOK_FILES } from './editing-corpus.ts';

const texts = corpus([...RUNBOOK_FILES, ...CASE_FILES]);

test('the corpus has the example runbooks, the case files and variants of each', () => {
  assert.ok(RUNBOOK_FILES.length >= 3, 'runbooks/ has its examples');
  assert.ok(CASE_FILES.length >= 100, 'test/cases has its files');
  const variants = new Set(texts.map((text) => text.variant));
  for (const variant of ['four-space', 'unindented-dash', 'crlf', 'no-final-newline', 'comments-everywhere', 'flow-steps', 'block-scalars']) assert.ok(variants.has(variant), variant);
});

test('reading a text and writing it back with no operation is byte-identical, for every text of the corpus', () => {
  let modelled = 0;
  for (const { name, text } of texts) {
    const source = readRunbookText(text);
    if (isRefusal(source)) continue;
    modelled++;
    assert.equal(renderLines(source.lines, source), text, name);
  }
  assert.ok(modelled > 100, `texts with a steps list: ${modelled}`);
});

test('moving every step to where it already is leaves the text byte-identical', () => {
  for (const { name, text } of texts) {
    const outline = outlineSteps(text);
    if (!outline || isRefusal(readRunbookText(text))) continue;
    const ids = outline.map((step) => step.id);
    for (const step of outline) {
      if (step.id === '' || ids.indexOf(step.id) !== ids.lastIndexOf(step.id)) continue;
      const result = moveStep(text, step.id, { index: step.index });
      assert.ok(result.ok, `${name}: ${step.id}`);
      assert.equal(result.text, text, `${name}: ${step.id}`);
    }
  }
});
