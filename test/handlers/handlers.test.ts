import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HandlerRegistry, invokeHandler, idempotencyKey, WorkflowError } from '../../interpreter/handlers/index.ts';
import type { HandlerInfo, HandlerLogger } from '../../interpreter/handlers/index.ts';
import { handlers, listCommits } from '../../handlers/index.ts';

const registry = new HandlerRegistry(handlers);
const quiet: HandlerLogger = { debug() {}, info() {}, warn() {}, error() {} };
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runbook-handlers-'));
  process.env.RUNBOOK_DATA_DIR = dir;
});

afterEach(async () => {
  delete process.env.RUNBOOK_DATA_DIR;
  await rm(dir, { recursive: true, force: true });
});

function infoFor(stepId: string, overrides: Partial<HandlerInfo> = {}): HandlerInfo {
  const runId = overrides.runId ?? 'run-1';
  const iteration = overrides.iteration ?? 0;
  return { runId, runbook: 'test', stepId, attempt: 1, iteration, idempotencyKey: idempotencyKey(runId, stepId, iteration), ...overrides };
}

async function call(name: string, args: unknown, info: Partial<HandlerInfo> = {}, abortSignal = new AbortController().signal): Promise<any> {
  return invokeHandler(registry, name, args, infoFor(info.stepId ?? 'step', info), quiet, abortSignal);
}

async function rejectsWith(promise: Promise<unknown>, type: string, nonRetryable?: boolean): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof WorkflowError, `expected a WorkflowError, got ${String(error)}`);
    assert.equal(error.type, type, error.message);
    if (nonRetryable !== undefined) assert.equal(error.nonRetryable, nonRetryable);
    return true;
  });
}

const TB = ['# period: 2025-01', '# currency: EUR', 'account,name,debit,credit', '1000,Cash,"1,500.00",', '2000,Payables,,1000', '4000,Revenue,,500.00'].join('\n');
const period = { entity: 'acme', period: '2025-01' };
const tbLines = [
  { account: '1000', debit: 1500, credit: 0 },
  { account: '4000', debit: 0, credit: 1500 },
];

test('every handler name is unique and registered', () => {
  assert.equal(registry.names().length, handlers.length);
  for (const name of ['ledger.open_period', 'ledger.commit_trial_balance', 'documents.extract', 'util.sleep']) assert.ok(registry.has(name), name);
});

test('util.echo returns its value and util.add sums two or three numbers', async () => {
  assert.deepEqual(await call('util.echo', { value: { a: [1, 2] } }), { value: { a: [1, 2] } });
  assert.deepEqual(await call('util.add', { a: 1, b: 2 }), { sum: 3 });
  assert.deepEqual(await call('util.add', { a: 1, b: 2, c: 3 }), { sum: 6 });
});

test('arguments that violate an input contract fail with HANDLER_INPUT_INVALID, not retryable', async () => {
  await rejectsWith(call('util.add', { a: 1, b: 'two' }), 'HANDLER_INPUT_INVALID', true);
  await rejectsWith(call('ledger.open_period', { entity: 'acme', period: '2025-13' }), 'HANDLER_INPUT_INVALID', true);
  await rejectsWith(call('documents.register_upload', { ...period, source: 'upload', schema: 'trial_balance', filename: 'tb.csv' }), 'HANDLER_INPUT_INVALID');
});

test('util.fail fails with the given type only for the first N attempts', async () => {
  await rejectsWith(call('util.fail', { type: 'FLAKY', times: 2 }, { attempt: 2 }), 'FLAKY', false);
  assert.deepEqual(await call('util.fail', { type: 'FLAKY', times: 2 }, { attempt: 3 }), { attempts: 3 });
  await rejectsWith(call('util.fail', { type: 'FATAL', non_retryable: true }, { attempt: 9 }), 'FATAL', true);
});

