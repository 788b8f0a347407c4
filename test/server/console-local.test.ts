/**
 * The console API on the in-process backend, route by route, success and failure: start from an
 * input, the inbox, upload by signal and by reference, acting with corrections and comments, the
 * engine's rejections (and that nothing changes), roles, CSRF and live events.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InboxResponse, MeResponse, RunbooksResponse, RunPageResponse, RunsResponse, StartResponse, UploadResponse } from '../../interpreter/server/console-api.ts';
import { monthEndInput, startConsole, trialBalance, testAuth, type ConsoleFixture } from './console-fixture.ts';

let fx: ConsoleFixture;
before(async () => {
  fx = await startConsole();
});
after(async () => {
  await fx.close();
});

async function startMonthEnd(input = monthEndInput()): Promise<{ runId: string; input: ReturnType<typeof monthEndInput> }> {
  const response = await fx.post('/api/runs', { runbook: 'month-end-close', input });
  assert.equal(response.statusCode, 201, response.body);
  return { runId: (response.json() as StartResponse).run_id, input };
}

/** A month-end close waiting at its review (trial balance uploaded by signal). */
async function atReview(): Promise<{ runId: string; input: ReturnType<typeof monthEndInput> }> {
  const started = await startMonthEnd();
  await fx.waitingAt(started.runId, 'await_trial_balance');
  const signal = await fx.post(`/api/runs/${started.runId}/signal`, { name: 'tb_submitted', payload: trialBalance(started.input.period) });
  assert.equal(signal.statusCode, 200, signal.body);
  await fx.waitingAt(started.runId, 'review_extraction');
  return started;
}

describe('GET /api/me and /api/runbooks', () => {
  test('me: the anonymous person with every role, a CSRF token, the in-process runtime and its label', async () => {
    const me = (await fx.get('/api/me')).json() as MeResponse;
    assert.equal(me.user.id, 'anonymous');
    assert.deepEqual([...me.roles].sort(), ['editor', 'operator', 'viewer']);
    assert.equal(me.auth, 'none');
    assert.ok(me.csrf_token.length >= 16);
    assert.equal(me.runtime.kind, 'in-process');
    assert.match(me.runtime.label, /end when it stops/);
  });

  test('runbooks: each with its input schema, signals, identity and sample input', async () => {
    const { runbooks } = (await fx.get('/api/runbooks')).json() as RunbooksResponse;
    const monthEnd = runbooks.find((runbook) => runbook.slug === 'month-end-close');
    assert.ok(monthEnd, runbooks.map((r) => r.slug).join());
    assert.equal(monthEnd.title, 'Month-end close');
    assert.ok(monthEnd.input_schema && 'properties' in monthEnd.input_schema);
    assert.ok(monthEnd.signals.tb_submitted?.payload_schema);
    assert.deepEqual(monthEnd.identity, ['entity', 'period']);
    assert.equal((monthEnd.sample_input as { entity: string }).entity, 'acme-uk');
    assert.deepEqual(runbooks.map((r) => r.slug), [...runbooks.map((r) => r.slug)].sort());
  });
});

describe('POST /api/runs', () => {
  test('starts a run from its input; the signed-in person started it', async () => {
    const { runId } = await startMonthEnd();
    const state = await fx.until(runId, (s) => s.pending_action !== null);
    assert.equal(state.started_by, 'anonymous');
    assert.equal(state.runbook, 'month-end-close');
  });

  test('who started a run comes from the sign-in, never from the body', async () => {
    const response = await fx.post('/api/runs', { runbook: 'month-end-close', input: monthEndInput(), started_by: 'mallory' });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json().code, 'BAD_REQUEST');
  });

  test('an unknown runbook is 404 RUNBOOK_UNKNOWN; invalid input is 422 INPUT_INVALID; no run starts', async () => {
    const before = fx.runtime.list().length;
    const unknown = await fx.post('/api/runs', { runbook: 'no-such-runbook', input: {} });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().code, 'RUNBOOK_UNKNOWN');
    const invalid = await fx.post('/api/runs', { runbook: 'month-end-close', input: { entity: 'Not A Slug' } });
    assert.equal(invalid.statusCode, 422);
    assert.equal(invalid.json().code, 'INPUT_INVALID');
    assert.match(invalid.json().message, /month-end-close/);
    assert.equal(fx.runtime.list().length, before);
  });

  test('a body that is not JSON is 400 with a code, never a stack trace', async () => {
    const response = await fx.app.inject({ method: 'POST', url: '/api/runs', headers: { 'x-csrf-token': fx.csrf, 'content-type': 'application/json' }, payload: '{"runbook": ' });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 'BAD_REQUEST');
    assert.doesNotMatch(response.body, /at .*\.ts:\d+/);
  });
});

