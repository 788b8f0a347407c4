/** Expression evaluation is bounded deterministically: steps (tail calls too), bytes built, depth; $eval refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateExpression, evaluateTemplate, type ExpressionContext } from '../../interpreter/expressions/template.ts';
import { ExpressionLimitError, ExpressionRefusedError } from '../../interpreter/expressions/expression-errors.ts';
import { DEFAULT_EXPRESSION_LIMITS, EXPRESSION_LIMIT_CEILINGS, resolveExpressionLimits, type ExpressionLimits } from '../../interpreter/expressions/expression-limits.ts';
import { refusedReferences } from '../../interpreter/expressions/refused-calls.ts';

const context: ExpressionContext = { input: { rows: [1, 2, 3] }, steps: {}, signals: {}, run: { id: 'r1', slug: 'demo' } };
const small: ExpressionLimits = { steps: 5_000, valueBytes: 64 * 1024, depth: 50 };

async function limitHit(source: string, limits: ExpressionLimits = small): Promise<ExpressionLimitError> {
  try {
    await evaluateExpression(source, context, limits);
  } catch (error) {
    assert.ok(error instanceof ExpressionLimitError, `expected an ExpressionLimitError, got ${String(error)}`);
    return error;
  }
  assert.fail(`${source} evaluated within ${JSON.stringify(limits)}`);
}

test('a tail-recursive function that never returns hits expression_steps (the trampoline counts)', async () => {
  const error = await limitHit('($f := function($n) { $f($n + 1) }; $f(0))');
  assert.equal(error.limit, 'expression_steps');
  assert.equal(error.max, small.steps);
  assert.equal(error.expression, '($f := function($n) { $f($n + 1) }; $f(0))');
});

test('the same runaway fails after the same number of steps every time (deterministic, no clock)', async () => {
  const messages = new Set<string>();
  for (let i = 0; i < 3; i++) messages.add((await limitHit('($f := function($n) { $f($n + 1) }; $f(0))')).message);
  assert.equal(messages.size, 1);
});

test('non-tail recursion hits expression_depth', async () => {
  assert.equal((await limitHit('($f := function($n) { 1 + $f($n + 1) }; $f(0))')).limit, 'expression_depth');
});

test('$pad, $join, $split and $replace refuse before they allocate past expression_value_bytes', async () => {
  for (const source of [
    "$pad('x', 1000000000)",
    "$join($map([1..100], function($i) { $pad('', 1000) }))",
    "$split($pad('', 30000, 'a'), '')",
    "$replace($pad('', 10000, 'a'), 'a', 'bbbbbbbbbb')",
    "$replace($pad('', 10000, 'a'), /a/, '$0$0$0$0$0$0$0$0')",
  ]) {
    const error = await limitHit(source);
    assert.equal(error.limit, 'expression_value_bytes', source);
  }
});

test('a range too large is refused before it is built, and many values add up to the byte limit', async () => {
  assert.equal((await limitHit('$count([1..1000000000])', DEFAULT_EXPRESSION_LIMITS)).limit, 'expression_value_bytes');
  assert.equal((await limitHit("$merge($map([1..100], function($i) { { $string($i): $pad('', 2000) } }))")).limit, 'expression_value_bytes');
  assert.equal((await limitHit("$reduce([1..200], function($a, $i) { $a & 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' }, '')")).limit, 'expression_value_bytes');
});

test('one budget spans every expression of a template value', async () => {
  const limits: ExpressionLimits = { steps: 150, valueBytes: 1 << 20, depth: 50 };
  const each = '{% $sum($map([1..30], function($i) { $i * 2 })) %}';
  assert.equal(await evaluateTemplate(each, context, limits), 930);
  await assert.rejects(evaluateTemplate({ a: each, b: each, c: each }, context, limits), ExpressionLimitError);
});

test('expressions within the limits give the results they always gave', async () => {
  assert.equal(await evaluateExpression("($f := function($n) { $n = 0 ? 'done' : $f($n - 1) }; $f(500))", context), 'done');
  assert.equal(await evaluateExpression("$join($split('a,b,c', ','), '+')", context), 'a+b+c');
  assert.equal(await evaluateExpression("$replace('a-b-c', /-/, '[$0]')", context), 'a[-]b[-]c');
  assert.equal(await evaluateExpression("$pad('7', -3, '0')", context), '007');
  assert.deepEqual(await evaluateExpression('$input.rows.($ * 10)', context), [10, 20, 30]);
  assert.deepEqual(await evaluateExpression("{ 'n': $count([1..50000]) }", context), { n: 50000 });
});

test('limits: null evaluates as before bounds existed (replaying old histories)', async () => {
  assert.equal(await evaluateExpression("$eval('1 + 1')", context, null), 2);
  assert.equal(await evaluateExpression('$sum([1..10])', context, null), 55);
});

test('$eval is refused at run time, also when passed around as a value', async () => {
  await assert.rejects(evaluateExpression("$eval('1 + 1')", context), ExpressionRefusedError);
  await assert.rejects(evaluateExpression("($e := $eval; $e('1 + 1'))", context), ExpressionRefusedError);
  await assert.rejects(evaluateExpression("$map(['1'], $eval)", context), ExpressionRefusedError);
});

test('refusedReferences finds every $eval with its offset, and nothing in expressions without one', () => {
  assert.deepEqual(refusedReferences("1 + $eval('2')"), [{ name: 'eval', offset: 4 }]);
  assert.deepEqual(refusedReferences("($e := $eval; $e('1'))").map((found) => found.offset), [7]);
  assert.deepEqual(refusedReferences("$evaluate ~> $string('eval')"), []);
});

test('no expression reaches the host: globals, require, constructors, prototypes, the budget', async () => {
  const escapes = [
    'process', '$process', 'require', '$require', 'globalThis', '$globalThis', 'global',
    '$$.constructor', "$lookup({}, 'constructor')", '{}.constructor.constructor', "$lookup($lookup({}, 'constructor'), 'constructor')",
    '$string.constructor', '$pad.implementation', '$input.__proto__', "$lookup($input, '__proto__')", '$input.rows.constructor',
    '$now.constructor', '$millis.call', "$sift($input, function($v, $k) { $k = 'constructor' })",
    '$keys($$)', '$keys($input.__proto__)',
  ];
  for (const source of escapes) {
    let value: unknown;
    try {
      value = await evaluateExpression(source, context);
    } catch {
      continue; // refused is fine
    }
    assert.ok(value === undefined || (typeof value === 'string' && !/process|function/i.test(value)) || Array.isArray(value), `${source} gave ${String(value)}`);
    assert.notEqual(typeof value, 'function', source);
  }
  // Calling what is not there gives nothing, or an error: never the Function constructor.
  for (const source of ["$$.constructor.constructor('return process')()", "$lookup($lookup({}, 'constructor'), 'constructor')('return process')()"]) {
    const value = await evaluateExpression(source, context).catch(() => undefined);
    assert.equal(value, undefined, source);
  }
  // The budget's binding holds a space: no `$name` spells it (this does not even compile).
  await assert.rejects(evaluateExpression('$evaluation budget', context));
  assert.equal(await evaluateExpression('$evaluation', context), undefined);
});

test('an expression cannot pollute prototypes of the host', async () => {
  await evaluateExpression("$merge([{'__proto__': {'polluted': true}}, {'constructor': {'prototype': {'polluted': true}}}])", context).catch(() => undefined);
  await evaluateExpression("{'__proto__': {'polluted': true}}", context).catch(() => undefined);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
});

test('resolveExpressionLimits takes a runbook\'s values up to the ceilings and defaults the rest', () => {
  assert.deepEqual(resolveExpressionLimits(undefined), DEFAULT_EXPRESSION_LIMITS);
  assert.deepEqual(resolveExpressionLimits({ expression_steps: 10 }), { ...DEFAULT_EXPRESSION_LIMITS, steps: 10 });
  assert.equal(resolveExpressionLimits({ expression_depth: 10 ** 9 }).depth, EXPRESSION_LIMIT_CEILINGS.depth);
});

test('$sort and $distinct charge a step per item and stop within the budget however long the list (no quadratic native work)', async () => {
  for (const source of ['$count($sort([1..100000]))', '$count($distinct([1..100000]))', '$count($distinct($zip([1..100000], [1..100000])))', '$count($sort($map([1..100000], function($i) { $string($i) })))']) {
    const started = Date.now();
    const error = await limitHit(source, { ...small, valueBytes: 16 * 1024 * 1024 });
    assert.ok(['expression_steps', 'expression_value_bytes'].includes(error.limit), `${source}: ${error.message}`);
    assert.ok(Date.now() - started < 3_000, `${source} was stopped in ${Date.now() - started} ms`);
  }
});

test('$sort and $distinct give the results JSONata gives', async () => {
  const jsonata = (await import('jsonata')).default;
  const cases = [
    '$sort([3, 1, 2, 1.5, -4, 0])',
    '$sort(["b", "a", "B", "", "ab", "é"])',
    '$sort([5])',
    '$sort([])',
    '$sort([{"n": 2}, {"n": 1}], function($l, $r) { $l.n > $r.n })',
    '$distinct([1, "1", 1, 2, true, true, null, null, [1, 2], [1, 2], [2, 1], {"a": 1, "b": 2}, {"b": 2, "a": 1}, {"a": 1}])',
    '$distinct(["x"])',
    '$distinct([3, 1, 3, 2, 1])',
    '$distinct([1..5].($ % 2))',
  ];
  for (const source of cases) {
    const expected = await jsonata(source).evaluate({});
    assert.deepEqual(JSON.parse(JSON.stringify(await evaluateExpression(source, context) ?? null)), JSON.parse(JSON.stringify(expected ?? null)), source);
  }
  await assert.rejects(evaluateExpression('$sort([1, "a"])', context), { code: 'D3070' });
});

test('regexes match in linear time: a pattern that backtracks exponentially in JavaScript answers at once', async () => {
  const evil = { ...context, input: { memo: `${'a'.repeat(5000)}b` } };
  const started = Date.now();
  assert.equal(await evaluateExpression('$contains($input.memo, /^(a+)+$/)', evil), false);
  assert.equal(await evaluateExpression('$contains($input.memo, /^(a|aa)*c$/)', evil), false);
  assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
});

test('$match, $contains, $replace and $split give the results JavaScript regexes give', async () => {
  const jsonata = (await import('jsonata')).default;
  const data = { s: 'Hello World, hello moon; 12 apples, 345 pears', t: 'line one\nline two' };
  const cases = [
    '$match(s, /h(el)lo/i)',
    '$match(s, /[0-9]+/)',
    '$match(s, /(?<n>[0-9]+) (\\w+)/)',
    '$contains(s, /WORLD/i)',
    '$replace(s, /o/, "0")',
    '$replace(s, /(\\w+) (\\w+)/, "$2 $1")',
    '$replace(s, /l+/, function($m) { $uppercase($m.match) })',
    '$split(s, /[,;]\\s*/)',
    '$match(t, /^line \\w+$/m)',
    '$match(s, /x*/)',
  ];
  for (const source of cases) {
    let expected: unknown;
    try {
      expected = await jsonata(source).evaluate(data);
    } catch (error) {
      expected = { code: (error as { code?: string }).code };
    }
    // Ours reads the data as $input: the same expression written on $input.
    const ours = await evaluateExpression(source.replace(/\b(s|t)\b(?=[,)])/g, '$input.$1'), { ...context, input: data }).catch((error: { code?: string }) => ({ code: error.code }));
    assert.deepEqual(JSON.parse(JSON.stringify(ours ?? null)), JSON.parse(JSON.stringify(expected ?? null)), source);
  }
});
