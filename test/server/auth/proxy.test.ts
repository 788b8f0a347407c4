/**
 * Mode proxy: identity headers believed from trusted proxy addresses only (loopback by default),
 * the optional name/email/groups headers only when configured.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ConsoleConfig } from '../../../interpreter/config/config-format.ts';
import { AuthError, createConsoleAuth, type ConsoleAuth } from '../../../interpreter/server/auth/index.ts';
import { parseTrustedProxies } from '../../../interpreter/server/auth/trusted-proxies.ts';

const ENV = { RUNBOOK_CONSOLE_SESSION_SECRET: 's'.repeat(40) };
const BASE = 'http://console.acme.example';

async function appWith(settings: ConsoleConfig): Promise<{ app: FastifyInstance; auth: ConsoleAuth }> {
  const auth = await createConsoleAuth(settings, { baseUrl: BASE, env: ENV, warn: () => {} });
  const app = Fastify();
  await auth.register(app);
  app.get('/whoami', async (request) => {
    const person = await auth.authenticate(request);
    return { person, roles: person ? auth.rolesOf(person) : [] };
  });
  return { app, auth };
}

const proxyConfig = (proxy: NonNullable<NonNullable<ConsoleConfig['auth']>['proxy']> = {}): ConsoleConfig => ({ auth: { mode: 'proxy', proxy } });

test('a request from loopback with the user header is signed in as that person', async () => {
  const { app } = await appWith(proxyConfig());
  const response = await app.inject({ url: '/whoami', headers: { 'x-forwarded-user': 'ana' } });
  assert.deepEqual(response.json().person, { id: 'ana', name: 'ana', email: null, groups: [] });
  assert.deepEqual(response.json().roles, ['viewer', 'operator']);
});

test('the same header from an address that is not a trusted proxy signs nobody in', async () => {
  const { app } = await appWith(proxyConfig());
  const response = await app.inject({ url: '/whoami', remoteAddress: '203.0.113.7', headers: { 'x-forwarded-user': 'ana' } });
  assert.equal(response.json().person, null);
});

test('trusted_proxies: CIDRs and addresses, IPv4 and IPv6, IPv4-mapped peers', async () => {
  const { app } = await appWith(proxyConfig({ trusted_proxies: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1'] }));
  const who = async (remoteAddress: string): Promise<string | null> =>
    (await app.inject({ url: '/whoami', remoteAddress, headers: { 'x-forwarded-user': 'ana' } })).json().person?.id ?? null;
  assert.equal(await who('10.1.2.3'), 'ana');
  assert.equal(await who('::ffff:10.1.2.3'), 'ana');
  assert.equal(await who('2001:db8::5'), 'ana');
  assert.equal(await who('192.0.2.1'), 'ana');
  assert.equal(await who('192.0.2.2'), null);
  assert.equal(await who('127.0.0.1'), null, 'loopback is trusted only by default');
  const set = parseTrustedProxies();
  assert.ok(set.has('127.0.0.1') && set.has('::1') && set.has('::ffff:127.0.0.1') && !set.has('10.0.0.1') && !set.has(undefined));
});

test('a bad trusted_proxies entry is CONSOLE_AUTH_CONFIG naming it', async () => {
  for (const entry of ['10.0.0.0/33', 'not-an-ip', '10.0.0.0/', '::1/129']) {
    await assert.rejects(
      createConsoleAuth(proxyConfig({ trusted_proxies: [entry] }), { baseUrl: BASE, env: ENV }),
      (error: unknown) => error instanceof AuthError && error.code === 'CONSOLE_AUTH_CONFIG' && error.message.includes(entry),
    );
  }
});

test('name, email and groups headers are read when configured (groups comma-separated), ignored when not', async () => {
  const headers = { 'x-user': 'u-42', 'x-name': 'Ana Lopez', 'x-email': 'ana@acme.example', 'x-groups': 'accountants, staff,,accountants', 'x-forwarded-user': 'mallory' };
  const configured = await appWith({ ...proxyConfig({ user_header: 'X-User', name_header: 'x-name', email_header: 'x-email', groups_header: 'x-groups' }), roles: { operator: ['group:accountants'] } });
  const response = (await configured.app.inject({ url: '/whoami', headers })).json();
  assert.deepEqual(response.person, { id: 'u-42', name: 'Ana Lopez', email: 'ana@acme.example', groups: ['accountants', 'staff'] });
  assert.deepEqual(response.roles, ['viewer', 'operator']);

  const plain = await appWith({ ...proxyConfig(), roles: { operator: ['group:accountants'] } });
  const unconfigured = (await plain.app.inject({ url: '/whoami', headers: { 'x-forwarded-user': 'mallory', 'x-forwarded-groups': 'accountants', 'x-forwarded-email': 'ana@acme.example' } })).json();
  assert.deepEqual(unconfigured.person, { id: 'mallory', name: 'mallory', email: null, groups: [] }, 'headers not configured are not believed');
  assert.deepEqual(unconfigured.roles, []);
});

test('no user header: not signed in; mode proxy has no login page of its own', async () => {
  const { app, auth } = await appWith(proxyConfig());
  assert.equal((await app.inject({ url: '/whoami' })).json().person, null);
  assert.equal((await app.inject({ url: '/whoami', headers: { 'x-forwarded-user': '  ' } })).json().person, null);
  assert.equal(auth.loginUrl('/runs'), undefined);
  assert.equal(auth.logoutUrl, undefined);
});

test('register adds @fastify/cookie once, and leaves an app that has it alone', async () => {
  const { app } = await appWith(proxyConfig());
  assert.ok(app.hasRequestDecorator('cookies'));
  const auth = await createConsoleAuth(proxyConfig(), { baseUrl: BASE, env: ENV });
  await auth.register(app);
  await app.ready();
});
