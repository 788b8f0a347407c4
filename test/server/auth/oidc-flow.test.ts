/**
 * OIDC sign-in end to end against a real OpenID provider (oidc-provider, started by the test):
 * authorization code + PKCE + state + nonce, the session cookie, roles from the groups claim,
 * CSRF bound to the session, sign-out through the provider's end_session endpoint, and the
 * failures (wrong state, a lost login cookie, a refused sign-in, the provider down) as error
 * pages with codes, never a stack trace.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SESSION_COOKIE, LOGIN_COOKIE } from '../../../interpreter/server/auth/index.ts';
import { CookieClient, formAction, type Page } from './cookie-client.ts';
import { startOidcProvider, type OidcProviderFixture } from '../../support/oidc-provider.ts';
import { startOidcHarness, type OidcHarness } from './oidc-app.ts';

const USERS = [
  { id: 'ana', password: 'ana-pw', email: 'ana@acme.example', name: 'Ana Lopez', groups: ['accountants', 'staff'] },
  { id: 'bob', password: 'bob-pw', email: 'bob@acme.example', name: 'Bob', groups: ['runbook-authors'] },
];
const ROLES = { viewer: ['*'], operator: ['group:accountants'], editor: ['group:runbook-authors'] };

let harness: OidcHarness;
let clock = 0;
before(async () => {
  harness = await startOidcHarness({ users: USERS }, { roles: ROLES }, { now: () => Date.now() + clock });
});
after(() => harness.close());

/** Signs `user` in through the provider's login form, starting from `returnTo`. */
async function signIn(client: CookieClient, user: { id: string; password: string }, returnTo = '/whoami'): Promise<Page> {
  const form = await client.go(`${harness.baseUrl}/auth/login?return_to=${encodeURIComponent(returnTo)}`);
  assert.equal(form.status, 200, form.body);
  return client.submit(formAction(form), { login: user.id, password: user.password });
}

/** Follows the sign-in up to the provider's redirect back to the console, without requesting it. */
async function upToCallback(client: CookieClient, user: { id: string; password: string }): Promise<string> {
  const form = await client.go(`${harness.baseUrl}/auth/login?return_to=/whoami`);
  let response = await client.request(formAction(form), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ login: user.id, password: user.password }).toString() });
  let location = response.headers.get('location');
  while (location && !location.startsWith(`${harness.baseUrl}/auth/callback`)) {
    response = await client.request(new URL(location, response.url || harness.idp.issuer).href);
    location = response.headers.get('location');
  }
  assert.ok(location, 'the provider sends the browser back to the console');
  return location;
}

function assertErrorPage(page: Page, status: number, code: string): void {
  assert.equal(page.status, status, page.body);
  assert.equal(page.headers.get('x-error-code'), code);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  assert.ok(page.body.includes(`<code>${code}</code>`), page.body);
  assert.ok(page.body.includes('/auth/login?return_to='), 'a way to sign in again');
  assert.doesNotMatch(page.body, /\n\s+at |node_modules|\.ts:\d+/, 'no stack trace');
}

test('signing in: code + PKCE at the provider, back at return_to with a session; roles from the groups claim', async () => {
  const client = new CookieClient();
  const unauthenticated = await client.go(`${harness.baseUrl}/whoami`);
  assert.equal(unauthenticated.status, 401);
  assert.equal(JSON.parse(unauthenticated.body).login, '/auth/login?return_to=%2Fwhoami');

  const loginStart = await client.request(`${harness.baseUrl}/auth/login?return_to=/whoami`);
  assert.equal(loginStart.status, 303);
  const authorize = new URL(loginStart.headers.get('location') ?? '');
  assert.equal(authorize.origin, harness.idp.issuer);
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(authorize.searchParams.get('redirect_uri'), `${harness.baseUrl}/auth/callback`);
  for (const parameter of ['state', 'nonce', 'code_challenge']) assert.ok((authorize.searchParams.get(parameter) ?? '').length >= 43, parameter);
  const loginCookie = loginStart.headers.getSetCookie().find((line) => line.startsWith(`${LOGIN_COOKIE}=`)) ?? '';
  assert.match(loginCookie, /HttpOnly/i);
  assert.match(loginCookie, /SameSite=Lax/i);
  assert.match(loginCookie, /Path=\/auth/);
  assert.doesNotMatch(loginCookie, new RegExp(authorize.searchParams.get('state') ?? '-'), 'the state is inside a signed token, not in the clear');

  const page = await signIn(client, USERS[0]);
  assert.equal(page.url, `${harness.baseUrl}/whoami`);
  assert.equal(page.status, 200, page.body);
  const body = JSON.parse(page.body);
  assert.deepEqual(body.person, { id: 'ana', name: 'Ana Lopez', email: 'ana@acme.example', groups: ['accountants', 'staff'] });
  assert.deepEqual(body.roles, ['viewer', 'operator']);
  assert.ok(!client.jar.has(LOGIN_COOKIE), 'the login cookie is cleared');
  const callbackHop = page.hops.find((hop) => hop.url.startsWith(`${harness.baseUrl}/auth/callback`));
  assert.equal(callbackHop?.status, 303);
  assert.ok(client.jar.has(SESSION_COOKIE));

  const mutate = await client.request(`${harness.baseUrl}/mutate`, { method: 'POST', headers: { 'x-csrf-token': body.csrf, origin: harness.baseUrl } });
  assert.deepEqual(await mutate.json(), { ok: true, actor: 'ana' });
  const forged = await client.request(`${harness.baseUrl}/mutate`, { method: 'POST', headers: { 'x-csrf-token': body.csrf, origin: 'http://evil.example' } });
  assert.equal(forged.status, 403);
});

