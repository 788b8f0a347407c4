/**
 * The editor's routes over a copy of the example runbooks: opening (an invalid file too), applying
 * operations, validation as `runbook validate` does it, and the safe save (refused with errors,
 * refused with the file's text when it changed meanwhile, atomic, recorded with who saved it), with
 * the console's own hot-loading definitions serving the saved file while a run in flight keeps its own.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { LocalRuntime } from '../../../interpreter/index.ts';
import { DefinitionStore } from '../../../interpreter/definitions/definition-store.ts';
import type { EditorApplyResponse, EditorDocument, EditorFilesResponse, EditorAnalysis, EditorSaveResponse, FileChangedDetails } from '../../../interpreter/server/console-api.ts';
import { createConsoleServer } from '../../../interpreter/server/console-server.ts';
import { localOnlyAuth } from '../../../interpreter/server/console-auth-port.ts';
import { LocalBackend } from '../../../interpreter/server/local-backend.ts';
import { storeCatalog } from '../../../interpreter/cli/console-support.ts';
import { ROOT } from '../../support/run-cli.ts';
import { exampleHandlers, monthEndInput, startConsole, testAuth } from '../console-fixture.ts';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('console editor routes', () => {
  let dir: string;
  let stateDir: string;
  let store: DefinitionStore;
  let runtime: LocalRuntime;
  let app: FastifyInstance;
  let csrf: string;
  const file = (): string => join(dir, 'month-end-close.yaml');
  const get = async <T>(url: string): Promise<{ status: number; body: T }> => {
    const response = await app.inject({ url });
    return { status: response.statusCode, body: response.json() as T };
  };
  const post = async <T>(url: string, payload: object): Promise<{ status: number; body: T }> => {
    const response = await app.inject({ method: 'POST', url, headers: { 'x-csrf-token': csrf }, payload });
    return { status: response.statusCode, body: response.json() as T };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'editor-routes-'));
    stateDir = mkdtempSync(join(tmpdir(), 'editor-state-'));
    cpSync(join(ROOT, 'runbooks'), dir, { recursive: true });
    const handlers = await exampleHandlers();
    store = await DefinitionStore.open({ dir, handlers, settleMs: 20 });
    runtime = new LocalRuntime({ definitions: store, handlers });
    const backend = new LocalBackend({ runtime, catalog: storeCatalog(store, dir), handlers });
    app = await createConsoleServer({
      backend,
      auth: localOnlyAuth(),
      appDir: null,
      editor: { runbooksDir: dir, handlers, stateDir, servedHash: async (slug) => store.resolve(slug)?.hash ?? null, afterSave: () => store.rescan() },
    });
    csrf = ((await app.inject({ url: '/api/me' })).json() as { csrf_token: string }).csrf_token;
  });
  after(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('lists the runbook files with their slug, title and validity', async () => {
    const { status, body } = await get<EditorFilesResponse>('/api/editor/runbooks');
    assert.equal(status, 200);
    const close = body.files.find((entry) => entry.slug === 'month-end-close');
    assert.deepEqual(close, { slug: 'month-end-close', path: 'month-end-close.yaml', title: 'Month-end close', valid: true });
    assert.equal(body.files.length, 4);
  });

  it('opens a file as on disk with its hash, its steps and how data flows through them', async () => {
    const { status, body } = await get<EditorDocument>('/api/editor/runbooks/month-end-close');
    assert.equal(status, 200);
    const text = readFileSync(file(), 'utf8');
    assert.equal(body.text, text);
    assert.equal(body.hash, sha(text));
    assert.equal(body.served_hash, body.hash);
    assert.equal(body.analysis.valid, true);
    assert.deepEqual(body.analysis.steps?.map((step) => step.id), ['open_period', 'await_trial_balance', 'ingest_documents', 'previous_close', 'review_extraction', 'commit_trial_balance', 'commit_closing_balance', 'close_period']);
    const commit = body.analysis.steps?.find((step) => step.id === 'commit_trial_balance');
    assert.ok(commit?.reads.includes('review_extraction'));
    assert.ok(body.templates.some((template) => template.kind === 'review'));
  });

  it('applies a move and validates the result; an unsafe move comes back with the reorder-safety error on the step', async () => {
    const { body: document } = await get<EditorDocument>('/api/editor/runbooks/month-end-close');
    const safe = await post<EditorApplyResponse>('/api/editor/runbooks/month-end-close/apply', { text: document.text, operation: { op: 'move', step: 'open_period', to: { after: 'await_trial_balance' } } });
    assert.equal(safe.status, 200);
    assert.equal(safe.body.analysis.valid, true);
    assert.deepEqual(safe.body.analysis.steps?.slice(0, 2).map((step) => step.id), ['await_trial_balance', 'open_period']);
    assert.ok(safe.body.text.includes('# What identifies a run to people'), 'comments kept');

    const unsafe = await post<EditorApplyResponse>('/api/editor/runbooks/month-end-close/apply', { text: document.text, operation: { op: 'move', step: 'commit_trial_balance', to: { before: 'review_extraction' } } });
    assert.equal(unsafe.status, 200);
    assert.equal(unsafe.body.analysis.valid, false);
    const order = unsafe.body.analysis.diagnostics.find((diagnostic) => diagnostic.code === 'RB_STEP_ORDER');
    assert.ok(order, JSON.stringify(unsafe.body.analysis.diagnostics));
    assert.equal(order.step, 'commit_trial_balance');
    assert.match(order.message, /review_extraction/);
    assert.ok(order.line > 0);
  });

  it('refuses an operation that cannot apply, with its code, and a malformed one as a bad request', async () => {
    const { body: document } = await get<EditorDocument>('/api/editor/runbooks/month-end-close');
    const unknown = await post<{ code: string; message: string }>('/api/editor/runbooks/month-end-close/apply', { text: document.text, operation: { op: 'delete', step: 'review_extractoin' } });
    assert.equal(unknown.status, 409);
    assert.equal(unknown.body.code, 'EDIT_STEP_NOT_FOUND');
    assert.match(unknown.body.message, /review_extraction/, 'did you mean');
    const malformed = await post<{ code: string }>('/api/editor/runbooks/month-end-close/apply', { text: document.text, operation: { op: 'explode' } });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.code, 'BAD_REQUEST');
  });

  it('validates handler contracts and child slugs as CI does', async () => {
    const { body: document } = await get<EditorDocument>('/api/editor/runbooks/month-end-close');
    const text = document.text.replace('handler: ledger.close_period', 'handler: ledger.close_perido').replace('runbook: document-ingest', 'runbook: document-ingst');
    const { status, body } = await post<EditorAnalysis>('/api/editor/runbooks/month-end-close/analyze', { text });
    assert.equal(status, 200);
    const codes = body.diagnostics.map((diagnostic) => diagnostic.code);
    assert.ok(codes.includes('RB_UNKNOWN_HANDLER'), codes.join());
    assert.ok(body.diagnostics.some((diagnostic) => /document-ingst/.test(diagnostic.message)), JSON.stringify(body.diagnostics));
    assert.equal(body.diagnostics.find((diagnostic) => diagnostic.code === 'RB_UNKNOWN_HANDLER')?.step, 'close_period');
  });

  it('opens an invalid file: its text and diagnostics, the steps as far as they go', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'slug: broken\ntitle: Broken\nsteps:\n  - id: first\n    title: First\n    timer: { duration: 1s }\n    whne: true\n');
    writeFileSync(join(dir, 'unparsable.yaml'), 'slug: unparsable\nsteps: [\n');
    const broken = await get<EditorDocument>('/api/editor/runbooks/broken');
    assert.equal(broken.status, 200);
    assert.equal(broken.body.analysis.valid, false);
    assert.ok(broken.body.analysis.diagnostics.some((diagnostic) => diagnostic.code === 'RB_UNKNOWN_KEY' && diagnostic.step === 'first'));
    assert.deepEqual(broken.body.analysis.steps?.map((step) => step.id), ['first']);
    const unparsable = await get<EditorDocument>('/api/editor/runbooks/unparsable');
    assert.equal(unparsable.status, 200);
    assert.equal(unparsable.body.text, 'slug: unparsable\nsteps: [\n');
    assert.ok(unparsable.body.analysis.diagnostics.some((diagnostic) => diagnostic.code === 'RB_YAML_SYNTAX'));
    const missing = await get<{ code: string }>('/api/editor/runbooks/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'RUNBOOK_UNKNOWN');
  });

  it('refuses to save a text with errors; the file stays as it was', async () => {
    const { body: document } = await get<EditorDocument>('/api/editor/runbooks/month-end-close');
    const moved = await post<EditorApplyResponse>('/api/editor/runbooks/month-end-close/apply', { text: document.text, operation: { op: 'move', step: 'commit_trial_balance', to: { before: 'review_extraction' } } });
    const refused = await post<{ code: string; diagnostics: unknown[] }>('/api/editor/runbooks/month-end-close/save', { text: moved.body.text, base_hash: document.hash });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'RUNBOOK_INVALID');
    assert.ok(refused.body.diagnostics.length > 0);
    assert.equal(readFileSync(file(), 'utf8'), document.text);
  });

  it('saves atomically, records who saved, and the console serves the new definition while a run in flight keeps its own', async () => {
    const { body: document } = await get<EditorDocument>('/api/editor/runbooks/month-end-close');
    const before = runtime.start('month-end-close', monthEndInput());
    await before.waitForPendingAction();
    const moved = await post<EditorApplyResponse>('/api/editor/runbooks/month-end-close/apply', { text: document.text, operation: { op: 'move', step: 'open_period', to: { after: 'await_trial_balance' } } });
    const saved = await post<EditorSaveResponse>('/api/editor/runbooks/month-end-close/save', { text: moved.body.text, base_hash: document.hash });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(saved.body.saved_by, 'anonymous');
    assert.equal(saved.body.hash, sha(moved.body.text));
    assert.equal(readFileSync(file(), 'utf8'), moved.body.text);
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), [], 'no temporary file left');
    const log = readFileSync(join(stateDir, 'editor-saves.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { by: string; hash: string; base_hash: string });
    assert.deepEqual(log.at(-1), { ...log.at(-1), by: 'anonymous', hash: saved.body.hash, base_hash: document.hash });

    const served = await get<{ served_hash: string }>('/api/editor/runbooks/month-end-close/served');
    assert.equal(served.body.served_hash, saved.body.hash);
    const reopened = await get<EditorDocument>('/api/editor/runbooks/month-end-close');
    assert.deepEqual(reopened.body.last_saved, { by: 'anonymous', at: saved.body.saved_at, hash: saved.body.hash });

    const after = runtime.start('month-end-close', monthEndInput());
    const afterState = await after.currentUiState();
    assert.deepEqual(afterState.steps.slice(0, 2).map((step) => step.id), ['await_trial_balance', 'open_period']);
    const beforeState = await before.currentUiState();
    assert.deepEqual(beforeState.steps.slice(0, 2).map((step) => step.id), ['open_period', 'await_trial_balance'], 'the run in flight keeps its definition');
    await before.cancel();
    await after.cancel();
  });

  it('refuses a save that renames the slug (runs, children and schedules name it)', async () => {
    const { body: document } = await get<EditorDocument>('/api/editor/runbooks/month-end-close');
    const renamed = document.text.replace('slug: month-end-close', 'slug: month-end-close-v2');
    const refused = await post<{ code: string; message: string }>('/api/editor/runbooks/month-end-close/save', { text: renamed, base_hash: document.hash });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'EDIT_SLUG_CHANGED');
    assert.equal(readFileSync(file(), 'utf8'), document.text);
  });

  it('refuses a save against a file changed on disk meanwhile, with the file as it is now', async () => {
    const { body: document } = await get<EditorDocument>('/api/editor/runbooks/month-end-close');
    const changed = `${document.text}# edited by someone else\n`;
    writeFileSync(file(), changed);
    const edited = await post<EditorApplyResponse>('/api/editor/runbooks/month-end-close/apply', { text: document.text, operation: { op: 'set', step: 'close_period', path: ['title'], value: 'Close the period' } });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    const refused = await post<{ code: string } & FileChangedDetails>('/api/editor/runbooks/month-end-close/save', { text: edited.body.text, base_hash: document.hash });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'FILE_CHANGED');
    assert.equal(refused.body.current_text, changed);
    assert.equal(refused.body.current_hash, sha(changed));
    assert.equal(readFileSync(file(), 'utf8'), changed, 'never last-write-wins');
  });

  it('a percent-encoded path is checked as the route it reaches: no role or sign-in bypass', async () => {
    const people = { olga: ['viewer', 'operator'] as const, eddie: ['viewer', 'editor'] as const };
    const guarded = await createConsoleServer({
      backend: new LocalBackend({ runtime, catalog: storeCatalog(store, dir), handlers: await exampleHandlers() }),
      auth: testAuth({ olga: [...people.olga], eddie: [...people.eddie] }),
      appDir: null,
      editor: { runbooksDir: dir, handlers: await exampleHandlers(), stateDir, servedHash: async () => null },
    });
    try {
      const before = readFileSync(file(), 'utf8');
      for (const url of ['/api/%65ditor/runbooks/month-end-close', '/api/editor/runbooks/month%2Dend-close', '/%61pi/editor/runbooks/month-end-close']) {
        const asOperator = await guarded.inject({ url, headers: { 'x-test-user': 'olga' } });
        assert.equal(asOperator.statusCode, 403, `${url} as an operator: ${asOperator.body.slice(0, 80)}`);
        const anonymous = await guarded.inject({ url });
        assert.equal(anonymous.statusCode, 401, `${url} signed out: ${anonymous.body.slice(0, 80)}`);
      }
      const save = await guarded.inject({ method: 'POST', url: '/api/%65ditor/runbooks/month-end-close/save', headers: { 'x-test-user': 'olga', 'x-csrf-token': 't0ken' }, payload: { text: 'slug: x\n', base_hash: 'a'.repeat(64) } });
      assert.equal(save.statusCode, 403);
      const cancel = await guarded.inject({ method: 'POST', url: '/%61pi/runs/nope/cancel' });
      assert.equal(cancel.statusCode, 401, 'no sign-in, no CSRF bypass either');
      assert.equal(readFileSync(file(), 'utf8'), before, 'nothing written');
      const allowed = await guarded.inject({ url: '/api/%65ditor/runbooks/month-end-close', headers: { 'x-test-user': 'eddie' } });
      assert.equal(allowed.statusCode, 200, 'an editor is served under either spelling');
    } finally {
      await guarded.close();
    }
  });

  it('needs the editor role, for reads too', async () => {
    const fx = await startConsole({ auth: testAuth({ olga: ['viewer', 'operator'], eddie: ['viewer', 'editor'] }) });
    try {
      const refused = await fx.app.inject({ url: '/api/editor/runbooks', headers: { 'x-test-user': 'olga' } });
      assert.equal(refused.statusCode, 403);
      assert.equal((refused.json() as { code: string }).code, 'FORBIDDEN');
      const unavailable = await fx.app.inject({ url: '/api/editor/runbooks', headers: { 'x-test-user': 'eddie' } });
      assert.equal(unavailable.statusCode, 404, 'a console without the editor says so');
      assert.equal((unavailable.json() as { code: string }).code, 'EDITOR_UNAVAILABLE');
    } finally {
      await fx.close();
    }
  });
});
