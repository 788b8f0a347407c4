/** The inbox's grouping, filters and fan-out roll-ups, on plain entries. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InboxEntry } from '../../interpreter/index.ts';
import { buildInbox, childNoun, groupKeyOf, labelOf } from '../../interpreter/server/inbox.ts';

function entry(overrides: Partial<InboxEntry> & { run_id: string }): InboxEntry {
  return {
    runbook: 'month-end-close', title: 'Month-end close', step: 'review_extraction', step_title: 'Review trial balance',
    action: 'review_extraction', hint_type: 'review_extraction', kind: 'review', reason: null, waiting_since: '2025-01-01T00:00:00.000Z',
    deadline: null, identity: {}, parent: null, started_by: null, ...overrides,
  };
}

const child = (index: number, waitingSince: string): InboxEntry =>
  entry({
    run_id: `close-1/ingest/${index}`, runbook: 'document-ingest', title: 'Ingest a document', step: 'check', action: 'check', hint_type: null,
    waiting_since: waitingSince, parent: { run_id: 'close-1', runbook: 'month-end-close', step: 'ingest', index, count: 12 },
  });

test('groups by display hint type, else by action; labels in words; groups sorted by key, oldest wait first', () => {
  const inbox = buildInbox([
    entry({ run_id: 'b', waiting_since: '2025-01-02T00:00:00.000Z' }),
    entry({ run_id: 'a', waiting_since: '2025-01-01T00:00:00.000Z' }),
    entry({ run_id: 'u', step: 'await_trial_balance', action: 'awaiting_tb_upload', hint_type: 'upload', kind: 'signal' }),
    entry({ run_id: 'x', step: 'approve', action: 'approve_payment', hint_type: null }),
  ]);
  assert.deepEqual(inbox.groups.map((group) => [group.key, group.label]), [['approve_payment', 'Approve payment'], ['review_extraction', 'Review extraction'], ['upload', 'Upload']]);
  assert.deepEqual(inbox.groups[1]!.items.map((item) => item.run_id), ['a', 'b']);
  assert.equal(inbox.total, 4);
  assert.deepEqual(inbox.facets.actions, ['approve_payment', 'awaiting_tb_upload', 'review_extraction']);
  assert.equal(groupKeyOf(entry({ run_id: 'z', hint_type: null, action: 'sign' })), 'sign');
  assert.equal(labelOf('reviewExtraction'), 'Review extraction');
});

test('filters: runbook, step, action (or hint type), words of text in any field; facets stay unfiltered', () => {
  const entries = [
    entry({ run_id: 'close-acme', identity: { entity: 'acme-uk', period: '2025-01' }, reason: 'Awaiting accountant approval' }),
    entry({ run_id: 'close-globex', identity: { entity: 'globex', period: '2025-02' } }),
    entry({ run_id: 'journal', runbook: 'journal-proposal', step: 'review_journal', action: 'review_journal', hint_type: 'review_journal', started_by: 'otto' }),
  ];
  const ids = (filter: Parameters<typeof buildInbox>[1]) => buildInbox(entries, filter).groups.flatMap((group) => group.items.map((item) => item.run_id));
  assert.deepEqual(ids({ runbook: 'journal-proposal' }), ['journal']);
  assert.deepEqual(ids({ step: 'review_extraction' }).sort(), ['close-acme', 'close-globex']);
  assert.deepEqual(ids({ action: 'review_journal' }), ['journal']);
  assert.deepEqual(ids({ q: 'ACME 2025-01' }), ['close-acme']);
  assert.deepEqual(ids({ q: 'accountant' }), ['close-acme']);
  assert.deepEqual(ids({ q: 'otto' }), ['journal']);
  assert.deepEqual(ids({ q: 'nobody' }), []);
  assert.equal(buildInbox(entries, { q: 'nobody' }).facets.runbooks.length, 2);
});

test('fan-out children of one parent step roll up into one item, oldest first; other parents and groups stay apart', () => {
  const inbox = buildInbox([
    child(2, '2025-01-03T00:00:00.000Z'),
    child(0, '2025-01-01T00:00:00.000Z'),
    child(1, '2025-01-02T00:00:00.000Z'),
    { ...child(5, '2025-01-01T00:00:00.000Z'), parent: { run_id: 'close-2', runbook: 'month-end-close', step: 'ingest', index: 5, count: 6 } },
    entry({ run_id: 'alone' }),
  ]);
  const checks = inbox.groups.find((group) => group.key === 'check')!;
  assert.equal(checks.items.length, 2);
  const rolled = checks.items.find((item) => item.parent?.run_id === 'close-1')!;
  assert.equal(rolled.rollup?.label, '3 of 12 documents await review');
  assert.deepEqual(rolled.rollup?.children.map((c) => c.run_id), ['close-1/ingest/0', 'close-1/ingest/1', 'close-1/ingest/2']);
  assert.equal(rolled.run_id, 'close-1/ingest/0');
  assert.equal(checks.items.find((item) => item.parent?.run_id === 'close-2')!.rollup?.label, '1 of 6 documents await review');
  assert.equal(inbox.total, 3, 'a roll-up counts one');
});

test('the children\'s noun comes from their runbook title', () => {
  assert.equal(childNoun('Ingest a document'), 'documents');
  assert.equal(childNoun('Month-end close'), 'runs of Month-end close');
});
