/**
 * OIDC mode as configured: what createConsoleAuth refuses before any provider is asked (a missing
 * client secret, a plain-http issuer beyond loopback, no oidc section), that a console starts while
 * its provider is down (discovery at the first sign-in), loginUrl (only paths of the console), and a
 * console behind https under a path prefix (Secure cookies under that path, the redirect URI).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import type { ConsoleConfig } from '../../../interpreter/config/config-format.ts';
import { AuthError, createConsoleAuth, LOGIN_COOKIE } from '../../../interpreter/server/auth/index.ts';
import { freePort, OIDC_TEST_SCOPES, startOidcProvider } from '../../support/oidc-provider.ts';

const SESSION = { RUNBOOK_CONSOLE_SESSION_SECRET: 'q'.repeat(40) };
const BASE = 'http://127.0.0.1:4600';

const oidcConsole = (oidc: Partial<NonNullable<NonNullable<ConsoleConfig['auth']>['oidc']>> = {}): ConsoleConfig => ({
  auth: { mode: 'oidc', oidc: { issuer: 'https://login.acme.example/realms/finance', client_id: 'runbook-console', client_secret_env: 'OIDC_SECRET', ...oidc } },
});

function refusedWith(code: string, mentioning: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AuthError, String(error));
    assert.equal(error.code, code);
    assert.ok(error.message.includes(mentioning), error.message);
    return true;
  };
}

test('the client secret comes from the environment variable the config names: unset is CONSOLE_AUTH_SECRET_MISSING', async () => {
  await assert.rejects(createConsoleAuth(oidcConsole(), { baseUrl: BASE, env: SESSION, warn: () => {} }), refusedWith('CONSOLE_AUTH_SECRET_MISSING', 'OIDC_SECRET'));
  const auth = await createConsoleAuth(oidcConsole(), { baseUrl: BASE, env: { ...SESSION, OIDC_SECRET: 'from-the-env' }, warn: () => {} });
  assert.equal(auth.mode, 'oidc');
});

test('a plain-http issuer is refused beyond loopback (CONSOLE_AUTH_CONFIG), accepted on loopback; no oidc section is CONSOLE_AUTH_CONFIG', async () => {
  const env = { ...SESSION, OIDC_SECRET: 'x' };
  await assert.rejects(createConsoleAuth(oidcConsole({ issuer: 'http://login.acme.example' }), { baseUrl: BASE, env, warn: () => {} }), refusedWith('CONSOLE_AUTH_CONFIG', 'https'));
  await createConsoleAuth(oidcConsole({ issuer: 'http://127.0.0.1:9' }), { baseUrl: BASE, env, warn: () => {} });
  await assert.rejects(createConsoleAuth({ auth: { mode: 'oidc' } }, { baseUrl: BASE, env, warn: () => {} }), refusedWith('CONSOLE_AUTH_CONFIG', 'console.auth.oidc'));
});

test('without a session secret an OIDC console warns that its sessions are this process\'s only', async () => {
  const warnings: string[] = [];
  await createConsoleAuth(oidcConsole(), { baseUrl: BASE, env: { OIDC_SECRET: 'x' }, warn: (message) => warnings.push(message) });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /RUNBOOK_CONSOLE_SESSION_SECRET is not set/);
});

test('a console starts while its provider is down: nothing is asked of the provider before the first sign-in', async () => {
  const port = await freePort(); // nobody listens there
  const auth = await createConsoleAuth(oidcConsole({ issuer: `http://127.0.0.1:${port}` }), { baseUrl: BASE, env: { ...SESSION, OIDC_SECRET: 'x' }, warn: () => {} });
  const app = Fastify();
  await auth.register(app);
  await app.ready();
  const nobody = await app.inject({ url: '/auth/logout', method: 'POST' });
  assert.equal(nobody.statusCode, 303, 'signing out when signed out already just goes home');
  assert.equal(nobody.headers.location, `${BASE}/`);
  await app.close();
});

test('loginUrl: a path of the console comes back encoded; another site, a scheme or a backslash trick becomes /', async () => {
  const auth = await createConsoleAuth(oidcConsole(), { baseUrl: BASE, env: { ...SESSION, OIDC_SECRET: 'x' }, warn: () => {} });
  assert.equal(auth.loginUrl('/runs/r-1?tab=timeline'), '/auth/login?return_to=%2Fruns%2Fr-1%3Ftab%3Dtimeline');
  for (const unsafe of ['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)', 'runs', '/a\nb', '']) {
    assert.equal(auth.loginUrl(unsafe), '/auth/login?return_to=%2F', JSON.stringify(unsafe));
  }
  assert.equal(auth.logoutUrl, '/auth/logout');
});

test('behind https under a path prefix: Secure cookies under that path, the redirect URI and the login URL include it', async () => {
  const idp = await startOidcProvider({ users: [{ id: 'ana' }], redirectUris: ['https://runbooks.acme.example/console/auth/callback'] });
  const app = Fastify();
  try {
    const auth = await createConsoleAuth(
      { public_url: 'https://runbooks.acme.example/console/', auth: { mode: 'oidc', oidc: { issuer: idp.issuer, client_id: idp.clientId, client_secret_env: 'OIDC_SECRET', scopes: [...OIDC_TEST_SCOPES] } } },
      { baseUrl: 'https://runbooks.acme.example/console/', env: { ...SESSION, OIDC_SECRET: idp.clientSecret }, warn: () => {} },
    );
    assert.equal(auth.loginUrl('/runs'), '/console/auth/login?return_to=%2Fruns');
    assert.equal(auth.logoutUrl, '/console/auth/logout');
    await auth.register(app);
    const start = await app.inject({ url: '/auth/login?return_to=/runs' });
    assert.equal(start.statusCode, 303, start.body);
    const authorize = new URL(String(start.headers.location));
    assert.equal(authorize.origin, idp.issuer);
    assert.equal(authorize.searchParams.get('redirect_uri'), 'https://runbooks.acme.example/console/auth/callback');
    const setCookie = ([] as string[]).concat(start.headers['set-cookie'] ?? []).find((line) => line.startsWith(`${LOGIN_COOKIE}=`)) ?? '';
    assert.match(setCookie, /; Secure/i);
    assert.match(setCookie, /Path=\/console\/auth(;|$)/);
    assert.match(setCookie, /HttpOnly/i);
  } finally {
    await app.close();
    await idp.stop();
  }
});