describe('GET /api/runs and /api/runs/:id', () => {
  test('lists runs newest first, filtered by runbook and status', async () => {
    const { runId } = await startMonthEnd();
    await fx.waitingAt(runId, 'await_trial_balance');
    const { runs } = (await fx.get('/api/runs?runbook=month-end-close&status=waiting&limit=5')).json() as RunsResponse;
    assert.equal(runs[0]?.run_id, runId);
    assert.ok(runs.length <= 5);
    assert.ok(runs.every((run) => run.runbook === 'month-end-close' && run.status === 'waiting'));
    assert.deepEqual(Object.keys(runs[0]!.identity).sort(), ['entity', 'period']);
    const none = (await fx.get('/api/runs?runbook=journal-proposal')).json() as RunsResponse;
    assert.ok(none.runs.every((run) => run.runbook === 'journal-proposal'));
  });

  test('a bad filter is 400', async () => {
    const response = await fx.get('/api/runs?status=sleeping');
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 'BAD_REQUEST');
  });

  test('a run page: state, definition, what the person may do; an unknown run is 404 RUN_NOT_FOUND', async () => {
    const { runId } = await startMonthEnd();
    await fx.waitingAt(runId, 'await_trial_balance');
    const page = (await fx.get(`/api/runs/${runId}`)).json() as RunPageResponse;
    assert.equal(page.state.run_id, runId);
    assert.equal(page.definition?.slug, 'month-end-close');
    assert.deepEqual(page.can, { act: false, signal: true, cancel: true, act_blocked_reason: null });
    assert.equal(page.corrections_schema, null);
    const missing = await fx.get('/api/runs/no-such-run');
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { code: 'RUN_NOT_FOUND', message: 'no run with id "no-such-run"' });
  });
});

describe('signals and uploads', () => {
  test('the upload arrives as the declared signal; the run moves on to the review', async () => {
    const { runId } = await atReview();
    const page = (await fx.get(`/api/runs/${runId}`)).json() as RunPageResponse;
    assert.equal(page.state.pending_action?.step, 'review_extraction');
    assert.equal(page.can.act, true);
    assert.ok(page.corrections_schema && 'properties' in page.corrections_schema);
  });

  test('an unknown signal is 409 SIGNAL_UNKNOWN, a bad payload 422 SIGNAL_PAYLOAD_INVALID; the run still waits', async () => {
    const { runId } = await startMonthEnd();
    await fx.waitingAt(runId, 'await_trial_balance');
    const before = (await fx.get(`/api/runs/${runId}`)).json() as RunPageResponse;
    const unknown = await fx.post(`/api/runs/${runId}/signal`, { name: 'no_such_signal', payload: {} });
    assert.equal(unknown.statusCode, 409, unknown.body);
    assert.equal(unknown.json().code, 'SIGNAL_UNKNOWN');
    const invalid = await fx.post(`/api/runs/${runId}/signal`, { name: 'tb_submitted', payload: { period: 'soon' } });
    assert.equal(invalid.statusCode, 422, invalid.body);
    assert.equal(invalid.json().code, 'SIGNAL_PAYLOAD_INVALID');
    const afterwards = (await fx.get(`/api/runs/${runId}`)).json() as RunPageResponse;
    assert.equal(afterwards.state.pending_action?.step, 'await_trial_balance');
    assert.equal(afterwards.state.version, before.state.version);
  });

  test('an upload is stored with the step\'s store_with handler; its id then goes by reference in the signal', async () => {
    const { runId, input } = await startMonthEnd();
    await fx.waitingAt(runId, 'await_trial_balance');
    const file = trialBalance(input.period);
    const upload = await fx.app.inject({
      method: 'POST',
      url: `/api/runs/${runId}/uploads?filename=${file.filename}`,
      headers: { 'x-csrf-token': fx.csrf, 'content-type': 'application/octet-stream' },
      payload: Buffer.from(file.content),
    });
    assert.equal(upload.statusCode, 200, upload.body);
    const { stored } = upload.json() as UploadResponse;
    assert.match(String(stored.document_id), /^upl-[0-9a-f]{16}$/);
    assert.equal(stored.filename, file.filename);
    const signal = await fx.post(`/api/runs/${runId}/signal`, { name: 'tb_submitted', payload: { period: input.period, filename: file.filename, document_id: stored.document_id } });
    assert.equal(signal.statusCode, 200, signal.body);
    await fx.waitingAt(runId, 'review_extraction');
  });

  test('an upload where no upload is awaited is 409 UPLOAD_NOT_EXPECTED; without a filename 400; not raw bytes 415', async () => {
    const { runId } = await atReview();
    const headers = { 'x-csrf-token': fx.csrf, 'content-type': 'application/octet-stream' };
    const notExpected = await fx.app.inject({ method: 'POST', url: `/api/runs/${runId}/uploads?filename=x.csv`, headers, payload: Buffer.from('a,b\n') });
    assert.equal(notExpected.statusCode, 409, notExpected.body);
    assert.equal(notExpected.json().code, 'UPLOAD_NOT_EXPECTED');
    const noName = await fx.app.inject({ method: 'POST', url: `/api/runs/${runId}/uploads`, headers, payload: Buffer.from('a,b\n') });
    assert.equal(noName.statusCode, 400);
    const json = await fx.post(`/api/runs/${runId}/uploads?filename=x.csv`, { content: 'a,b' });
    assert.equal(json.statusCode, 415, json.body);
  });
});

