/** Signed tokens (session and login-state cookies): tampering, expiry, purpose, secrets. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthError } from '../../../interpreter/server/auth/index.ts';
import { safeReturnPath, signLoginState, signSession, verifyLoginState, verifySession } from '../../../interpreter/server/auth/oidc-session.ts';
import { resolveSessionSecret } from '../../../interpreter/server/auth/session-secret.ts';
import { signToken, verifyToken } from '../../../interpreter/server/auth/signed-token.ts';

const secret = Buffer.from('k'.repeat(40));
const person = { id: 'ana', name: 'Ana', email: 'ana@acme.example', groups: ['accountants'] };
const NOW = Date.UTC(2026, 0, 31, 12);

test('a signed token verifies with its secret and purpose until it expires', () => {
  const token = signToken(secret, 'p', { a: 1 }, 60, NOW);
  assert.deepEqual(verifyToken(secret, 'p', token, NOW + 59_000), { ok: true, data: { a: 1 }, expiresAt: NOW + 60_000 });
  assert.deepEqual(verifyToken(secret, 'p', token, NOW + 60_000), { ok: false, problem: 'expired' });
  assert.deepEqual(verifyToken(secret, 'q', token, NOW), { ok: false, problem: 'signature' }, 'another purpose');
  assert.deepEqual(verifyToken(Buffer.from('x'.repeat(40)), 'p', token, NOW), { ok: false, problem: 'signature' }, 'another secret');
});

test('a tampered token is refused: payload, signature, shape', () => {
  const token = signToken(secret, 'p', { id: 'ana' }, 60, NOW);
  const [body, mac] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ exp: Math.floor(NOW / 1000) + 60, data: { id: 'admin' } })).toString('base64url');
  assert.equal(verifyToken(secret, 'p', `${forged}.${mac}`, NOW).ok, false);
  const extended = Buffer.from(JSON.stringify({ exp: Math.floor(NOW / 1000) + 9e6, data: { id: 'ana' } })).toString('base64url');
  assert.equal(verifyToken(secret, 'p', `${extended}.${mac}`, NOW).ok, false, 'the expiry is signed too');
  assert.equal(verifyToken(secret, 'p', `${body}.${mac.slice(0, -1)}A`, NOW).ok, false);
  for (const broken of ['', 'abc', `${body}`, `${body}.${mac}.x`, `.${mac}`]) assert.deepEqual(verifyToken(secret, 'p', broken, NOW).ok, false, broken);
});

test('session and login-state cookies cannot stand in for each other', () => {
  const session = signSession(secret, { sid: 's1', person }, 3600, NOW);
  assert.deepEqual(verifySession(secret, session, NOW), { ok: true, data: { sid: 's1', person } });
  assert.equal(verifyLoginState(secret, session, NOW).ok, false);
  const login = signLoginState(secret, { state: 'st', nonce: 'n', verifier: 'v', returnTo: '/' }, NOW);
  assert.equal(verifySession(secret, login, NOW).ok, false);
  assert.deepEqual(verifyLoginState(secret, login, NOW + 9 * 60_000).ok, true);
  assert.deepEqual(verifyLoginState(secret, login, NOW + 10 * 60_000), { ok: false, problem: 'expired' });
});

test('return_to is a path of this console, never another site', () => {
  assert.equal(safeReturnPath('/runs/abc?tab=timeline'), '/runs/abc?tab=timeline');
  for (const bad of ['//evil.example/x', '/\\evil.example', 'https://evil.example', 'runs', '', undefined, 42, '/x\r\nSet-Cookie: a=b']) {
    assert.equal(safeReturnPath(bad), '/', String(bad));
  }
});

test('the session secret: from its environment variable, refused when short, random (with a warning) when unset', () => {
  const warnings: string[] = [];
  const fromEnv = resolveSessionSecret('MY_SECRET', { MY_SECRET: 'z'.repeat(32) }, (message) => warnings.push(message), true);
  assert.equal(fromEnv.source, 'env MY_SECRET');
  assert.throws(() => resolveSessionSecret(undefined, { RUNBOOK_CONSOLE_SESSION_SECRET: 'short' }, () => {}, true), (error: unknown) => error instanceof AuthError && error.code === 'CONSOLE_SESSION_SECRET_WEAK');
  const random = resolveSessionSecret(undefined, {}, (message) => warnings.push(message), true);
  assert.equal(random.source, 'random');
  assert.equal(random.key.length, 32);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /RUNBOOK_CONSOLE_SESSION_SECRET is not set/);
  resolveSessionSecret(undefined, {}, (message) => warnings.push(message), false);
  assert.equal(warnings.length, 1, 'no warning where a random secret is right (mode none)');
});