test('util.sleep sleeps, and stops with the abort reason when aborted', async () => {
  assert.deepEqual(await call('util.sleep', { ms: 5 }), { slept_ms: 5 });
  const controller = new AbortController();
  const pending = call('util.sleep', { ms: 60_000 }, {}, controller.signal);
  controller.abort(new Error('timed out'));
  await assert.rejects(pending, /timed out/);
});

test('a period opens idempotently, closes, and cannot be reopened', async () => {
  assert.deepEqual(await call('ledger.open_period', period), { ...period, status: 'open' });
  assert.deepEqual(await call('ledger.open_period', period), { ...period, status: 'open' });
  assert.deepEqual(await call('ledger.close_period', period), { ...period, status: 'closed', commits: 0 });
  await rejectsWith(call('ledger.open_period', period), 'PERIOD_CLOSED', true);
  await rejectsWith(call('ledger.close_period', { entity: 'acme', period: '2025-02' }), 'PERIOD_NOT_OPEN', true);
});

test('committing a trial balance twice with the same idempotency key records one commit', async () => {
  await call('ledger.open_period', period);
  const first = await call('ledger.commit_trial_balance', { ...period, lines: tbLines }, { stepId: 'commit', attempt: 1 });
  const retry = await call('ledger.commit_trial_balance', { ...period, lines: tbLines }, { stepId: 'commit', attempt: 2 });
  assert.deepEqual(retry, first);
  assert.equal((await listCommits('acme', '2025-01')).length, 1);
  const again = await call('ledger.commit_trial_balance', { ...period, lines: tbLines }, { stepId: 'commit', iteration: 1 });
  assert.notEqual(again.commit_id, first.commit_id);
  assert.equal((await listCommits('acme', '2025-01')).length, 2);
  assert.equal((await call('ledger.close_period', period)).commits, 2);
});

test('concurrent commits with one key still record one commit', async () => {
  await call('ledger.open_period', period);
  const results = await Promise.all([1, 2, 3, 4].map((attempt) => call('ledger.commit_trial_balance', { ...period, lines: tbLines }, { stepId: 'commit', attempt })));
  assert.equal(new Set(results.map((result) => result.commit_id)).size, 1);
  assert.equal((await listCommits('acme', '2025-01')).length, 1);
});

test('a trial balance commit applies corrections and refuses unbalanced, mismatched or closed periods', async () => {
  await rejectsWith(call('ledger.commit_trial_balance', { ...period, lines: tbLines }), 'PERIOD_NOT_OPEN', true);
  await call('ledger.open_period', period);
  const unbalanced = [...tbLines, { account: '2000', debit: 0, credit: 10 }];
  await rejectsWith(call('ledger.commit_trial_balance', { ...period, lines: unbalanced }), 'TB_UNBALANCED', true);
  const corrected = await call('ledger.commit_trial_balance', { ...period, lines: unbalanced, corrections: [{ account: '2000', debit: 10, credit: 10 }] });
  assert.equal(corrected.corrected, 1);
  assert.deepEqual(corrected.totals, { debit: 1510, credit: 1510, balanced: true });
  await rejectsWith(call('ledger.commit_trial_balance', { ...period, lines: tbLines, extracted_period: '2024-12' }), 'EXTRACTION_INPUT_INVALID', true);
  await call('ledger.close_period', period);
  await rejectsWith(call('ledger.commit_trial_balance', { ...period, lines: tbLines }, { stepId: 'late' }), 'PERIOD_CLOSED', true);
});