describe('POST /api/runs/:id/action', () => {
  test('a correction with a comment: the run completes with the approver, the comment in the timeline', async () => {
    const { runId } = await atReview();
    const corrections = { lines: [{ account: '1000', name: 'Bank', debit: 1000, credit: 0 }] };
    const response = await fx.post(`/api/runs/${runId}/action`, { step: 'review_extraction', action: 'corrected', corrections, comment: 'bank line checked', actor: 'mallory' });
    assert.equal(response.statusCode, 400, 'the actor is never taken from the body');
    const acted = await fx.post(`/api/runs/${runId}/action`, { step: 'review_extraction', action: 'corrected', corrections, comment: 'bank line checked' });
    assert.equal(acted.statusCode, 200, acted.body);
    assert.deepEqual(acted.json(), { ok: true });
    const done = await fx.until(runId, (state) => state.status === 'completed' || state.status === 'failed');
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    const taken = done.timeline?.find((entry) => entry.type === 'action.taken');
    assert.equal(taken?.actor, 'anonymous');
    assert.equal(taken?.comment, 'bank line checked');
    assert.equal(taken?.outcome, 'corrected');
  });

  test('a reject without a comment is 422 COMMENT_REQUIRED and nothing changes', async () => {
    const { runId } = await atReview();
    const before = (await fx.get(`/api/runs/${runId}`)).json() as RunPageResponse;
    for (const comment of [undefined, '   ']) {
      const response = await fx.post(`/api/runs/${runId}/action`, { step: 'review_extraction', action: 'rejected', ...(comment === undefined ? {} : { comment }) });
      assert.equal(response.statusCode, 422, response.body);
      assert.equal(response.json().code, 'COMMENT_REQUIRED');
    }
    const afterwards = (await fx.get(`/api/runs/${runId}`)).json() as RunPageResponse;
    assert.equal(afterwards.state.version, before.state.version);
    assert.equal(afterwards.state.pending_action?.step, 'review_extraction');
  });

  test('a reject with a comment goes back to the upload', async () => {
    const { runId } = await atReview();
    const response = await fx.post(`/api/runs/${runId}/action`, { step: 'review_extraction', action: 'rejected', comment: 'wrong file' });
    assert.equal(response.statusCode, 200, response.body);
    await fx.waitingAt(runId, 'await_trial_balance');
  });

  test('engine rejections: WRONG_STEP 409, CORRECTIONS_INVALID 422, NO_PENDING_ACTION 409; nothing changes', async () => {
    const { runId } = await atReview();
    const before = (await fx.get(`/api/runs/${runId}`)).json() as RunPageResponse;
    const wrongStep = await fx.post(`/api/runs/${runId}/action`, { step: 'await_trial_balance', action: 'approved' });
    assert.equal(wrongStep.statusCode, 409, wrongStep.body);
    assert.equal(wrongStep.json().code, 'WRONG_STEP');
    const badCorrections = await fx.post(`/api/runs/${runId}/action`, { step: 'review_extraction', action: 'corrected', corrections: { lines: [] } });
    assert.equal(badCorrections.statusCode, 422, badCorrections.body);
    assert.equal(badCorrections.json().code, 'CORRECTIONS_INVALID');
    const afterwards = (await fx.get(`/api/runs/${runId}`)).json() as RunPageResponse;
    assert.equal(afterwards.state.version, before.state.version);

    const waitingForUpload = await startMonthEnd();
    await fx.waitingAt(waitingForUpload.runId, 'await_trial_balance');
    const notAReview = await fx.post(`/api/runs/${waitingForUpload.runId}/action`, { step: 'await_trial_balance', action: 'approved' });
    assert.equal(notAReview.statusCode, 409, notAReview.body);
    assert.match(notAReview.json().code, /NOT_A_REVIEW|WRONG_STEP|NO_PENDING_ACTION/);
  });

  test('an unknown outcome is 400; an unknown run 404; an ended run 409 RUN_ENDED', async () => {
    const { runId } = await atReview();
    const outcome = await fx.post(`/api/runs/${runId}/action`, { step: 'review_extraction', action: 'maybe' });
    assert.equal(outcome.statusCode, 400);
    const missing = await fx.post('/api/runs/no-such-run/action', { step: 'review_extraction', action: 'approved' });
    assert.equal(missing.statusCode, 404);
    assert.equal((await fx.post(`/api/runs/${runId}/cancel`)).statusCode, 200);
    await fx.until(runId, (state) => state.status === 'cancelled');
    const ended = await fx.post(`/api/runs/${runId}/action`, { step: 'review_extraction', action: 'approved' });
    assert.equal(ended.statusCode, 409);
    assert.equal(ended.json().code, 'RUN_ENDED');
  });
});

