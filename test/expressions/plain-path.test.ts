import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, evaluateExpression, type ExpressionContext } from '../../interpreter/expressions/template.ts';

const context: ExpressionContext = {
  input: {
    x: 1,
    neg: -0,
    name: 'acme',
    flag: false,
    none: null,
    nested: { deep: { value: 'v' }, list: [1, 2] },
    list: [{ a: 1 }, { a: 2 }],
    single: [5],
    empty: [],
    and: 'reserved',
  },
  steps: { s0: { sum: 3 }, odd: { 'with-dash': 1 } },
  signals: { tb: [{ period: '2026-01' }] },
  run: { id: 'r1', slug: 'demo' },
  item: { file: 'a.csv' },
  index: 0,
};

/** What JSONata itself answers, made plain JSON as the template module does. */
async function viaJsonata(source: string): Promise<unknown> {
  const bindings = { ...context } as Record<string, unknown>;
  const value: unknown = await compileExpression(source).evaluate(context, bindings);
  return value === undefined || typeof value === 'function' ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

const sources = [
  '$input',
  '$input.x',
  ' $input.x ',
  '$input.neg',
  '$input.name',
  '$input.flag',
  '$input.none',
  '$input.none.deeper',
  '$input.missing',
  '$input.missing.deeper',
  '$input.nested',
  '$input.nested.deep.value',
  '$input.nested.list',
  '$input.list',
  '$input.list.a',
  '$input.single',
  '$input.empty',
  '$input.x.y',
  '$input.constructor',
  '$input.toString',
  '$input.__proto__',
  '$steps.s0.sum',
  '$steps.s0',
  '$steps',
  '$signals.tb',
  '$signals.tb.period',
  '$run.id',
  '$item.file',
  '$index',
  '$signal',
  '$result.error.type',
];

for (const source of sources) {
  test(`the plain-path fast path answers ${JSON.stringify(source)} exactly as JSONata does`, async () => {
    assert.deepEqual(await evaluateExpression(source, context), await viaJsonata(source));
  });
}

test('a plain path result is a copy: changing it does not change the run context', async () => {
  const value = (await evaluateExpression('$input.nested', context)) as { deep: { value: string } };
  value.deep.value = 'changed';
  assert.equal((context.input as { nested: { deep: { value: string } } }).nested.deep.value, 'v');
});

test('negative zero comes back as zero, as JSON would give it', async () => {
  assert.ok(Object.is(await evaluateExpression('$input.neg', context), 0));
});

test('paths that are not plain still go to JSONata', async () => {
  assert.equal(await evaluateExpression('$input.x + 1', context), 2);
  assert.equal(await evaluateExpression('$input.`and`', context), 'reserved');
  assert.deepEqual(await evaluateExpression('$steps.odd.`with-dash`', context), 1);
});
