/** The changes between two versions of a document's value, as the document page lists them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changesBetween } from '../../interpreter/server/document-changes.ts';

test('equal values have no changes', () => {
  assert.deepEqual(changesBetween({ totals: { debit: 1, credit: 1 }, lines: [{ a: 1 }] }, { totals: { debit: 1, credit: 1 }, lines: [{ a: 1 }] }), { changes: [], truncated: false });
});

test('nested fields are named by their path; added and removed keys say so', () => {
  const { changes } = changesBetween({ totals: { debit: 1000, credit: 1000 }, old: true }, { totals: { debit: 1500, credit: 1000 }, note: 'x' });
  assert.deepEqual(changes, [
    { path: 'totals.debit', change: 'changed', before: 1000, after: 1500 },
    { path: 'note', change: 'added', after: 'x' },
    { path: 'old', change: 'removed', before: true },
  ]);
});

test('arrays compare by index; extra elements are added or removed', () => {
  assert.deepEqual(changesBetween({ lines: [{ debit: 1 }, { debit: 2 }] }, { lines: [{ debit: 3 }] }).changes, [
    { path: 'lines[0].debit', change: 'changed', before: 1, after: 3 },
    { path: 'lines[1]', change: 'removed', before: { debit: 2 } },
  ]);
  assert.deepEqual(changesBetween([1], [1, 2]).changes, [{ path: '[1]', change: 'added', after: 2 }]);
});

test('a value whose shape changed is one change of the whole; a key that is no identifier is quoted', () => {
  assert.deepEqual(changesBetween(5, { a: 1 }).changes, [{ path: '', change: 'changed', before: 5, after: { a: 1 } }]);
  assert.deepEqual(changesBetween({ accounts: { '1000': 1 } }, { accounts: { '1000': 2 } }).changes, [{ path: 'accounts["1000"]', change: 'changed', before: 1, after: 2 }]);
});

test('the list stops at the limit and says it was cut short', () => {
  const before = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`f${i}`, i]));
  const after = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`f${i}`, i + 1]));
  const { changes, truncated } = changesBetween(before, after);
  assert.equal(changes.length, 50);
  assert.equal(truncated, true);
  assert.equal(changesBetween(before, after, 100).truncated, false);
});
