/**
 * The committed-document routes of the console API, on the in-process backend and on Temporal: what
 * a run committed (the month-end close's closing trial balance), every version of one key (the same
 * period closed twice) with what changed, and the failures: an unknown run or document, a bad key,
 * a run without commits (an empty list), no store, a store that cannot be opened.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { openSqliteDocumentStore, type DocumentStore } from '../../interpreter/index.ts';
import { createInterpreterWorker, TemporalRunClient } from '../../interpreter/temporal/index.ts';
import type { MeResponse, RunPageResponse, StartResponse } from '../../interpreter/server/console-api.ts';
import { localOnlyAuth } from '../../interpreter/server/console-auth-port.ts';
import { createConsoleServer } from '../../interpreter/server/console-server.ts';
import type { DocumentVersionsResponse, RunDocumentsResponse } from '../../interpreter/server/document-api.ts';
import { LocalBackend } from '../../interpreter/server/local-backend.ts';
import { loadProjectRunbooks } from '../../interpreter/server/project-runbooks.ts';
import { TemporalBackend } from '../../interpreter/server/temporal-backend.ts';
import { LocalRuntime } from '../../interpreter/index.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';
import { ROOT } from '../support/run-cli.ts';
import { exampleHandlers, monthEndInput, startConsole, TB_CONTENT, testAuth, type ConsoleFixture } from './console-fixture.ts';

/** A console client: GET and POST (with the CSRF token) by `app.inject`. */
interface Client_ {
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: object): Promise<LightMyRequestResponse>;
}

