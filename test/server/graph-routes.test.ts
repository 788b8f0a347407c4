/** The diagram routes on the in-process backend: a runbook's graph, a run's graph with its statuses, 404s, and the viewer role. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runbookGraph, toMermaid } from '../../interpreter/graph/index.ts';
import type { StartResponse } from '../../interpreter/server/console-api.ts';
import type { GraphResponse } from '../../interpreter/server/graph-api.ts';
import { exampleRunbook } from '../graph/graph-fixtures.ts';
import { monthEndInput, startConsole, testAuth, type ConsoleFixture } from './console-fixture.ts';

let fx: ConsoleFixture;
before(async () => {
  fx = await startConsole();
});
after(async () => {
  await fx.close();
});

describe('GET /api/runbooks/:slug/graph', () => {
  test('the runbook\'s graph and its Mermaid text, as `runbook graph` prints it; no statuses', async () => {
    const response = await fx.get('/api/runbooks/month-end-close/graph');
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json() as GraphResponse;
    const expected = runbookGraph(exampleRunbook('month-end-close'));
    assert.deepEqual(body.graph, JSON.parse(JSON.stringify(expected)));
    assert.equal(body.mermaid, toMermaid(expected));
    assert.equal(body.statuses, undefined);
  });

  test('an unknown slug is 404 RUNBOOK_UNKNOWN with a did-you-mean', async () => {
    const response = await fx.get('/api/runbooks/journal-proposl/graph');
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json(), { code: 'RUNBOOK_UNKNOWN', message: 'no runbook "journal-proposl" in this console (did you mean "journal-proposal"?)' });
  });
});

describe('GET /api/runs/:id/graph', () => {
  test('the pinned definition\'s graph with the run\'s step statuses, the Mermaid styled by them', async () => {
    const started = await fx.post('/api/runs', { runbook: 'month-end-close', input: monthEndInput() });
    assert.equal(started.statusCode, 201, started.body);
    const runId = (started.json() as StartResponse).run_id;
    await fx.waitingAt(runId, 'await_trial_balance');
    const response = await fx.get(`/api/runs/${encodeURIComponent(runId)}/graph`);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json() as GraphResponse;
    assert.equal(body.graph.slug, 'month-end-close');
    assert.deepEqual(body.statuses, {
      open_period: 'completed', await_trial_balance: 'waiting', ingest_documents: 'pending', previous_close: 'pending', review_extraction: 'pending', commit_trial_balance: 'pending', commit_closing_balance: 'pending', close_period: 'pending',
    });
    assert.match(body.mermaid, /^  class s_open_period completed$/m);
    assert.match(body.mermaid, /^  class s_await_trial_balance waiting$/m);
    await fx.post(`/api/runs/${encodeURIComponent(runId)}/cancel`);
  });

  test('an unknown run is 404 RUN_NOT_FOUND', async () => {
    const response = await fx.get('/api/runs/no-such-run/graph');
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().code, 'RUN_NOT_FOUND');
  });
});

describe('who may see a diagram', () => {
  test('a viewer may; nobody signed in gets 401', async () => {
    const guarded = await startConsole({ auth: testAuth({ vera: ['viewer'] }) });
    try {
      const seen = await guarded.app.inject({ url: '/api/runbooks/journal-proposal/graph', headers: { 'x-test-user': 'vera' } });
      assert.equal(seen.statusCode, 200, seen.body);
      assert.equal((seen.json() as GraphResponse).graph.title, 'Journal proposal');
      const anonymous = await guarded.app.inject({ url: '/api/runbooks/journal-proposal/graph' });
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.json().code, 'UNAUTHENTICATED');
    } finally {
      await guarded.close();
    }
  });
});