test('the session cookie is HttpOnly, SameSite=Lax, for the whole console, with an expiry', async () => {
  const client = new CookieClient();
  const form = await client.go(`${harness.baseUrl}/auth/login`);
  let response = await client.request(formAction(form), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'login=bob&password=bob-pw' });
  let sessionLine: string | undefined;
  while (response.headers.get('location')) {
    sessionLine ??= response.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`));
    response = await client.request(new URL(response.headers.get('location') ?? '', harness.idp.issuer).href);
  }
  assert.ok(sessionLine, 'the callback sets the session');
  assert.match(sessionLine, /HttpOnly/i);
  assert.match(sessionLine, /SameSite=Lax/i);
  assert.match(sessionLine, /Path=\/(;|$)/);
  assert.match(sessionLine, /Max-Age=28800/);
  assert.doesNotMatch(sessionLine, /Secure/, 'not Secure on an http base URL');
  const body = JSON.parse((await client.go(`${harness.baseUrl}/whoami`)).body);
  assert.deepEqual(body.roles, ['viewer', 'editor']);
});

test('a tampered or expired session is nobody', async () => {
  const client = new CookieClient();
  await signIn(client, USERS[0]);
  const genuine = client.jar.get(SESSION_COOKIE) ?? '';
  const [payload, mac] = genuine.split('.');
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  decoded.data.person.groups.push('runbook-authors');
  client.jar.set(SESSION_COOKIE, `${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${mac}`);
  assert.equal((await client.go(`${harness.baseUrl}/whoami`)).status, 401, 'tampered');
  client.jar.set(SESSION_COOKIE, genuine);
  assert.equal((await client.go(`${harness.baseUrl}/whoami`)).status, 200);
  clock = 8 * 3600_000 + 1000;
  try {
    assert.equal((await client.go(`${harness.baseUrl}/whoami`)).status, 401, 'expired after session_hours');
  } finally {
    clock = 0;
  }
});

test('each sign-in is a new session with its own CSRF token (the second through the provider\'s own session, no form)', async () => {
  const client = new CookieClient();
  const first = JSON.parse((await signIn(client, USERS[0])).body).csrf;
  const again = await client.go(`${harness.baseUrl}/auth/login?return_to=/whoami`);
  assert.equal(again.url, `${harness.baseUrl}/whoami`);
  const second = JSON.parse(again.body).csrf;
  assert.notEqual(first, second);
  const stale = await client.request(`${harness.baseUrl}/mutate`, { method: 'POST', headers: { 'x-csrf-token': first } });
  assert.equal(stale.status, 403);
});

test('return_to cannot send the browser to another site', async () => {
  const client = new CookieClient();
  const page = await signIn(client, USERS[0], '//evil.example/steal');
  assert.equal(page.url, `${harness.baseUrl}/`);
});

test('signing out: the session is cleared and the browser goes to the provider\'s end_session endpoint', async () => {
  const client = new CookieClient();
  const { csrf } = JSON.parse((await signIn(client, USERS[0])).body);
  const refused = await client.request(`${harness.baseUrl}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': 'wrong' } });
  assert.equal(refused.status, 403);
  assert.equal(((await refused.json()) as { code: string }).code, 'CSRF_MISMATCH');
  assert.equal((await client.go(`${harness.baseUrl}/whoami`)).status, 200, 'still signed in');

  const response = await client.request(`${harness.baseUrl}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': csrf, origin: harness.baseUrl } });
  assert.equal(response.status, 200);
  const { redirect } = (await response.json()) as { redirect: string };
  const endSession = new URL(redirect);
  assert.equal(endSession.origin, harness.idp.issuer);
  assert.equal(endSession.searchParams.get('client_id'), harness.idp.clientId);
  assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${harness.baseUrl}/`);
  assert.ok(!client.jar.has(SESSION_COOKIE));
  assert.equal((await client.go(`${harness.baseUrl}/whoami`)).status, 401);
  assert.equal((await client.go(redirect)).status, 200, 'the provider accepts the end_session request');
});

test('signing out with a plain form (csrf_token field) redirects', async () => {
  const client = new CookieClient();
  const { csrf } = JSON.parse((await signIn(client, USERS[1])).body);
  const response = await client.request(`${harness.baseUrl}/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf_token=${encodeURIComponent(csrf)}` });
  assert.equal(response.status, 303);
  assert.ok(response.headers.get('location')?.startsWith(harness.idp.issuer));
  assert.equal((await client.go(`${harness.baseUrl}/whoami`)).status, 401);
});