describe('POST /api/runs/:id/cancel', () => {
  test('cancels a waiting run; cancelling it again is 409 RUN_ENDED; an unknown run 404', async () => {
    const { runId } = await startMonthEnd();
    await fx.waitingAt(runId, 'await_trial_balance');
    const cancelled = await fx.post(`/api/runs/${runId}/cancel`);
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    const page = (await fx.get(`/api/runs/${runId}`)).json() as RunPageResponse;
    assert.equal(page.state.status, 'cancelled');
    assert.deepEqual(page.can, { act: false, signal: false, cancel: false, act_blocked_reason: null });
    const again = await fx.post(`/api/runs/${runId}/cancel`);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'RUN_ENDED');
    assert.equal((await fx.post('/api/runs/no-such-run/cancel')).statusCode, 404);
  });
});

describe('GET /api/inbox', () => {
  test('waiting runs grouped by hint type, with identity and reason; filters by runbook, step, action and text', async () => {
    const upload = await startMonthEnd();
    await fx.waitingAt(upload.runId, 'await_trial_balance');
    const review = await atReview();
    const inbox = (await fx.get('/api/inbox')).json() as InboxResponse;
    const keys = inbox.groups.map((group) => group.key);
    assert.ok(keys.includes('upload') && keys.includes('review_extraction'), keys.join());
    const uploadItem = inbox.groups.find((group) => group.key === 'upload')!.items.find((item) => item.run_id === upload.runId);
    assert.ok(uploadItem);
    assert.deepEqual(uploadItem.identity, { entity: upload.input.entity, period: upload.input.period });
    assert.match(uploadItem.reason ?? '', /trial balance/);
    assert.ok(uploadItem.waiting_since);
    assert.ok(inbox.facets.runbooks.includes('month-end-close'));
    assert.ok(inbox.facets.steps.includes('await_trial_balance') && inbox.facets.steps.includes('review_extraction'));

    const byStep = (await fx.get('/api/inbox?step=review_extraction')).json() as InboxResponse;
    assert.deepEqual(byStep.groups.map((group) => group.key), ['review_extraction']);
    const byAction = (await fx.get('/api/inbox?action=awaiting_tb_upload')).json() as InboxResponse;
    assert.deepEqual(byAction.groups.map((group) => group.key), ['upload']);
    const byText = (await fx.get(`/api/inbox?q=${encodeURIComponent(review.input.entity)}`)).json() as InboxResponse;
    assert.equal(byText.total, 1);
    assert.equal(byText.groups[0]!.items[0]!.run_id, review.runId);
    const byRunbook = (await fx.get('/api/inbox?runbook=journal-proposal')).json() as InboxResponse;
    assert.ok(byRunbook.groups.every((group) => group.items.every((item) => item.runbook === 'journal-proposal')));
    assert.deepEqual(byRunbook.facets, inbox.facets, 'facets come from every waiting run, before filtering');
  });

  test('an unknown filter is 400', async () => {
    assert.equal((await fx.get('/api/inbox?colour=red')).statusCode, 400);
  });
});

