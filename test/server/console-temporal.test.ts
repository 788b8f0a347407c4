/**
 * The console API on the Temporal backend, against the test dev server with a worker in this
 * process: start from an input, the inbox from visibility, upload by signal, a correction with a
 * comment, engine rejections as 409/422 with nothing changed, live events of another client's action.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Worker } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { createInterpreterWorker, TemporalRunClient } from '../../interpreter/temporal/index.ts';
import type { InboxResponse, MeResponse, RunPageResponse, RunsResponse, StartResponse } from '../../interpreter/server/console-api.ts';
import { localOnlyAuth } from '../../interpreter/server/console-auth-port.ts';
import { createConsoleServer } from '../../interpreter/server/console-server.ts';
import { loadProjectRunbooks } from '../../interpreter/server/project-runbooks.ts';
import { TemporalBackend } from '../../interpreter/server/temporal-backend.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';
import { ROOT } from '../support/run-cli.ts';
import { exampleHandlers, monthEndInput, trialBalance } from './console-fixture.ts';

let app: FastifyInstance;
let worker: Worker;
let running: Promise<void>;
let csrf: string;
let base: string;

before(async () => {
  const temporal = await getTestTemporal();
  const handlers = await exampleHandlers();
  const project = await loadProjectRunbooks(join(ROOT, 'runbooks'), handlers);
  const taskQueue = temporal.taskQueue('console');
  worker = await createInterpreterWorker({ connection: await temporal.nativeConnection(), namespace: temporal.namespace, taskQueue, handlers, definitions: project.definitions });
  running = worker.run();
  const client = new Client({ connection: await temporal.connection(), namespace: temporal.namespace });
  const backend = new TemporalBackend({ client: new TemporalRunClient(client, taskQueue), catalog: project.catalog, handlers, namespace: temporal.namespace, pollMs: { first: 50, max: 300 } });
  app = await createConsoleServer({ backend, auth: localOnlyAuth(), appDir: null, heartbeatMs: 500 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  csrf = ((await app.inject({ url: '/api/me' })).json() as MeResponse).csrf_token;
});

after(async () => {
  await app?.close();
  worker?.shutdown();
  await running;
  await closeTestTemporal();
});

const post = (url: string, body?: object) => app.inject({ method: 'POST', url, headers: { 'x-csrf-token': csrf }, ...(body ? { payload: body } : {}) });
const page = async (runId: string) => (await app.inject({ url: `/api/runs/${encodeURIComponent(runId)}` })).json() as RunPageResponse;

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    assert.ok(Date.now() < deadline, `${what}: ${JSON.stringify(value).slice(0, 1500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const waitingAt = (runId: string, step: string) => until(`waiting at ${step}`, () => page(runId), (p) => p.state.pending_action?.step === step);

test('on Temporal: start, inbox from visibility, upload, live events of another client, correct with a comment, complete', async () => {
  const me = (await app.inject({ url: '/api/me' })).json() as MeResponse;
  assert.equal(me.runtime.kind, 'temporal');
  assert.doesNotMatch(JSON.stringify(me), /127\.0\.0\.1:\d+/, 'no Temporal address reaches the browser');

  const input = monthEndInput();
  const started = await post('/api/runs', { runbook: 'month-end-close', input });
  assert.equal(started.statusCode, 201, started.body);
  const runId = (started.json() as StartResponse).run_id;
  const first = await waitingAt(runId, 'await_trial_balance');
  assert.equal(first.state.started_by, 'anonymous');
  assert.equal(first.can.signal, true);

  const inbox = await until('the run in the inbox', async () => (await app.inject({ url: `/api/inbox?q=${input.entity}` })).json() as InboxResponse, (i) => i.total === 1);
  assert.equal(inbox.groups[0]!.key, 'upload');
  assert.equal(inbox.groups[0]!.items[0]!.run_id, runId);
  assert.deepEqual(inbox.groups[0]!.items[0]!.identity, { entity: input.entity, period: input.period });

  const listed = await until('the run listed', async () => (await app.inject({ url: '/api/runs?runbook=month-end-close&limit=50' })).json() as RunsResponse, (r) => r.runs.some((run) => run.run_id === runId));
  assert.equal(listed.runs.find((run) => run.run_id === runId)!.title, 'Month-end close');

  // A second client watches while the first one uploads.
  const events: RunPageResponse[] = [];
  const stream = get(`${base}/api/runs/${encodeURIComponent(runId)}/events`, (response) => {
    let buffer = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(block);
        if (data) events.push(JSON.parse(data[1]!) as RunPageResponse);
      }
    });
  });
  try {
    await until('the first event', async () => events.length, (n) => n > 0);
    const signal = await post(`/api/runs/${encodeURIComponent(runId)}/signal`, { name: 'tb_submitted', payload: trialBalance(input.period) });
    assert.equal(signal.statusCode, 200, signal.body);
    await until('the review arrives live', async () => events.map((e) => e.state.pending_action?.step), (steps) => steps.includes('review_extraction'));
  } finally {
    stream.destroy();
  }

  const before = await page(runId);
  const noComment = await post(`/api/runs/${encodeURIComponent(runId)}/action`, { step: 'review_extraction', action: 'rejected' });
  assert.equal(noComment.statusCode, 422);
  assert.equal(noComment.json().code, 'COMMENT_REQUIRED');
  const wrongStep = await post(`/api/runs/${encodeURIComponent(runId)}/action`, { step: 'open_period', action: 'approved' });
  assert.equal(wrongStep.statusCode, 409, wrongStep.body);
  assert.equal(wrongStep.json().code, 'WRONG_STEP');
  const badCorrections = await post(`/api/runs/${encodeURIComponent(runId)}/action`, { step: 'review_extraction', action: 'corrected', corrections: { lines: [] } });
  assert.equal(badCorrections.statusCode, 422, badCorrections.body);
  assert.equal(badCorrections.json().code, 'CORRECTIONS_INVALID');
  assert.equal((await page(runId)).state.version, before.state.version, 'nothing changed');

  const corrections = { lines: [{ account: '1000', name: 'Bank', debit: 1000, credit: 0 }] };
  const acted = await post(`/api/runs/${encodeURIComponent(runId)}/action`, { step: 'review_extraction', action: 'corrected', corrections, comment: 'checked the bank line' });
  assert.equal(acted.statusCode, 200, acted.body);
  const done = await until('the run completes', () => page(runId), (p) => p.state.status !== 'running' && p.state.status !== 'waiting');
  assert.equal(done.state.status, 'completed', JSON.stringify(done.state.error));
  const taken = done.state.timeline?.find((entry) => entry.type === 'action.taken');
  assert.equal(taken?.actor, 'anonymous');
  assert.equal(taken?.comment, 'checked the bank line');
  assert.equal((done.state.output as { approved_by?: unknown } | null)?.approved_by, 'anonymous', 'the output names who decided');
  assert.equal(done.can.act, false);
  const ended = await post(`/api/runs/${encodeURIComponent(runId)}/cancel`);
  assert.equal(ended.statusCode, 409);
  assert.equal(ended.json().code, 'RUN_ENDED');
});

test('on Temporal: unknown run 404, unknown runbook 404, invalid input 422, cancel a waiting run', async () => {
  const missing = await app.inject({ url: '/api/runs/no-such-run-anywhere' });
  assert.equal(missing.statusCode, 404, missing.body);
  assert.equal(missing.json().code, 'RUN_NOT_FOUND');
  const unknown = await post('/api/runs', { runbook: 'no-such-runbook', input: {} });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().code, 'RUNBOOK_UNKNOWN');
  const invalid = await post('/api/runs', { runbook: 'month-end-close', input: { entity: 'Not A Slug' } });
  assert.equal(invalid.statusCode, 422, invalid.body);
  assert.equal(invalid.json().code, 'INPUT_INVALID');

  const started = await post('/api/runs', { runbook: 'month-end-close', input: monthEndInput() });
  const runId = (started.json() as StartResponse).run_id;
  await waitingAt(runId, 'await_trial_balance');
  const cancelled = await post(`/api/runs/${encodeURIComponent(runId)}/cancel`);
  assert.equal(cancelled.statusCode, 200, cancelled.body);
  const final = await until('cancelled', () => page(runId), (p) => p.state.status === 'cancelled');
  assert.equal(final.can.cancel, false);
});
