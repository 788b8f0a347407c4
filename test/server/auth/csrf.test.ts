/**
 * CSRF: a mutating request needs the token bound to its person or session in x-csrf-token, and
 * is refused when the browser says another site sent it; safe methods pass.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ConsoleConfig } from '../../../interpreter/config/config-format.ts';
import { createConsoleAuth, type ConsoleAuth } from '../../../interpreter/server/auth/index.ts';

const ENV = { RUNBOOK_CONSOLE_SESSION_SECRET: 's'.repeat(40) };
const BASE = 'https://console.acme.example';

async function appWith(settings: ConsoleConfig, env: Record<string, string> = ENV): Promise<{ app: FastifyInstance; auth: ConsoleAuth }> {
  const auth = await createConsoleAuth(settings, { baseUrl: BASE, env, warn: () => {} });
  const app = Fastify();
  await auth.register(app);
  app.get('/token', async (request) => ({ token: auth.csrfToken(request) }));
  const handler = async (request: Parameters<ConsoleAuth['checkCsrf']>[0]): Promise<unknown> => ({ check: auth.checkCsrf(request), verified: auth.verifyCsrf(request) });
  app.post('/mutate', handler);
  app.get('/read', handler);
  return { app, auth };
}

const proxy: ConsoleConfig = { auth: { mode: 'proxy' } };
const as = (user: string): Record<string, string> => ({ 'x-forwarded-user': user });

async function tokenOf(app: FastifyInstance, user: string): Promise<string> {
  return (await app.inject({ url: '/token', headers: as(user) })).json().token as string;
}

test('the right token passes; a missing one is CSRF_MISSING, a wrong one CSRF_MISMATCH', async () => {
  const { app } = await appWith(proxy);
  const token = await tokenOf(app, 'ana');
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  const post = async (headers: Record<string, string>): Promise<{ check: { ok: boolean; code?: string }; verified: boolean }> =>
    (await app.inject({ method: 'POST', url: '/mutate', headers: { ...as('ana'), ...headers } })).json();
  assert.deepEqual(await post({ 'x-csrf-token': token }), { check: { ok: true }, verified: true });
  assert.equal((await post({})).check.code, 'CSRF_MISSING');
  assert.equal((await post({ 'x-csrf-token': token.slice(0, -2) + 'xx' })).check.code, 'CSRF_MISMATCH');
  assert.equal((await post({ 'x-csrf-token': 'short' })).verified, false);
});

test('the token is bound to the person: another person\'s token does not pass; nobody signed in has none', async () => {
  const { app } = await appWith(proxy);
  const anaToken = await tokenOf(app, 'ana');
  assert.notEqual(anaToken, await tokenOf(app, 'bob'));
  const response = await app.inject({ method: 'POST', url: '/mutate', headers: { ...as('bob'), 'x-csrf-token': anaToken } });
  assert.equal(response.json().check.code, 'CSRF_MISMATCH');
  assert.equal((await app.inject({ url: '/token' })).json().token, '');
  assert.equal((await app.inject({ method: 'POST', url: '/mutate', headers: { 'x-csrf-token': anaToken } })).json().check.code, 'CSRF_MISMATCH');
});

test('the token is stateless: a replica with the same secret accepts it, one with another secret does not', async () => {
  const first = await appWith(proxy);
  const replica = await appWith(proxy);
  const other = await appWith(proxy, { RUNBOOK_CONSOLE_SESSION_SECRET: 'o'.repeat(40) });
  const token = await tokenOf(first.app, 'ana');
  const post = { method: 'POST' as const, url: '/mutate', headers: { ...as('ana'), 'x-csrf-token': token } };
  assert.equal((await replica.app.inject(post)).json().verified, true);
  assert.equal((await other.app.inject(post)).json().verified, false);
});

test('cross-origin requests are refused by Origin and Sec-Fetch-Site, even with the right token', async () => {
  const { app } = await appWith(proxy);
  const token = await tokenOf(app, 'ana');
  const post = async (headers: Record<string, string>): Promise<string | undefined> =>
    (await app.inject({ method: 'POST', url: '/mutate', headers: { ...as('ana'), 'x-csrf-token': token, ...headers } })).json().check.code;
  assert.equal(await post({ origin: 'https://evil.example' }), 'CROSS_ORIGIN');
  assert.equal(await post({ origin: 'null' }), 'CROSS_ORIGIN');
  assert.equal(await post({ 'sec-fetch-site': 'cross-site' }), 'CROSS_ORIGIN');
  assert.equal(await post({ 'sec-fetch-site': 'same-site' }), 'CROSS_ORIGIN', 'a sibling subdomain is another site');
  assert.equal(await post({ origin: 'https://console.acme.example', 'sec-fetch-site': 'same-origin' }), undefined);
  assert.equal(await post({ origin: 'http://localhost:4600', host: 'localhost:4600' }), undefined, 'the origin of the Host the request was sent to');
  assert.equal(await post({ origin: 'http://localhost:4600', host: 'console.acme.example' }), 'CROSS_ORIGIN');
});

test('safe methods pass without a token', async () => {
  const { app } = await appWith(proxy);
  assert.equal((await app.inject({ url: '/read', headers: { ...as('ana'), origin: 'https://evil.example' } })).json().verified, true);
});

test('mode none has CSRF protection too: the anonymous token of this process', async () => {
  const { app } = await appWith({});
  const token = (await app.inject({ url: '/token' })).json().token as string;
  assert.ok(token.length > 20);
  assert.equal((await app.inject({ method: 'POST', url: '/mutate', headers: { 'x-csrf-token': token } })).json().verified, true);
  assert.equal((await app.inject({ method: 'POST', url: '/mutate' })).json().check.code, 'CSRF_MISSING');
  const otherProcess = await appWith({}, {});
  assert.equal((await otherProcess.app.inject({ method: 'POST', url: '/mutate', headers: { 'x-csrf-token': token } })).json().verified, false);
});
