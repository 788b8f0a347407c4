/** Where a console may listen without sign-in: loopback only. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertBindAllowed, AuthError, authRequiredForHost, consoleBaseUrl, isLoopbackHost } from '../../../interpreter/server/auth/index.ts';

test('loopback hosts need no auth; anything else does', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', 'app.localhost', '::1', '[::1]', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) {
    assert.ok(isLoopbackHost(host), host);
    assert.equal(authRequiredForHost(host), false, host);
  }
  for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'console.acme.example', '::ffff:10.0.0.1', 'localhost.evil.example']) {
    assert.equal(authRequiredForHost(host), true, host);
  }
});

test('mode none beyond loopback is CONSOLE_AUTH_REQUIRED; proxy and oidc may bind anywhere', () => {
  assert.throws(() => assertBindAllowed('none', '0.0.0.0'), (error: unknown) => error instanceof AuthError && error.code === 'CONSOLE_AUTH_REQUIRED' && /console\.auth\.mode/.test(error.message));
  assertBindAllowed('none', '127.0.0.1');
  assertBindAllowed('proxy', '0.0.0.0');
  assertBindAllowed('oidc', '::');
});

test('the base URL: public_url when set (no trailing slash), else http://HOST:PORT', () => {
  assert.equal(consoleBaseUrl(undefined, '127.0.0.1', 4600), 'http://127.0.0.1:4600');
  assert.equal(consoleBaseUrl({}, '::1', 80), 'http://[::1]:80');
  assert.equal(consoleBaseUrl({ public_url: 'https://runbooks.acme.example/' }, '0.0.0.0', 4600), 'https://runbooks.acme.example');
});
