/**
 * The console on the in-process backend, over a real socket: server-sent events deliver a change
 * another client makes, with heartbeats, and stop when the client goes; separation of duties; the
 * inbox rolls fan-out children of one parent step up into one item.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { InboxResponse, RunPageResponse, StartResponse } from '../../interpreter/server/console-api.ts';
import { monthEndInput, startConsole, testAuth, trialBalance, type ConsoleFixture } from './console-fixture.ts';

let fx: ConsoleFixture;
let base: string;
before(async () => {
  fx = await startConsole();
  await fx.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(fx.app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await fx.close();
});

/** Reads an event stream: its events as they come, the raw text, and a way to hang up. */
function openEvents(url: string): Promise<{ response: IncomingMessage; next(predicate: (page: RunPageResponse) => boolean): Promise<RunPageResponse>; text(): string; close(): void }> {
  return new Promise((resolve, reject) => {
    const request = get(url, (response) => {
      let buffer = '';
      let all = '';
      const pages: RunPageResponse[] = [];
      const waiters: (() => void)[] = [];
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        all += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: state$/m.test(block)) pages.push(JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as RunPageResponse);
        }
        for (const wake of waiters.splice(0)) wake();
      });
      resolve({
        response,
        text: () => all,
        close: () => request.destroy(),
        next: async (predicate) => {
          const deadline = Date.now() + 15_000;
          for (;;) {
            const found = pages.find(predicate);
            if (found) return found;
            if (Date.now() > deadline) throw new Error(`no such event in: ${all.slice(0, 2000)}`);
            await new Promise<void>((wake) => {
              waiters.push(wake);
              setTimeout(wake, 500);
            });
          }
        },
      });
    });
    request.on('error', reject);
  });
}

test('GET /api/runs/:id/events: the state at once, then a change made by another client, heartbeats; it ends when the client goes', async () => {
  const input = monthEndInput();
  const started = await fx.post('/api/runs', { runbook: 'month-end-close', input });
  const runId = (started.json() as StartResponse).run_id;
  await fx.waitingAt(runId, 'await_trial_balance');
  const events = await openEvents(`${base}/api/runs/${runId}/events`);
  try {
    assert.equal(events.response.statusCode, 200);
    assert.match(String(events.response.headers['content-type']), /^text\/event-stream/);
    const first = await events.next(() => true);
    assert.equal(first.state.pending_action?.step, 'await_trial_balance');
    // Another client uploads the trial balance.
    const signal = await fx.post(`/api/runs/${runId}/signal`, { name: 'tb_submitted', payload: trialBalance(input.period) });
    assert.equal(signal.statusCode, 200, signal.body);
    const review = await events.next((page) => page.state.pending_action?.step === 'review_extraction');
    assert.ok(review.state.version > first.state.version);
    assert.equal(review.can.act, true);
    await new Promise((resolve) => setTimeout(resolve, 450));
    assert.match(events.text(), /^: heartbeat /m);
  } finally {
    events.close();
  }
  // The stream is gone: closing the server does not wait for it.
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(fx.app.server.listening, true);
});

test('events of an unknown run are a 404 JSON error, not a stream', async () => {
  const response = await fx.get('/api/runs/no-such-run/events');
  assert.equal(response.statusCode, 404);
  assert.equal(response.json().code, 'RUN_NOT_FOUND');
});

test('separation of duties: who started a journal may not approve it (the page says why, the API refuses); another operator may', async () => {
  const other = await startConsole({ auth: testAuth({ otto: ['viewer', 'operator'], olga: ['viewer', 'operator'] }) });
  try {
    const as = (user: string) => ({ 'x-test-user': user, 'x-csrf-token': 't0ken' });
    const input = { entity: 'acme-uk', period: '2025-01', kind: 'accrual', memo: 'Accrue audit fee', reviewer: 'olga', lines: [{ account: '6400', debit: 1250 }, { account: '2300', credit: 1250 }] };
    const started = await other.app.inject({ method: 'POST', url: '/api/runs', headers: as('otto'), payload: { runbook: 'journal-proposal', input } });
    assert.equal(started.statusCode, 201, started.body);
    const runId = (started.json() as StartResponse).run_id;
    await other.waitingAt(runId, 'review_journal');
    const ottoPage = (await other.app.inject({ url: `/api/runs/${runId}`, headers: as('otto') })).json() as RunPageResponse;
    assert.equal(ottoPage.can.act, false);
    assert.match(ottoPage.can.act_blocked_reason ?? '', /separation of duties/);
    const refused = await other.app.inject({ method: 'POST', url: `/api/runs/${runId}/action`, headers: as('otto'), payload: { step: 'review_journal', action: 'approved' } });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().code, 'SEPARATION_OF_DUTIES');
    const olgaPage = (await other.app.inject({ url: `/api/runs/${runId}`, headers: as('olga') })).json() as RunPageResponse;
    assert.equal(olgaPage.can.act, true);
    const approved = await other.app.inject({ method: 'POST', url: `/api/runs/${runId}/action`, headers: as('olga'), payload: { step: 'review_journal', action: 'approved', comment: 'fine' } });
    assert.equal(approved.statusCode, 200, approved.body);
    const done = await other.until(runId, (state) => state.status !== 'running' && state.status !== 'waiting');
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
  } finally {
    await other.close();
  }
});

test('the inbox rolls fan-out children of one parent step up: "2 of 3 ... await review"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'console-rollup-'));
  writeFileSync(join(dir, 'batch.yaml'), `slug: batch
title: Review a batch
input: { type: object, required: [batch], properties: { batch: { type: string }, items: { type: array } } }
steps:
  - id: review_items
    title: Review items
    child:
      runbook: item-review
      for_each: '{% $input.items %}'
      input: "{% {'name': $item} %}"
`);
  writeFileSync(join(dir, 'item-review.yaml'), `slug: item-review
title: Check a document
input: { type: object, required: [name], properties: { name: { type: string } } }
steps:
  - id: check
    title: Check it
    review:
      action: check_document
      payload: '{% $input %}'
      display_hint: { type: document_check }
      reason: 'Check {% $input.name %}'
`);
  const other = await startConsole({ runbooksDir: dir });
  try {
    const started = await other.post('/api/runs', { runbook: 'batch', input: { batch: 'b1', items: ['a', 'b', 'c'] } });
    assert.equal(started.statusCode, 201, started.body);
    const deadline = Date.now() + 15_000;
    let inbox: InboxResponse;
    for (;;) {
      inbox = (await other.get('/api/inbox')).json() as InboxResponse;
      if (inbox.groups[0]?.items[0]?.rollup?.waiting === 3) break;
      assert.ok(Date.now() < deadline, JSON.stringify(inbox));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(inbox.total, 1);
    const first = inbox.groups[0]!.items[0]!;
    assert.equal(first.rollup?.total, 3);
    // One child decided: two of three remain.
    const child = first.rollup!.children[0]!;
    const acted = await other.post(`/api/runs/${encodeURIComponent(child.run_id)}/action`, { step: 'check', action: 'approved' });
    assert.equal(acted.statusCode, 200, `${child.run_id}: ${acted.body}`);
    inbox = (await other.get('/api/inbox')).json() as InboxResponse;
    const rolled = inbox.groups[0]!.items[0]!;
    assert.equal(rolled.rollup?.label, '2 of 3 documents await review');
    assert.equal(inbox.groups[0]!.key, 'document_check');
    assert.equal(rolled.parent?.step, 'review_items');
  } finally {
    await other.close();
  }
});