test('a callback whose state was altered is LOGIN_STATE_MISMATCH; the same callback again is LOGIN_STATE_MISSING', async () => {
  const client = new CookieClient();
  const callback = new URL(await upToCallback(client, USERS[0]));
  const genuineState = callback.searchParams.get('state') ?? '';
  callback.searchParams.set('state', genuineState.slice(0, -3) + 'abc');
  assertErrorPage(await client.go(callback.href), 400, 'LOGIN_STATE_MISMATCH');
  assert.ok(!client.jar.has(SESSION_COOKIE));
  callback.searchParams.set('state', genuineState);
  assertErrorPage(await client.go(callback.href), 400, 'LOGIN_STATE_MISSING');
  assert.equal((await client.go(`${harness.baseUrl}/whoami`)).status, 401);
});

test('a sign-in overtaken by another in the same browser fails as LOGIN_STATE_MISMATCH', async () => {
  const client = new CookieClient();
  const firstCallback = await upToCallback(client, USERS[0]);
  await client.request(`${harness.baseUrl}/auth/login?return_to=/`); // a second tab starts over
  assertErrorPage(await client.go(firstCallback), 400, 'LOGIN_STATE_MISMATCH');
});

test('without the login cookie (the PKCE verifier) the callback is LOGIN_STATE_MISSING; a forged one too', async () => {
  const client = new CookieClient();
  const callback = await upToCallback(client, USERS[0]);
  const cookie = client.jar.get(LOGIN_COOKIE) ?? '';
  client.jar.delete(LOGIN_COOKIE);
  assertErrorPage(await client.go(callback), 400, 'LOGIN_STATE_MISSING');

  const other = new CookieClient();
  const otherCallback = await upToCallback(other, USERS[0]);
  const [payload, mac] = (other.jar.get(LOGIN_COOKIE) ?? cookie).split('.');
  const login = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  login.data.verifier = 'x'.repeat(43);
  other.jar.set(LOGIN_COOKIE, `${Buffer.from(JSON.stringify(login)).toString('base64url')}.${mac}`);
  assertErrorPage(await other.go(otherCallback), 400, 'LOGIN_STATE_MISSING');
});

test('a sign-in the provider refuses is LOGIN_DENIED with its reason', async () => {
  const client = new CookieClient();
  const start = await client.request(`${harness.baseUrl}/auth/login`);
  const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
  const page = await client.go(`${harness.baseUrl}/auth/callback?error=access_denied&error_description=${encodeURIComponent('<b>not for you</b>')}&state=${state}`);
  assertErrorPage(page, 403, 'LOGIN_DENIED');
  assert.ok(page.body.includes('&lt;b&gt;not for you&lt;/b&gt;'), 'the provider\'s text is escaped');
});

