/** The load-time tree of a simple path is built without JSONata's parser: it must be the tree JSONata builds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { parseExpression, simplePathTree } from '../../interpreter/expressions/expression-tree.ts';
import { collectExpressions } from '../../interpreter/expressions/index.ts';
import { fastParseRunbookYaml } from '../../interpreter/loader/fast-yaml.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** JSONata's own tree as plain data (its nodes are plain objects). */
const jsonataTree = (source: string): unknown => JSON.parse(JSON.stringify(jsonata(source).ast())) as unknown;

test('simple paths: the same nodes, fields and positions as JSONata', () => {
  const samples = [
    '$input', ' $input ', '$steps.register.document_id', '  $x.Y_z  ', '\t$steps.a.b.c\n', '\r\n$run.id\r\n',
    '$steps.and.or', '$x.in', '$x.function', '$_private.field_2', '$a1.B2.c3', `$steps.${'n'.repeat(200)}.value`,
  ];
  for (const source of samples) {
    const fast = simplePathTree(source);
    assert.ok(fast, `${JSON.stringify(source)} is taken by the fast path`);
    assert.deepEqual(JSON.parse(JSON.stringify(fast)), jsonataTree(source), JSON.stringify(source));
    assert.deepEqual(JSON.stringify(fast), JSON.stringify(jsonataTree(source)), `${JSON.stringify(source)}: same field order`);
  }
});

test('anything else is left to JSONata (values after a dot, other syntax, other whitespace, comments)', () => {
  const declined = [
    '$x.true', '$x.false', '$x.null', '$x.1a', '$x . y', '$', '$$', '$x[0]', '$x.y[0]', 'input.x', '$x.`odd name`', '$x.y + 1',
    '$x.\u00e9t\u00e9', '\u00a0$x', '$x /* c */', '$x.', '.$x', '$x..y', '$f()', '"$x"',
  ];
  for (const source of declined) assert.equal(simplePathTree(source), undefined, JSON.stringify(source));
  // Still parsed (or refused) by JSONata, as before.
  assert.equal(parseExpression('$x.y[0]').type, 'path');
  assert.throws(() => parseExpression('$x.'), (error: unknown) => typeof (error as { code?: unknown }).code === 'string');
});

test('every expression of the example runbooks and the conformance cases parses (simple, shaped or not) to the tree JSONata builds', () => {
  const files = [
    ...readdirSync(join(ROOT, 'runbooks')).filter((name) => name.endsWith('.yaml')).map((name) => join(ROOT, 'runbooks', name)),
    ...readdirSync(join(ROOT, 'test', 'cases'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.yaml')).map((name) => join(ROOT, 'test', 'cases', name)),
  ];
  let simple = 0;
  let checked = 0;
  for (const file of files) {
    let value: unknown;
    try {
      value = fastParseRunbookYaml(readFileSync(file, 'utf8'));
    } catch {
      continue; // fixtures of bad YAML
    }
    if (value === null || typeof value !== 'object') continue;
    for (const { expr } of collectExpressions(value as never) as { expr: string }[]) {
      let expected: unknown;
      try {
        expected = jsonataTree(expr);
      } catch {
        assert.equal(simplePathTree(expr), undefined, `${file}: ${expr} does not parse, so it is not simple`);
        continue;
      }
      checked++;
      if (simplePathTree(expr)) simple++;
      // Through every path parseExpression may take: a simple path, a copy of a shape's tree, JSONata.
      assert.deepEqual(JSON.parse(JSON.stringify(parseExpression(expr))), expected, `${file}: ${expr}`);
    }
  }
  assert.ok(checked > 200 && simple > 100, `checked ${checked}, simple ${simple}`);
});

const shapedSamples = [
  " $steps.review.approved ? $steps.review.corrections.lines : lines ",
  "$steps.draft_journal_v0.questions[0].actor",
  "$exists($steps.a.b) ? $steps.a.b : $input.c",
  "$sum($steps.extract.rows[account = 'cash'][0].amount.value)",
  "[$steps.lines.items[status != 'void'].{\n  'id': id, 'amount': amount, 'memo': memo.text\n}]",
  "$count($input.files) > 1e3 and $input.mode = \"bulk\" or $not($input.dry_run)",
  "$map($input.items, function($item, $i) { $item.amount * 1.5 })",
  "($x := $input.a; $x + 2.5E-2)",
  "$input.in.and.or",
  "$string($input.total) & ' of ' & \"total's\"",
  "$input.a ? true : null",
  "{ 'a': $input.x, 'b': [1, 2, $input.y] }",
  "$input.list[-1]",
  "$lookup($steps.s, 'field name')",
];

test('shaped trees: every name given back at its place, the rest as JSONata parses it', async () => {
  const { shapeOf } = await import('../../interpreter/expressions/expression-tree.ts');
  const rename = (source: string, seed: number): string =>
    source.replace(/'[^']*'|"[^"]*"|[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|[A-Za-z_][A-Za-z0-9_]*/g, (token) =>
      /^['"0-9]/.test(token) || ['and', 'or', 'in', 'true', 'false', 'null', 'function'].includes(token) ? token : `${token[0]}${'q'.repeat((token.length + seed) % 7)}${seed}`);
  for (const sample of shapedSamples) {
    assert.notEqual(shapeOf(sample), undefined, sample);
    // The first of a shape parses it; the others are copies of its tree.
    for (const source of [sample, rename(sample, 1), rename(sample, 2), rename(sample, 3)]) {
      assert.deepEqual(JSON.stringify(parseExpression(source)), JSON.stringify(jsonataTree(source)), source);
    }
  }
  for (const unshaped of ['$match($input.a, /x+/)', '$input.`odd name`', '$input.a /* note */', '$input.a#$i', '$input.a@$x', "'it\\'s'", '$input.été', '%.parent']) {
    assert.equal(shapeOf(unshaped), undefined, unshaped);
  }
  // A shape that does not parse: each expression of it gets JSONata's own error, with its own token.
  assert.throws(() => parseExpression('$input.a +'), (error: unknown) => (error as { code?: string }).code === 'S0207');
  assert.throws(() => parseExpression('$other.bb +'), (error: unknown) => (error as { code?: string }).code === 'S0207');
  assert.throws(() => parseExpression('$input.a $input.b'), (error: unknown) => (error as { token?: string }).token === 'input');
  assert.throws(() => parseExpression('$other.b $extra.c'), (error: unknown) => (error as { token?: string }).token === 'extra');
});