test('a proposed journal is posted once, with corrected lines when given', async () => {
  await call('ledger.open_period', period);
  const lines = [
    { account: '6100', debit: 250, credit: 0 },
    { account: '2100', debit: 0, credit: 250 },
  ];
  const proposal = await call('ledger.propose_journal', { ...period, kind: 'accrual', memo: 'Audit fee accrual', lines }, { stepId: 'propose' });
  assert.equal(proposal.status, 'proposed');
  assert.deepEqual(await call('ledger.propose_journal', { ...period, memo: 'Audit fee accrual', lines }, { stepId: 'propose' }), proposal);
  const bad = [lines[0], { account: '2100', debit: 0, credit: 200 }];
  await rejectsWith(call('ledger.post_journal', { journal_id: proposal.journal_id, lines: bad }), 'JOURNAL_UNBALANCED', true);
  const fixed = [{ account: '6100', debit: 300, credit: 0 }, { account: '2100', debit: 0, credit: 300 }];
  const posted = await call('ledger.post_journal', { journal_id: proposal.journal_id, lines: fixed, approved_by: 'ana' });
  assert.deepEqual(posted, { journal_id: proposal.journal_id, ...period, status: 'posted', line_count: 2, totals: { debit: 300, credit: 300, balanced: true } });
  assert.deepEqual(await call('ledger.post_journal', { journal_id: proposal.journal_id }), posted);
  await rejectsWith(call('ledger.post_journal', { journal_id: 'jnl-0000000000000000' }), 'JOURNAL_NOT_FOUND', true);
  await rejectsWith(call('ledger.propose_journal', { ...period, memo: 'x', lines: bad }), 'JOURNAL_UNBALANCED', true);
});

test('a document is registered, extracted, classified and stored deterministically', async () => {
  const upload = { ...period, source: 'upload', schema: 'trial_balance', filename: 'tb-2025-01.csv', content: TB };
  const registered = await call('documents.register_upload', upload);
  assert.deepEqual(await call('documents.register_upload', upload), registered);
  const extraction = await call('documents.extract', { document_id: registered.document_id });
  assert.equal(extraction.row_count, 3);
  assert.deepEqual(extraction.rows[0], { account: '1000', name: 'Cash', debit: 1500, credit: 0 });
  assert.deepEqual(extraction.fields, { period: '2025-01', currency: 'EUR', total_debit: 1500, total_credit: 1500, balanced: true });
  const classified = await call('documents.classify', { document_id: registered.document_id, expected: 'trial_balance' });
  assert.equal(classified.category, 'trial_balance');
  await rejectsWith(call('documents.classify', { document_id: registered.document_id, expected: 'bank_statement' }), 'DOCUMENT_MISCLASSIFIED', true);
  const stored = await call('documents.store', { document_id: registered.document_id, category: classified.category, extraction });
  assert.equal(stored.location, `documents/acme/2025-01/stored/${registered.document_id}.json`);
  assert.deepEqual(await readdir(join(dir, 'documents/acme/2025-01/stored')), [`${registered.document_id}.json`]);
});

test('a document can be read from a path inside the data directory but not outside it', async () => {
  await writeFile(join(dir, 'statement.csv'), 'date,description,amount\n2025-01-03,Client A,1200.00\n2025-01-09,Rent,-800\n');
  const extraction = await call('documents.extract', { path: 'statement.csv', schema: 'bank_statement' });
  assert.deepEqual(extraction.fields, { total_in: 1200, total_out: 800, net: 400 });
  await rejectsWith(call('documents.extract', { path: '../outside.csv', schema: 'table' }), 'EXTRACTION_INPUT_INVALID', true);
  await rejectsWith(call('documents.extract', { path: 'missing.csv', schema: 'table' }), 'DOCUMENT_NOT_FOUND', false);
  await rejectsWith(call('documents.extract', { document_id: 'doc-0000000000000000' }), 'DOCUMENT_NOT_FOUND', true);
});

test('malformed documents fail extraction with EXTRACTION_INPUT_INVALID, not retryable', async () => {
  const cases = [
    '',
    'account,debit\n1000,5',
    'account,name,debit,credit\n1000,Cash,12x,',
    'account,name,debit,credit\n1000,Cash,1',
    'account,name,debit,credit\n1000,"Cash,10,0',
    'account,name,debit,credit',
  ];
  for (const content of cases) await rejectsWith(call('documents.extract', { content, schema: 'trial_balance' }), 'EXTRACTION_INPUT_INVALID', true);
});