describe('roles and CSRF', () => {
  test('a viewer reads but may not act (403 FORBIDDEN) and the page says so; nobody signed in is 401', async () => {
    const people = testAuth({ vera: ['viewer'], otto: ['viewer', 'operator'], nemo: [] });
    const other = await startConsole({ auth: people });
    try {
      const as = (user: string) => ({ 'x-test-user': user, 'x-csrf-token': 't0ken' });
      const started = await other.app.inject({ method: 'POST', url: '/api/runs', headers: as('otto'), payload: { runbook: 'month-end-close', input: monthEndInput() } });
      assert.equal(started.statusCode, 201, started.body);
      const runId = (started.json() as StartResponse).run_id;
      assert.equal((await other.until(runId, (s) => s.pending_action !== null)).started_by, 'otto');

      const forbidden = await other.app.inject({ method: 'POST', url: '/api/runs', headers: as('vera'), payload: { runbook: 'month-end-close', input: monthEndInput() } });
      assert.equal(forbidden.statusCode, 403);
      assert.equal(forbidden.json().code, 'FORBIDDEN');
      for (const url of [`/api/runs/${runId}/signal`, `/api/runs/${runId}/cancel`, `/api/runs/${runId}/action`, `/api/runs/${runId}/uploads?filename=a.csv`]) {
        const response = await other.app.inject({ method: 'POST', url, headers: as('vera'), payload: {} });
        assert.equal(response.statusCode, 403, url);
      }
      const page = (await other.app.inject({ url: `/api/runs/${runId}`, headers: as('vera') })).json() as RunPageResponse;
      assert.equal(page.can.signal, false);
      assert.equal(page.can.cancel, false);
      assert.equal((await other.app.inject({ url: '/api/inbox', headers: as('nemo') })).statusCode, 403);
      const nobody = await other.app.inject({ url: '/api/inbox' });
      assert.equal(nobody.statusCode, 401);
      assert.equal(nobody.json().code, 'UNAUTHENTICATED');
      const me = (await other.app.inject({ url: '/api/me', headers: as('nemo') })).json() as MeResponse;
      assert.deepEqual(me.roles, []);
    } finally {
      await other.close();
    }
  });

  test('a POST without the CSRF token, or with a wrong one, is 403 CSRF and starts nothing', async () => {
    const before = fx.runtime.list().length;
    const missing = await fx.app.inject({ method: 'POST', url: '/api/runs', payload: { runbook: 'month-end-close', input: monthEndInput() } });
    assert.equal(missing.statusCode, 403);
    assert.equal(missing.json().code, 'CSRF');
    const wrong = await fx.post('/api/runs', { runbook: 'month-end-close', input: monthEndInput() }, { 'x-csrf-token': 'guess' });
    assert.equal(wrong.statusCode, 403);
    assert.equal(fx.runtime.list().length, before);
  });
});

describe('the app and unknown paths', () => {
  test('an unknown API path is a JSON 404; app paths say the app is not built', async () => {
    const api = await fx.get('/api/nothing-here');
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().code, 'NOT_FOUND');
    const page = await fx.get('/runs/some-run');
    assert.equal(page.statusCode, 503);
    assert.match(page.body, /not built/);
  });
});
