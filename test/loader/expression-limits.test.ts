/** The validator and expression limits: $eval is reported at its line, a limit over its ceiling at its own. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRunbookSource } from '../../interpreter/loader/index.ts';
import { locateExpressions } from '../../interpreter/loader/expression-locations.ts';

const base = 'slug: demo\ntitle: Demo\n';

test('$eval is reported as RB_EXPRESSION_FORBIDDEN at its line and column', () => {
  const source = `${base}steps:\n  - id: first\n    title: First\n    call:\n      handler: util.echo\n      args: { value: "{% 1 + $eval('2') %}" }\n`;
  const result = loadRunbookSource(source, 'demo.yaml');
  assert.equal(result.ok, false);
  const found = result.diagnostics.find((d) => d.code === 'RB_EXPRESSION_FORBIDDEN');
  assert.ok(found, JSON.stringify(result.diagnostics));
  assert.equal(found.line, 8);
  assert.equal(source.split('\n')[7].slice(found.column - 1, found.column - 1 + 5), '$eval');
});

test('an expression limit over its ceiling is reported at its line; one within it loads', () => {
  const over = `${base}limits:\n  expression_depth: 100\n  expression_steps: 999999999\nsteps:\n  - id: first\n    title: First\n    timer: { duration: 1s }\n`;
  const result = loadRunbookSource(over, 'demo.yaml');
  assert.equal(result.ok, false);
  assert.deepEqual(result.diagnostics.map((d) => [d.code, d.line]), [['RB_SCHEMA_RANGE', 5]]);
  const within = over.replace('999999999', '12000');
  assert.equal(loadRunbookSource(within, 'demo.yaml').ok, true);
});

test('locateExpressions gives file:line:col of each expression, by step', () => {
  const source = `${base}steps:\n  - id: first\n    title: First\n    when: "{% $input.go %}"\n    timer: { duration: 1s }\noutput: "n={% $steps.first %}"\n`;
  const result = loadRunbookSource(source, 'runbooks/demo.yaml');
  assert.ok(result.ok);
  const locations = locateExpressions('runbooks/demo.yaml', source, result.runbook.runbook);
  assert.deepEqual(locations, [
    { step: 'first', expr: ' $input.go ', at: 'runbooks/demo.yaml:6:14' },
    { step: null, expr: ' $steps.first ', at: 'runbooks/demo.yaml:8:14' },
  ]);
});

test('a regex RE2 cannot compile (look-around, back-reference) is RB_REGEX_UNSUPPORTED at its column; nested quantifiers are fine', () => {
  const source = `${base}steps:\n  - id: check\n    title: Check\n    when: '{% $contains($input.memo, /^(a+)+$/) and $contains($input.memo, /EUR(?=\\d)/) %}'\n    timer: { duration: 1s }\n`;
  const result = loadRunbookSource(source, 'demo.yaml');
  assert.equal(result.ok, false);
  const found = result.diagnostics.filter((d) => d.code === 'RB_REGEX_UNSUPPORTED');
  assert.equal(found.length, 1, JSON.stringify(result.diagnostics));
  assert.equal(found[0].line, 6);
  assert.equal(source.split('\n')[5].slice(found[0].column - 1, found[0].column - 1 + 11), '/EUR(?=\\d)/');
  const backReference = loadRunbookSource(source.replace('/EUR(?=\\d)/', '/(a)\\1/'), 'demo.yaml');
  assert.ok(backReference.diagnostics.some((d) => d.code === 'RB_REGEX_UNSUPPORTED'), 'a back-reference');
  assert.equal(loadRunbookSource(source.replace('/EUR(?=\\d)/', '/EUR\\d/'), 'demo.yaml').ok, true, 'nested quantifiers are linear with RE2');
});
