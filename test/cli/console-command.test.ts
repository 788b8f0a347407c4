/** `runbook console` as a user runs it: the console line, loopback by default, the refusal beyond it without sign-in, both runtimes, clean stops. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MeResponse } from '../../interpreter/server/console-api.ts';
import { ROOT, runCli } from '../support/run-cli.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';
import { serve } from './console-process-helper.ts';

const dirs: string[] = [];
after(async () => {
  await closeTestTemporal();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A project whose config points at the repository's example runbooks and handlers. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-console-cli-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'runbook.config.yaml'), `runbooks: ${join(ROOT, 'runbooks')}\nhandlers: ${join(ROOT, 'handlers')}\n`);
  return dir;
}

const env = (dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...process.env, TEMPORAL_ADDRESS: '', TEMPORAL_NAMESPACE: '', RUNBOOK_DATA_DIR: join(dir, 'data'), ...extra });

test('in-process by default: prints `console: http://127.0.0.1:PORT/`, serves the API, stops on Ctrl-C with exit 0', async () => {
  const dir = project();
  const console = await serve(['console', '--port', '0'], { cwd: dir, env: env(dir) });
  try {
    assert.match(console.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const me = (await (await fetch(`${console.url}api/me`)).json()) as MeResponse;
    assert.equal(me.runtime.kind, 'in-process');
    assert.equal(me.auth, 'none');
    const runbooks = (await (await fetch(`${console.url}api/runbooks`)).json()) as { runbooks: { slug: string }[] };
    assert.ok(runbooks.runbooks.some((runbook) => runbook.slug === 'month-end-close'));
  } finally {
    assert.equal(await console.stop('SIGINT'), 0, console.output());
  }
  assert.match(console.output(), /console stopped/);
});

test('SIGTERM stops it cleanly too', async () => {
  const dir = project();
  const console = await serve(['console', '--port', '0'], { cwd: dir, env: env(dir) });
  assert.equal(await console.stop('SIGTERM'), 0, console.output());
});

test('binding beyond loopback without sign-in is refused: exit 2, CONSOLE_AUTH_REQUIRED, no stack', async () => {
  const dir = project();
  for (const host of ['0.0.0.0', '192.168.1.10']) {
    const refused = await runCli(['console', '--host', host, '--port', '0'], { cwd: dir, env: env(dir) });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /CONSOLE_AUTH_REQUIRED/);
    assert.doesNotMatch(refused.stderr, /\n\s+at /);
  }
  const badPort = await runCli(['console', '--port', 'eighty'], { cwd: dir, env: env(dir) });
  assert.equal(badPort.code, 2);
  assert.match(badPort.stderr, /--port/);
});

test('a port in use: exit 1 CONSOLE_PORT_IN_USE', async () => {
  const dir = project();
  const first = await serve(['console', '--port', '0'], { cwd: dir, env: env(dir) });
  try {
    const port = new URL(first.url).port;
    const second = await runCli(['console', '--port', port], { cwd: dir, env: env(dir) });
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stderr, /CONSOLE_PORT_IN_USE/);
  } finally {
    await first.stop();
  }
});

test('on Temporal when TEMPORAL_ADDRESS is set: the runtime says so, and no address reaches the browser', async () => {
  const temporal = await getTestTemporal();
  const dir = project();
  const console = await serve(['console', '--port', '0'], { cwd: dir, env: env(dir, { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace }) });
  try {
    const me = await (await fetch(`${console.url}api/me`)).text();
    assert.equal((JSON.parse(me) as MeResponse).runtime.kind, 'temporal');
    assert.ok(!me.includes(temporal.address));
    const runs = await fetch(`${console.url}api/runs?limit=1`);
    assert.equal(runs.status, 200);
  } finally {
    assert.equal(await console.stop(), 0, console.output());
  }
});

test('Temporal unreachable: exit 1 with the address named', async () => {
  const dir = project();
  const result = await runCli(['console', '--port', '0', '--runtime', 'temporal'], { cwd: dir, env: env(dir, { TEMPORAL_ADDRESS: '127.0.0.1:1' }) });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /cannot reach the Temporal server at 127\.0\.0\.1:1/);
});
