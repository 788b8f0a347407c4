/**
 * The decision record's format fields are checked like step order and goto targets: `identity`
 * names input properties (RB_IDENTITY_UNKNOWN_FIELD), a review's `separation_of_duties.exclude_actors_of`
 * names review steps before it (RB_SOD_STEP_UNKNOWN, RB_SOD_STEP_NOT_EARLIER_REVIEW); each located, with a did-you-mean.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRunbookSource } from '../../interpreter/loader/index.ts';

const INPUT = [
  'input:',
  '  type: object',
  '  required: [entity, period]',
  '  properties:',
  '    entity: { type: string }',
  '    period: { type: string }',
].join('\n');

const load = (text: string) => loadRunbookSource(text, 'decisions.yaml');
const located = (text: string) => load(text).diagnostics.map((d) => [d.code, d.line, d.column, d.pointer]);

const reviews = (approve: string) => [
  'slug: decisions',
  'title: Decisions',
  'steps:',
  '  - id: prepare',
  '    title: Prepare',
  '    review: {}',
  '  - id: approve',
  '    title: Approve',
  '    review:',
  '      separation_of_duties:',
  `        exclude_actors_of: [${approve}]`,
  '  - id: recheck',
  '    title: Recheck',
  '    review: {}',
  '  - id: book',
  '    title: Book',
  '    timer: { duration: 1s }',
  '',
].join('\n');

describe('identity', () => {
  it('accepts properties of the input schema', () => {
    assert.deepEqual(located(`slug: id-ok\ntitle: T\nidentity: [period, entity]\n${INPUT}\nsteps:\n  - id: a\n    title: A\n    review: {}\n`), []);
  });

  it('reports a field the input schema does not declare, at the field, with a did-you-mean', () => {
    const result = load(`slug: id-bad\ntitle: T\nidentity: [entity, perod]\n${INPUT}\nsteps:\n  - id: a\n    title: A\n    review: {}\n`);
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.severity, d.line, d.pointer]), [['RB_IDENTITY_UNKNOWN_FIELD', 'error', 3, '/identity/1']]);
    const [diagnostic] = result.diagnostics;
    assert.equal(diagnostic.column, 20);
    assert.match(diagnostic.message, /identity names "perod", which is not a property of the input schema \(did you mean "period"\?\)/);
    assert.match(diagnostic.message, /its properties: entity, period/);
    assert.equal(diagnostic.related?.[0]?.line, 5); // the schema's first line, under `input:`
    assert.equal(result.ok, false);
  });

  it('reports identity on a runbook without input', () => {
    const result = load('slug: id-none\ntitle: T\nidentity: [entity]\nsteps:\n  - id: a\n    title: A\n    review: {}\n');
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['RB_IDENTITY_UNKNOWN_FIELD']);
    assert.match(result.diagnostics[0].message, /the runbook declares no input/);
  });

  it('reads properties of a top-level allOf, and does not judge a schema it cannot follow ($ref, anyOf, oneOf)', () => {
    const allOf = 'input:\n  allOf:\n    - { type: object, properties: { entity: { type: string } } }\n    - { properties: { period: { type: string } } }';
    assert.deepEqual(located(`slug: id-allof\ntitle: T\nidentity: [entity, period]\n${allOf}\nsteps:\n  - id: a\n    title: A\n    review: {}\n`), []);
    const anyOf = 'input:\n  anyOf:\n    - { type: object, properties: { entity: { type: string } } }\n    - { type: object, properties: { account: { type: string } } }';
    assert.deepEqual(located(`slug: id-anyof\ntitle: T\nidentity: [account]\n${anyOf}\nsteps:\n  - id: a\n    title: A\n    review: {}\n`), []);
  });

  it('without identity, nothing is checked (the default is computed from the input schema)', () => {
    assert.deepEqual(located(`slug: id-default\ntitle: T\n${INPUT}\nsteps:\n  - id: a\n    title: A\n    review: {}\n`), []);
  });
});

describe('separation_of_duties.exclude_actors_of', () => {
  it('accepts an earlier review', () => {
    assert.deepEqual(located(reviews('prepare')), []);
  });

  it('reports an unknown step at the name, with a did-you-mean among the earlier reviews', () => {
    const result = load(reviews('prepar'));
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.line, d.pointer]), [['RB_SOD_STEP_UNKNOWN', 11, '/steps/1/review/separation_of_duties/exclude_actors_of/0']]);
    assert.equal(result.diagnostics[0].column, 29);
    assert.match(result.diagnostics[0].message, /step "approve" excludes the actor of "prepar", which is not a step \(did you mean "prepare"\?\)/);
  });

  it('reports the review itself, a later review and a step that is not a review, each pointing at the step named', () => {
    const result = load(reviews('approve, recheck, book'));
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.pointer, d.related?.[0]?.line]),
      [
        ['RB_SOD_STEP_NOT_EARLIER_REVIEW', '/steps/1/review/separation_of_duties/exclude_actors_of/0', 7],
        ['RB_SOD_STEP_NOT_EARLIER_REVIEW', '/steps/1/review/separation_of_duties/exclude_actors_of/1', 12],
        ['RB_SOD_STEP_NOT_EARLIER_REVIEW', '/steps/1/review/separation_of_duties/exclude_actors_of/2', 15],
      ],
    );
    const [itself, later, notReview] = result.diagnostics.map((d) => d.message);
    assert.match(itself, /excludes the actor of itself/);
    assert.match(later, /step "recheck", which comes after it/);
    assert.match(notReview, /step "book", which is not a review/);
  });

  it('a review moved above the review it excludes is reported (reorder safety)', () => {
    const moved = [
      'slug: moved', 'title: Moved', 'steps:',
      '  - id: approve', '    title: Approve', '    review:', '      separation_of_duties: { exclude_actors_of: [prepare] }',
      '  - id: prepare', '    title: Prepare', '    review: {}', '',
    ].join('\n');
    assert.deepEqual(load(moved).diagnostics.map((d) => [d.code, d.line]), [['RB_SOD_STEP_NOT_EARLIER_REVIEW', 7]]);
  });
});