test('the provider down during the code exchange: OIDC_PROVIDER_UNAVAILABLE (502), logged, no stack trace', async () => {
  const local = await startOidcHarness({ users: USERS, autoLogin: 'ana' });
  try {
    const client = new CookieClient();
    let response = await client.request(`${local.baseUrl}/auth/login`);
    let location = response.headers.get('location') ?? '';
    while (!location.startsWith(`${local.baseUrl}/auth/callback`)) {
      response = await client.request(new URL(location, local.idp.issuer).href);
      location = response.headers.get('location') ?? '';
    }
    assert.equal(local.idp.logins(), 1, 'autoLogin signed the user in without a form');
    await local.idp.stop();
    const page = await client.go(location);
    assertErrorPage(page, 502, 'OIDC_PROVIDER_UNAVAILABLE');
    assert.ok(local.warnings.some((warning) => warning.includes('OIDC_PROVIDER_UNAVAILABLE')), local.warnings.join('\n'));
  } finally {
    await local.close();
  }
});

test('the provider down at sign-in: OIDC_PROVIDER_UNAVAILABLE; the console recovers when it is back', async () => {
  const local = await startOidcHarness({ users: USERS, autoLogin: 'bob' });
  let revived: OidcProviderFixture | undefined;
  try {
    await local.idp.stop();
    assertErrorPage(await new CookieClient().go(`${local.baseUrl}/auth/login`), 502, 'OIDC_PROVIDER_UNAVAILABLE');
    revived = await startOidcProvider({
      users: USERS,
      autoLogin: 'bob',
      port: Number(new URL(local.idp.issuer).port),
      clientSecret: local.idp.clientSecret,
      redirectUris: [`${local.baseUrl}/auth/callback`],
    });
    const page = await new CookieClient().go(`${local.baseUrl}/auth/login?return_to=/whoami`);
    assert.equal(page.status, 200, page.body);
    assert.equal(JSON.parse(page.body).person.id, 'bob');
  } finally {
    await revived?.stop();
    await local.close();
  }
});

test('user_claim and groups_claim pick the claims: the email as the actor', async () => {
  const local = await startOidcHarness({ users: USERS, autoLogin: 'ana' }, { roles: { operator: ['ana@acme.example'] } }, { oidc: { user_claim: 'email', groups_claim: 'no_such_claim' } });
  try {
    const body = JSON.parse((await new CookieClient().go(`${local.baseUrl}/auth/login?return_to=/whoami`)).body);
    assert.deepEqual(body.person, { id: 'ana@acme.example', name: 'Ana Lopez', email: 'ana@acme.example', groups: [] });
    assert.deepEqual(body.roles, ['viewer', 'operator']);
  } finally {
    await local.close();
  }
});

test('a user claim the provider does not send is LOGIN_CLAIMS_INVALID', async () => {
  const local = await startOidcHarness({ users: USERS, autoLogin: 'ana' }, {}, { oidc: { user_claim: 'employee_number' } });
  try {
    assertErrorPage(await new CookieClient().go(`${local.baseUrl}/auth/login`), 502, 'LOGIN_CLAIMS_INVALID');
  } finally {
    await local.close();
  }
});

test('a code the token endpoint refuses (replayed with its login cookie) is LOGIN_STATE_MISMATCH, naming the provider\'s error', async () => {
  const client = new CookieClient();
  const callback = await upToCallback(client, USERS[0]);
  const loginCookie = client.jar.get(LOGIN_COOKIE) ?? '';
  assert.equal((await client.go(callback)).status, 200, 'the first use signs in');
  const replay = new CookieClient();
  replay.jar.set(LOGIN_COOKIE, loginCookie);
  const page = await replay.go(callback);
  assertErrorPage(page, 400, 'LOGIN_STATE_MISMATCH');
  assert.match(page.body, /invalid_grant/);
  assert.ok(!replay.jar.has(SESSION_COOKIE));
});

test('a client secret the provider does not accept is OIDC_CLIENT_REJECTED (502), logged for the administrator', async () => {
  const local = await startOidcHarness({ users: USERS, autoLogin: 'ana' }, {}, { clientSecret: 'not-the-secret' });
  try {
    const page = await new CookieClient().go(`${local.baseUrl}/auth/login?return_to=/whoami`);
    assertErrorPage(page, 502, 'OIDC_CLIENT_REJECTED');
    assert.match(page.body, /invalid_client/);
    assert.doesNotMatch(page.body, /not-the-secret/);
    assert.ok(local.warnings.some((warning) => warning.includes('OIDC_CLIENT_REJECTED')), local.warnings.join('\n'));
  } finally {
    await local.close();
  }
});