function clientOf(app: FastifyInstance, csrf: string): Client_ {
  return {
    get: (url) => app.inject({ method: 'GET', url }),
    post: (url, body) => app.inject({ method: 'POST', url, headers: { 'x-csrf-token': csrf }, ...(body ? { payload: body } : {}) }),
  };
}

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    assert.ok(Date.now() < deadline, `${what}: ${JSON.stringify(value).slice(0, 1500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const page = async (client: Client_, runId: string): Promise<RunPageResponse> => (await client.get(`/api/runs/${encodeURIComponent(runId)}`)).json() as RunPageResponse;
const waitingAt = (client: Client_, runId: string, step: string) => until(`waiting at ${step}`, () => page(client, runId), (p) => p.state.pending_action?.step === step);

/** A trial balance whose two lines are `amount` each. */
const tbOf = (period: string, amount: number) => ({ period, filename: `tb-${period}.csv`, content: TB_CONTENT.replace('PERIOD', period).replaceAll('1000.00', amount.toFixed(2)) });

/** One month-end close through the API, approved; the period stays open so it can be closed again. Returns the run id. */
async function closeOnce(client: Client_, input: { entity: string; period: string }, amount: number): Promise<string> {
  const started = await client.post('/api/runs', { runbook: 'month-end-close', input: { ...input, expected_documents: [], keep_period_open: true } });
  assert.equal(started.statusCode, 201, started.body);
  const runId = (started.json() as StartResponse).run_id;
  await waitingAt(client, runId, 'await_trial_balance');
  const signal = await client.post(`/api/runs/${encodeURIComponent(runId)}/signal`, { name: 'tb_submitted', payload: tbOf(input.period, amount) });
  assert.equal(signal.statusCode, 200, signal.body);
  await waitingAt(client, runId, 'review_extraction');
  const approved = await client.post(`/api/runs/${encodeURIComponent(runId)}/action`, { step: 'review_extraction', action: 'approved' });
  assert.equal(approved.statusCode, 200, approved.body);
  const done = await until('completed', () => page(client, runId), (p) => ['completed', 'failed'].includes(p.state.status));
  assert.equal(done.state.status, 'completed', JSON.stringify(done.state.error));
  return runId;
}

const versionsUrl = (key: Readonly<Record<string, string>>, name = 'closing_trial_balance'): string =>
  `/api/documents/${name}/versions?${new URLSearchParams(Object.entries(key).map(([field, value]): [string, string] => [`key.${field}`, value])).toString()}`;

/** The same period closed twice: the run pages and the versions route. Shared by both backends. */
async function assertTwoVersions(client: Client_, input: { entity: string; period: string }): Promise<void> {
  const first = await closeOnce(client, input, 1000);
  const listed = await client.get(`/api/runs/${encodeURIComponent(first)}/documents`);
  assert.equal(listed.statusCode, 200, listed.body);
  const { run_id, documents } = listed.json() as RunDocumentsResponse;
  assert.equal(run_id, first);
  assert.equal(documents.length, 1);
  const committed = documents[0]!;
  assert.equal(committed.document, 'closing_trial_balance');
  assert.deepEqual(committed.key, { entity: input.entity, period: input.period });
  assert.equal(committed.version, 1);
  assert.equal(committed.versions, 1);
  assert.equal(committed.step, 'commit_closing_balance');
  assert.equal(committed.runbook, 'month-end-close');
  assert.equal(committed.actor, 'anonymous', 'the reviewer who approved before the commit');
  assert.match(committed.definition_hash, /^[0-9a-f]{16,}$/);
  assert.ok(!Number.isNaN(Date.parse(committed.committed_at)));
  assert.deepEqual((committed.value as { totals: unknown }).totals, { debit: 1000, credit: 1000, balanced: true });

  const second = await closeOnce(client, input, 1500);
  const again = (await client.get(`/api/runs/${encodeURIComponent(first)}/documents`)).json() as RunDocumentsResponse;
  assert.equal(again.documents[0]!.versions, 2, 'the first run says a later version exists');
  const secondListed = (await client.get(`/api/runs/${encodeURIComponent(second)}/documents`)).json() as RunDocumentsResponse;
  assert.deepEqual(secondListed.documents.map((document) => [document.version, document.versions]), [[2, 2]]);

  const response = await client.get(versionsUrl({ period: input.period, entity: input.entity }));
  assert.equal(response.statusCode, 200, response.body);
  const history = response.json() as DocumentVersionsResponse;
  assert.equal(history.document, 'closing_trial_balance');
  assert.deepEqual(history.key, { entity: input.entity, period: input.period });
  assert.deepEqual(history.versions.map((version) => [version.version, version.run_id]), [[1, first], [2, second]], 'oldest first, each with its run');
  assert.equal(history.versions[0]!.changes, null);
  const changed = history.versions[1]!.changes!.map((change) => change.path);
  assert.ok(changed.includes('totals.debit') && changed.includes('totals.credit') && changed.includes('ledger_commit'), changed.join());
  assert.deepEqual(history.versions[1]!.changes!.find((change) => change.path === 'totals.debit'), { path: 'totals.debit', change: 'changed', before: 1000, after: 1500 });
  assert.equal(history.versions[1]!.changes_truncated, false);
}

describe('document routes on the in-process backend', () => {
  let store: DocumentStore;
  let fx: ConsoleFixture;
  before(async () => {
    store = await openSqliteDocumentStore(':memory:');
    fx = await startConsole({ documents: store });
  });
  after(async () => {
    await fx.close();
    await store.close();
  });

  test('a run lists what it committed; closing a period again makes version 2, listed oldest first with its changes', async () => {
    const { entity, period } = monthEndInput();
    await assertTwoVersions(fx, { entity, period });
  });

  test('a run that committed nothing lists no documents; an unknown run is 404 RUN_NOT_FOUND', async () => {
    const started = await fx.post('/api/runs', { runbook: 'month-end-close', input: monthEndInput() });
    const runId = (started.json() as StartResponse).run_id;
    await fx.waitingAt(runId, 'await_trial_balance');
    const listed = await fx.get(`/api/runs/${runId}/documents`);
    assert.equal(listed.statusCode, 200, listed.body);
    assert.deepEqual((listed.json() as RunDocumentsResponse).documents, []);
    const unknown = await fx.get('/api/runs/no-such-run/documents');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().code, 'RUN_NOT_FOUND');
  });

  test('an unknown document is 404 DOCUMENT_UNKNOWN; a malformed name 400 DOCUMENT_NAME_INVALID', async () => {
    const unknown = await fx.get(versionsUrl({ entity: 'acme', period: '2025-01' }, 'no_such_document'));
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.equal(unknown.json().code, 'DOCUMENT_UNKNOWN');
    const malformed = await fx.get(versionsUrl({ entity: 'acme' }, 'Not-A-Name'));
    assert.equal(malformed.statusCode, 400, malformed.body);
    assert.equal(malformed.json().code, 'DOCUMENT_NAME_INVALID');
  });

  test('a bad key is 400 DOCUMENT_KEY_INVALID (none, another parameter, a repeated field, fields the document is not keyed by); a key never committed is 404', async () => {
    const input = monthEndInput();
    await closeOnce(fx, input, 1000);
    const cases: Array<[string, number, string]> = [
      ['/api/documents/closing_trial_balance/versions', 400, 'DOCUMENT_KEY_INVALID'],
      [`/api/documents/closing_trial_balance/versions?entity=${input.entity}`, 400, 'DOCUMENT_KEY_INVALID'],
      [`/api/documents/closing_trial_balance/versions?key.entity=${input.entity}&key.entity=x&key.period=${input.period}`, 400, 'DOCUMENT_KEY_INVALID'],
      ['/api/documents/closing_trial_balance/versions?key.Entity=x', 400, 'DOCUMENT_KEY_INVALID'],
      [versionsUrl({ entity: input.entity }), 400, 'DOCUMENT_KEY_INVALID'],
      [versionsUrl({ entity: input.entity, period: '1999-01' }), 404, 'DOCUMENT_KEY_NOT_FOUND'],
    ];
    for (const [url, status, code] of cases) {
      const response = await fx.get(url);
      assert.equal(response.statusCode, status, `${url}: ${response.body}`);
      const body = response.json() as { code: string; message: string; stack?: unknown };
      assert.equal(body.code, code, url);
      assert.equal(body.stack, undefined);
    }
    const wrongFields = (await fx.get(versionsUrl({ entity: input.entity }))).json() as { message: string };
    assert.match(wrongFields.message, /keyed by entity, period/);
  });

  test('a viewer may read documents; nobody signed in may not', async () => {
    const viewerConsole = await startConsole({ auth: testAuth({ victor: ['viewer'] }), documents: store });
    try {
      const { entity, period } = monthEndInput();
      const input = { entity, period };
      await closeOnce(fx, input, 1000);
      const read = await viewerConsole.app.inject({ url: versionsUrl(input), headers: { 'x-test-user': 'victor' } });
      assert.equal(read.statusCode, 200, read.body);
      assert.equal((read.json() as DocumentVersionsResponse).versions.length, 1);
      const anonymous = await viewerConsole.app.inject({ url: versionsUrl(input) });
      assert.equal(anonymous.statusCode, 401);
    } finally {
      await viewerConsole.close();
    }
  });
});

describe('document routes without a usable store', () => {
  test('a console without a document store answers 503 DOCUMENTS_UNAVAILABLE', async () => {
    const fx = await startConsole();
    try {
      const response = await fx.get(versionsUrl({ entity: 'acme', period: '2025-01' }));
      assert.equal(response.statusCode, 503);
      assert.equal(response.json().code, 'DOCUMENTS_UNAVAILABLE');
    } finally {
      await fx.close();
    }
  });

  test('a store that cannot be opened is 503 DOCUMENT_STORE_FAILED, its cause kept from the browser; a later request tries again', async () => {
    const handlers = await exampleHandlers();
    const project = await loadProjectRunbooks(join(ROOT, 'runbooks'), handlers);
    const backend = new LocalBackend({ runtime: new LocalRuntime({ definitions: project.definitions, handlers }), catalog: project.catalog });
    let attempts = 0;
    const documents = async (): Promise<DocumentStore> => {
      attempts += 1;
      throw new Error('connect ECONNREFUSED 10.1.2.3:5432');
    };
    const app = await createConsoleServer({ backend, auth: localOnlyAuth(), appDir: null, documents });
    const stderr = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      for (let i = 0; i < 2; i += 1) {
        const response = await app.inject({ url: versionsUrl({ entity: 'acme', period: '2025-01' }) });
        assert.equal(response.statusCode, 503);
        assert.equal(response.json().code, 'DOCUMENT_STORE_FAILED');
        assert.doesNotMatch(response.body, /10\.1\.2\.3/);
      }
      assert.equal(attempts, 2);
    } finally {
      process.stderr.write = stderr;
      await app.close();
    }
  });
});

describe('document routes on the Temporal backend', () => {
  let store: DocumentStore;
  let app: FastifyInstance;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client_;

  before(async () => {
    const temporal = await getTestTemporal();
    const handlers = await exampleHandlers();
    const project = await loadProjectRunbooks(join(ROOT, 'runbooks'), handlers);
    const taskQueue = temporal.taskQueue('console-documents');
    // The worker commits into the store the console reads (in production: the config's documents.url).
    store = await openSqliteDocumentStore(':memory:');
    worker = await createInterpreterWorker({ connection: await temporal.nativeConnection(), namespace: temporal.namespace, taskQueue, handlers, definitions: project.definitions, documents: store });
    running = worker.run();
    const temporalClient = new Client({ connection: await temporal.connection(), namespace: temporal.namespace });
    const backend = new TemporalBackend({ client: new TemporalRunClient(temporalClient, taskQueue), catalog: project.catalog, handlers, namespace: temporal.namespace, pollMs: { first: 50, max: 300 } });
    app = await createConsoleServer({ backend, auth: localOnlyAuth(), appDir: null, documents: store });
    const csrf = ((await app.inject({ url: '/api/me' })).json() as MeResponse).csrf_token;
    client = clientOf(app, csrf);
  });

  after(async () => {
    await app?.close();
    worker?.shutdown();
    await running;
    await store?.close();
    await closeTestTemporal();
  });

  test('on Temporal: a run lists what it committed; the same period closed again is version 2 with its changes', async () => {
    const { entity, period } = monthEndInput();
    await assertTwoVersions(client, { entity, period });
  });

  test('on Temporal: a run that committed nothing lists no documents; an unknown run is 404 RUN_NOT_FOUND', async () => {
    const started = await client.post('/api/runs', { runbook: 'month-end-close', input: monthEndInput() });
    const runId = (started.json() as StartResponse).run_id;
    await waitingAt(client, runId, 'await_trial_balance');
    const listed = await client.get(`/api/runs/${encodeURIComponent(runId)}/documents`);
    assert.equal(listed.statusCode, 200, listed.body);
    assert.deepEqual((listed.json() as RunDocumentsResponse).documents, []);
    await client.post(`/api/runs/${encodeURIComponent(runId)}/cancel`);
    const unknown = await client.get('/api/runs/no-such-run/documents');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().code, 'RUN_NOT_FOUND');
  });
});
