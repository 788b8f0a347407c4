/**
 * The inbox on Temporal: the waiting upsert carries RunbookPendingAction and RunbookInbox (one
 * Keyword, bounded) and RunbookWaitingSince (the entry's waiting_since as a Datetime), so `TemporalRunClient.listInbox()` lists every waiting run with one visibility
 * query, children with their parent; the resume clears them. `listRuns()` lists recent runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InboxEntry } from '../../interpreter/core/index.ts';
import { decodeInboxEntry, encodeInboxEntry } from '../../interpreter/temporal/inbox-attributes.ts';
import { SEARCH_ATTRIBUTES } from '../../interpreter/temporal/workflow-contract.ts';
import { TemporalRunClient } from '../../interpreter/temporal/temporal-run-client.ts';
import { temporalTestRuntime, type TemporalTestRuntime } from '../../interpreter/testing/index.ts';
import { runbookOf } from '../support/inline-runbook.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';

after(closeTestTemporal);

const KEYWORD_BYTES = 2048;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const entry = (overrides: Partial<InboxEntry> = {}): InboxEntry => ({
  run_id: 'close-1', runbook: 'month-end-close', title: 'Month-end close', step: 'review_extraction', step_title: 'Review the extraction',
  action: 'review_extraction', hint_type: 'review_extraction', kind: 'review', reason: 'Approve the 2025-01 trial balance',
  waiting_since: '2025-01-31T00:00:00.000Z', deadline: '2025-02-03T00:00:00.000Z', identity: { entity: 'acme', period: '2025-01' },
  parent: null, started_by: 'pat@example.com', ...overrides,
});

describe('RunbookInbox encoding', () => {
  test('an ordinary entry round-trips exactly (the run id comes from visibility)', () => {
    const text = encodeInboxEntry(entry());
    assert.ok(!text.includes('close-1'), 'the run id is not stored');
    assert.deepEqual(decodeInboxEntry('close-1', text), entry());
    const child = entry({ run_id: 'close-1/ingest/2', parent: { run_id: 'close-1', runbook: 'month-end-close', step: 'ingest', index: 2, count: 12 } });
    assert.deepEqual(decodeInboxEntry('close-1/ingest/2', encodeInboxEntry(child)), child);
  });

  const huge: [string, Partial<InboxEntry>][] = [
    ['a huge reason (3-byte characters)', { reason: '漢'.repeat(20_000) }],
    ['a huge identity (many fields, 4-byte characters)', { identity: Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`field_${i}_`.repeat(20), '😀'.repeat(2_000)])) }],
    ['huge titles and starter', { title: 'T'.repeat(5_000), step_title: 'S'.repeat(5_000), started_by: 'p'.repeat(5_000) }],
    ['control characters (escaped six-fold in JSON)', { reason: '\u0001'.repeat(5_000), title: '\u0002'.repeat(500), step_title: '\u0003'.repeat(500), identity: { memo: '\u0004'.repeat(500) } }],
    ['a huge hint type (display_hint.type is an expression)', { hint_type: 'h'.repeat(10_000), action: 'a'.repeat(3_000) }],
    ['a deep child (a long parent run id)', { parent: { run_id: 'p/x/0'.repeat(400), runbook: 'r'.repeat(500), step: 's'.repeat(500), index: 3, count: 9 } }],
  ];
  for (const [name, overrides] of huge) {
    test(`stays under 2 KiB and decodes: ${name}`, () => {
      const text = encodeInboxEntry(entry(overrides));
      assert.ok(Buffer.byteLength(text, 'utf8') < KEYWORD_BYTES, `${Buffer.byteLength(text, 'utf8')} bytes`);
      const decoded = decodeInboxEntry('close-1', text);
      assert.ok(decoded, text);
      assert.equal(decoded.run_id, 'close-1');
      assert.equal(decoded.kind, 'review');
      assert.equal(decoded.waiting_since, '2025-01-31T00:00:00.000Z');
      if (overrides.reason && decoded.reason !== null) assert.ok(decoded.reason.endsWith('…') && decoded.reason.length <= 200);
    });
  }

  test('everything at once is still under 2 KiB', () => {
    const all = Object.assign({}, ...huge.map(([, overrides]) => overrides)) as Partial<InboxEntry>;
    const text = encodeInboxEntry(entry(all));
    assert.ok(Buffer.byteLength(text, 'utf8') < KEYWORD_BYTES);
    assert.ok(decodeInboxEntry('close-1', text));
  });

  test('anything but an entry decodes to null', () => {
    for (const text of [undefined, null, '', 'not json', '[]', '{"step":1}', JSON.stringify({ step: 'x' })]) assert.equal(decodeInboxEntry('r', text), null);
  });
});

const reviewed = runbookOf({
  slug: 'inbox-visible',
  title: 'Inbox visible',
  identity: ['entity', 'period'],
  input: { type: 'object', required: ['entity', 'period'], properties: { entity: { type: 'string' }, period: { type: 'string' } } },
  steps: [
    { id: 'first', title: 'First', call: { handler: 'util.echo', args: { value: 1 } } },
    {
      id: 'check',
      title: 'Check the numbers',
      review: { reason: 'Check {% $input.entity %} for {% $input.period %}', display_hint: { type: 'number_review' }, deadline: { after: '1d', outcome: 'rejected' }, outcomes: { approved: 'continue', rejected: 'continue' } },
    },
  ],
  output: { approved_by: '{% $steps.check.actor %}' },
});

const kid = runbookOf({ slug: 'inbox-kid', title: 'Inbox kid', steps: [{ id: 'look', title: 'Look', review: { action: 'look_at_document' } }], output: '{% $steps.look.action %}' });
const fanOut = runbookOf({ slug: 'inbox-parent', title: 'Inbox parent', steps: [{ id: 'docs', title: 'Docs', child: { runbook: 'inbox-kid', for_each: '{% $input.items %}', input: {} } }] });

/** Polls `read` until `done` holds (visibility is eventually consistent), for up to ~10 s. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const until = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) assert.fail(`${what}: not within 10 s (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('listInbox and listRuns on Temporal', () => {
  let runtime: TemporalTestRuntime;
  let runs: TemporalRunClient;
  const suffix = `${process.pid}-${Date.now().toString(36)}`;

  before(async () => {
    const temporal = await getTestTemporal();
    runtime = await temporalTestRuntime({
      connection: await temporal.connection(),
      nativeConnection: await temporal.nativeConnection(),
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue('inbox'),
      handlers: null,
      handlerNames: ['util.echo'],
    });
    runs = new TemporalRunClient(runtime.client, runtime.taskQueue);
  });
  after(async () => runtime?.close());

  test('a waiting run is in the inbox with its entry, and no longer once it resumes', async () => {
    const runId = `inbox-visible-${suffix}`;
    const routed = runtime.handlers.attach(runId, new Map([['util.echo', [{ result: { value: 1 } }]]]));
    try {
      const run = await runtime.start([reviewed], 'inbox-visible', { entity: 'acme', period: '2025-01' }, runId, { startedBy: 'pat@example.com' });
      const pending = await run.waitForPendingAction();
      assert.equal(pending?.step, 'check');
      const inbox = await eventually(() => runs.listInbox(), (entries) => entries.some((item) => item.run_id === runId), 'the waiting run in the inbox');
      const found = inbox.find((item) => item.run_id === runId)!;
      assert.deepEqual({ ...found, waiting_since: null, deadline: null }, {
        run_id: runId, runbook: 'inbox-visible', title: 'Inbox visible', step: 'check', step_title: 'Check the numbers', action: 'review', hint_type: 'number_review',
        kind: 'review', reason: 'Check acme for 2025-01', waiting_since: null, deadline: null, identity: { entity: 'acme', period: '2025-01' }, parent: null, started_by: 'pat@example.com',
      });
      assert.match(String(found.waiting_since), ISO);
      assert.equal(found.waiting_since, pending?.since);
      assert.equal(Date.parse(String(found.deadline)) - Date.parse(String(found.waiting_since)), 86_400_000);
      const waiting = await runtime.client.workflow.getHandle(runId).describe();
      assert.deepEqual(waiting.searchAttributes[SEARCH_ATTRIBUTES.pendingAction], ['number_review']);
      // The Datetime twin of the entry's waiting_since (for `RunbookWaitingSince < '…'` queries).
      assert.deepEqual((waiting.searchAttributes[SEARCH_ATTRIBUTES.waitingSince] as Date[] | undefined)?.map((date) => date.toISOString()), [found.waiting_since]);

      await run.userAction({ action: 'approved', actor: 'ana@example.com', comment: 'fine' });
      assert.deepEqual(await run.result(), { approved_by: 'ana@example.com' });
      await eventually(() => runs.listInbox(), (entries) => !entries.some((item) => item.run_id === runId), 'the resumed run out of the inbox');
      const done = await runtime.client.workflow.getHandle(runId).describe();
      assert.equal(done.searchAttributes[SEARCH_ATTRIBUTES.pendingAction], undefined);
      assert.equal(done.searchAttributes[SEARCH_ATTRIBUTES.inbox], undefined);
      assert.equal(done.searchAttributes[SEARCH_ATTRIBUTES.waitingSince], undefined);

      // listRuns: the run, completed, newest first, filtered by runbook.
      const listed = await eventually(() => runs.listRuns({ runbook: 'inbox-visible' }), (list) => list.some((item) => item.run_id === runId && item.status === 'completed'), 'the completed run in listRuns');
      const summary = listed.find((item) => item.run_id === runId)!;
      assert.equal(summary.runbook, 'inbox-visible');
      assert.equal(summary.parent_run_id, null);
      assert.match(String(summary.started_at), ISO);
      assert.match(String(summary.closed_at), ISO);
      assert.ok(listed.every((item) => item.runbook === 'inbox-visible'));
      for (let i = 1; i < listed.length; i++) assert.ok(String(listed[i - 1].started_at) >= String(listed[i].started_at), 'newest first');
      assert.ok((await runs.listRuns({ runbook: 'inbox-visible', limit: 1 })).length <= 1);
      const ui = await run.currentUiState();
      assert.equal(ui.started_by, 'pat@example.com');
      assert.deepEqual(ui.timeline?.filter((item) => item.type === 'action.taken').map((item) => [item.actor, item.comment, item.outcome]), [['ana@example.com', 'fine', 'approved']]);
    } finally {
      routed.detach();
    }
  });

  test('fan-out children waiting on a person are listed with their parent (index and count); a waiting run is "waiting" in listRuns', async () => {
    const runId = `inbox-parent-${suffix}`;
    const run = await runtime.start([fanOut, kid], 'inbox-parent', { items: ['a', 'b'] }, runId, { startedBy: 'pat' });
    const inbox = await eventually(() => runs.listInbox(), (entries) => entries.filter((item) => item.parent?.run_id === runId).length === 2, 'both children in the inbox');
    const children = inbox.filter((item) => item.parent?.run_id === runId).sort((a, b) => a.run_id.localeCompare(b.run_id));
    assert.deepEqual(children.map((item) => [item.runbook, item.action, item.started_by, item.parent]), [0, 1].map((index) => ['inbox-kid', 'look_at_document', 'pat', { run_id: runId, runbook: 'inbox-parent', step: 'docs', index, count: 2 }]));
    assert.ok(!inbox.some((item) => item.run_id === runId), 'the parent waits on its children, not on a person');
    const listed = await eventually(() => runs.listRuns({ query: `WorkflowId = '${children[0].run_id}'` }), (list) => list[0]?.status === 'waiting', 'the waiting child in listRuns');
    assert.equal(listed[0].parent_run_id, runId);
    for (const child of children) await runs.get(child.run_id).userAction({ action: 'approved', actor: 'ana' });
    assert.deepEqual(await run.result(), { docs: ['approved', 'approved'] });
  });
});
