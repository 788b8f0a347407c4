/**
 * The one contract every document store passes (SQLite and PostgreSQL): versions, idempotency by
 * execution, lookups by key fields, before and version, history, concurrent commits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DocumentCommit, DocumentStore } from '../../interpreter/documents/index.ts';

let runs = 0;
/** A commit with fresh run ids unless given: each test uses its own document names. */
export function entry(document: string, key: DocumentCommit['key'], value: unknown, extra: Partial<DocumentCommit> = {}): DocumentCommit {
  runs += 1;
  return { document, key, value, run_id: `run-${runs}`, execution_id: `execution-${runs}`, step_id: 'commit_it', iteration: 0, runbook: 'month-end-close', definition_hash: 'sha256:abc', actor: 'alice', committed_at: `2024-02-01T00:00:${String(runs % 60).padStart(2, '0')}.000Z`, ...extra };
}

export function describeDocumentStoreContract(name: string, open: () => Promise<DocumentStore | { skip: string }>): void {
  describe(`the document store contract: ${name}`, () => {
    let store: DocumentStore;
    let skip: string | undefined;
    const prefix = `t${Date.now().toString(36)}_`;
    before(async () => {
      const opened = await open();
      if ('skip' in opened) skip = opened.skip;
      else store = opened;
    });
    after(async () => {
      await store?.close();
    });
    const test = (title: string, body: () => Promise<void>): void => {
      it(title, async (t) => {
        if (skip) return t.skip(skip);
        await body();
      });
    };

    test('a first commit is version 1 and records run, step, runbook, definition hash, actor and time', async () => {
      const stored = await store.commit(entry(`${prefix}tb_a`, { entity: 'acme', period: '2024-01' }, { total: 10 }));
      assert.equal(stored.version, 1);
      assert.deepEqual({ ...stored, run_id: 'x', execution_id: 'x', committed_at: 'x' }, { document: `${prefix}tb_a`, key: { entity: 'acme', period: '2024-01' }, value: { total: 10 }, version: 1, run_id: 'x', execution_id: 'x', step_id: 'commit_it', iteration: 0, runbook: 'month-end-close', definition_hash: 'sha256:abc', actor: 'alice', committed_at: 'x' });
    });

    test('committing the same key again makes a new version and keeps the history, whatever the order of the key fields', async () => {
      const doc = `${prefix}tb_b`;
      await store.commit(entry(doc, { entity: 'acme', period: '2024-01' }, { total: 1 }));
      const second = await store.commit(entry(doc, { period: '2024-01', entity: 'acme' }, { total: 2 }));
      assert.equal(second.version, 2);
      const history = await store.versions(doc, { period: '2024-01', entity: 'acme' });
      assert.deepEqual(history.map((d) => [d.version, d.value]), [[1, { total: 1 }], [2, { total: 2 }]]);
      assert.equal((await store.commit(entry(doc, { entity: 'acme', period: '2024-02' }, 3))).version, 1, 'another key starts at 1');
    });

    test('a retried commit (same run, step and iteration) returns the first version and stores no duplicate', async () => {
      const doc = `${prefix}tb_c`;
      const first = entry(doc, { entity: 'acme' }, { total: 1 });
      const stored = await store.commit(first);
      const retried = await store.commit({ ...first, committed_at: '2099-01-01T00:00:00.000Z' });
      assert.deepEqual(retried, stored);
      assert.equal((await store.versions(doc, { entity: 'acme' })).length, 1);
      const nextIteration = await store.commit({ ...first, iteration: 1 });
      assert.equal(nextIteration.version, 2, 'a go-back (next iteration) is a new version');
    });

    test('a new execution that reuses a run id (same step and iteration) commits a new version; each one retried gets its own back', async () => {
      const doc = `${prefix}tb_k`;
      const runA = entry(doc, { entity: 'acme' }, 'from A', { run_id: `${prefix}reused`, execution_id: `${prefix}exec-a` });
      const runB = { ...runA, value: 'from B', execution_id: `${prefix}exec-b` };
      const a = await store.commit(runA);
      const b = await store.commit(runB);
      assert.deepEqual([a.version, a.value, a.execution_id, a.run_id], [1, 'from A', `${prefix}exec-a`, `${prefix}reused`]);
      assert.deepEqual([b.version, b.value, b.execution_id, b.run_id], [2, 'from B', `${prefix}exec-b`, `${prefix}reused`], 'the run id people see is kept');
      assert.deepEqual(await store.commit(runA), a, "A's retry");
      assert.deepEqual(await store.commit(runB), b, "B's retry");
      assert.equal((await store.versions(doc, { entity: 'acme' })).length, 2);
      assert.deepEqual((await store.committedBy(`${prefix}reused`)).map((d) => d.execution_id), [`${prefix}exec-a`, `${prefix}exec-b`], 'committedBy lists every execution of the run id');
    });

    test('a commit without an execution (scheduled by the previous version) is idempotent by its run id', async () => {
      const doc = `${prefix}tb_l`;
      const { execution_id: _none, ...legacy } = entry(doc, { entity: 'acme' }, 'legacy');
      const stored = await store.commit(legacy);
      assert.equal(stored.execution_id, legacy.run_id, 'its execution is its run id');
      assert.deepEqual(await store.commit(legacy), stored);
      assert.deepEqual(await store.commit({ ...legacy, execution_id: legacy.run_id }), stored, 'the same key as a current commit naming it');
      assert.equal((await store.commit({ ...legacy, execution_id: `${prefix}new-execution` })).version, 2, 'a new execution of that run id commits anew');
    });

    test('concurrent commits of one key get distinct versions 1..n', async () => {
      const doc = `${prefix}tb_d`;
      const stored = await Promise.all(Array.from({ length: 12 }, (_, i) => store.commit(entry(doc, { entity: 'acme' }, i))));
      assert.deepEqual(stored.map((d) => d.version).sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => i + 1));
    });

    test('find matches where fields by type and value, and gives the latest commit; a miss is null', async () => {
      const doc = `${prefix}tb_e`;
      await store.commit(entry(doc, { entity: 'acme', period: '2024-01' }, 'acme-1'));
      await store.commit(entry(doc, { entity: 'beta', period: '2024-01' }, 'beta-1'));
      await store.commit(entry(doc, { entity: 'acme', period: '2024-02' }, 'acme-2'));
      await store.commit(entry(doc, { entity: 1, period: '2024-09' }, 'number-1'));
      assert.equal((await store.find({ document: doc, where: { entity: 'acme' } }))?.value, 'acme-2');
      assert.equal((await store.find({ document: doc, where: { entity: 'beta' } }))?.value, 'beta-1');
      assert.equal((await store.find({ document: doc, where: { entity: 1 } }))?.value, 'number-1');
      assert.equal(await store.find({ document: doc, where: { entity: '1' } }), null, '"1" is not 1');
      assert.equal(await store.find({ document: doc, where: { entity: 'gamma' } }), null);
      assert.equal(await store.find({ document: `${prefix}never`, where: {} }), null);
    });

    test('before gives the greatest field value below the bound (strings by code point, numbers numerically), its latest version', async () => {
      const doc = `${prefix}tb_f`;
      for (const period of ['2024-03', '2024-01', '2024-02']) await store.commit(entry(doc, { entity: 'acme', period }, period));
      await store.commit(entry(doc, { entity: 'acme', period: '2024-01' }, '2024-01 v2'));
      const before = (value: string) => store.find({ document: doc, where: { entity: 'acme' }, before: { field: 'period', value } });
      assert.equal((await before('2024-03'))?.value, '2024-02');
      assert.equal((await before('2024-02'))?.value, '2024-01 v2');
      assert.equal(await before('2024-01'), null);
      assert.equal((await before('2025'))?.value, '2024-03');
      const numbers = `${prefix}tb_g`;
      for (const year of [9, 10, 100]) await store.commit(entry(numbers, { year }, year));
      assert.equal((await store.find({ document: numbers, where: {}, before: { field: 'year', value: 100 } }))?.value, 10, '10 < 100 numerically (not as text)');
      assert.equal(await store.find({ document: numbers, where: {}, before: { field: 'year', value: '999' } }), null, 'a string bound matches string fields only');
    });

    test('version picks one version of the matching key', async () => {
      const doc = `${prefix}tb_h`;
      await store.commit(entry(doc, { entity: 'acme' }, 'one'));
      await store.commit(entry(doc, { entity: 'acme' }, 'two'));
      assert.equal((await store.find({ document: doc, where: { entity: 'acme' }, version: 1 }))?.value, 'one');
      assert.equal((await store.find({ document: doc, where: { entity: 'acme' }, version: 2 }))?.value, 'two');
      assert.equal(await store.find({ document: doc, where: { entity: 'acme' }, version: 3 }), null);
    });

    test('values come back exactly as stored (object key order, nested lists, null) and committedBy lists a run in order', async () => {
      const doc = `${prefix}tb_i`;
      const value = { zeta: 1, alpha: [{ b: 2, a: 1 }], none: null, text: 'é ✓' };
      const first = entry(doc, { entity: 'acme' }, value, { run_id: `${prefix}run`, step_id: 'one' });
      await store.commit(first);
      await store.commit({ ...entry(`${prefix}tb_j`, { entity: 'acme' }, null), run_id: `${prefix}run`, step_id: 'two' });
      const found = await store.find({ document: doc, where: { entity: 'acme' } });
      assert.equal(JSON.stringify(found?.value), JSON.stringify(value));
      assert.deepEqual((await store.committedBy(`${prefix}run`)).map((d) => [d.step_id, d.value === null]), [['one', false], ['two', true]]);
    });
  });
}
