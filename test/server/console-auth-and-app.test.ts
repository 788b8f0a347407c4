/**
 * The console server with the real auth layer (proxy mode, roles from the config) and with a built
 * browser app: roles mapped from groups, CSRF from GET /api/me, the SPA fallback and its limits.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConsoleAuth } from '../../interpreter/server/auth/index.ts';
import type { MeResponse, StartResponse } from '../../interpreter/server/console-api.ts';
import { monthEndInput, startConsole } from './console-fixture.ts';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('proxy mode: roles from groups; a viewer may not start (403), an operator with the CSRF token of /api/me may; nobody is 401', async () => {
  const auth = await createConsoleAuth(
    { auth: { mode: 'proxy', proxy: { groups_header: 'x-forwarded-groups' } }, roles: { viewer: ['*'], operator: ['group:accountants'] } },
    { baseUrl: 'http://127.0.0.1:4600', env: { RUNBOOK_CONSOLE_SESSION_SECRET: 'x'.repeat(48) }, warn: () => undefined },
  );
  const fx = await startConsole({ auth });
  try {
    const ana = { 'x-forwarded-user': 'ana', 'x-forwarded-groups': 'accountants' };
    const vic = { 'x-forwarded-user': 'vic' };
    const anaMe = (await fx.app.inject({ url: '/api/me', headers: ana })).json() as MeResponse;
    assert.equal(anaMe.auth, 'proxy');
    assert.ok(anaMe.roles.includes('operator'));
    const vicMe = (await fx.app.inject({ url: '/api/me', headers: vic })).json() as MeResponse;
    assert.deepEqual(vicMe.roles, ['viewer']);

    const body = { runbook: 'month-end-close', input: monthEndInput() };
    const viewer = await fx.app.inject({ method: 'POST', url: '/api/runs', headers: { ...vic, 'x-csrf-token': vicMe.csrf_token }, payload: body });
    assert.equal(viewer.statusCode, 403);
    assert.equal(viewer.json().code, 'FORBIDDEN');
    const noToken = await fx.app.inject({ method: 'POST', url: '/api/runs', headers: ana, payload: body });
    assert.equal(noToken.statusCode, 403);
    assert.equal(noToken.json().code, 'CSRF');
    // The hint is said once, and only where it helps (a missing token; another site's request is not told to fetch one).
    assert.equal((noToken.json() as { message: string }).message.match(/take the token from GET \/api\/me/g)?.length, 1, noToken.body);
    const crossSite = await fx.app.inject({ method: 'POST', url: '/api/runs', headers: { ...ana, 'x-csrf-token': anaMe.csrf_token, origin: 'https://evil.example' }, payload: body });
    assert.equal(crossSite.statusCode, 403);
    assert.doesNotMatch((crossSite.json() as { message: string }).message, /GET \/api\/me/);
    const started = await fx.app.inject({ method: 'POST', url: '/api/runs', headers: { ...ana, 'x-csrf-token': anaMe.csrf_token }, payload: body });
    assert.equal(started.statusCode, 201, started.body);
    const state = await fx.until((started.json() as StartResponse).run_id, (s) => s.pending_action !== null);
    assert.equal(state.started_by, 'ana');
    assert.equal((await fx.app.inject({ url: '/api/inbox' })).statusCode, 401);
  } finally {
    await fx.close();
  }
});

test('a built app: files served, other pages fall back to index.html, API paths never do', async () => {
  const appDir = mkdtempSync(join(tmpdir(), 'console-app-'));
  dirs.push(appDir);
  mkdirSync(join(appDir, 'assets'));
  writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>console</title><div id="root"></div>');
  writeFileSync(join(appDir, 'assets', 'app.js'), 'console.log(1);');
  const { createConsoleServer } = await import('../../interpreter/server/console-server.ts');
  const { LocalBackend } = await import('../../interpreter/server/local-backend.ts');
  const { localOnlyAuth } = await import('../../interpreter/server/console-auth-port.ts');
  const base = await startConsole();
  const app = await createConsoleServer({ backend: new LocalBackend({ runtime: base.runtime, catalog: [] }), auth: localOnlyAuth(), appDir });
  try {
    const root = await app.inject({ url: '/' });
    assert.equal(root.statusCode, 200);
    assert.match(root.body, /id="root"/);
    const deep = await app.inject({ url: '/runs/month-end-close-1?tab=timeline' });
    assert.equal(deep.statusCode, 200);
    assert.match(deep.body, /id="root"/);
    const asset = await app.inject({ url: '/assets/app.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(String(asset.headers['content-type']), /javascript/);
    const api = await app.inject({ url: '/api/nope' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().code, 'NOT_FOUND');
    const post = await app.inject({ method: 'POST', url: '/somewhere' });
    assert.equal(post.statusCode, 404);
  } finally {
    await app.close();
    await base.close();
  }
});
