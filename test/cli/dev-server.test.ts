/** `runbook dev-server` as a user runs it: it serves where the project's config points, and stops on Ctrl-C. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../interpreter/temporal/dev-server.ts';
import { BIN, runCli } from '../support/run-cli.ts';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

test('without --port, the server listens on the configured local address and creates the configured namespace; Ctrl-C stops it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runbook-dev-server-'));
  dirs.push(dir);
  const port = await findFreePort();
  await writeFile(join(dir, 'runbook.config.yaml'), `temporal:\n  address: 127.0.0.1:${port}\n  namespace: finance\n`);
  const env = { ...process.env, TEMPORAL_ADDRESS: '', TEMPORAL_NAMESPACE: '' };
  const server = spawn(process.execPath, [BIN, 'dev-server', '--quiet'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  let out = '';
  server.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  try {
    const deadline = Date.now() + 60_000;
    while (!out.includes('Press Ctrl-C to stop.')) {
      assert.ok(server.exitCode === null, `dev-server exited: ${out}`);
      assert.ok(Date.now() < deadline, `dev-server did not start: ${out}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.match(out, new RegExp(`export TEMPORAL_ADDRESS=127\\.0\\.0\\.1:${port}\\b`));
    // Another command of the project reaches it, in the configured namespace: a missing run, not a missing namespace.
    const status = await runCli(['status', 'no-such-run'], { cwd: dir, env });
    assert.equal(status.code, 1, status.stderr);
    assert.match(status.stderr, /RUN_NOT_FOUND/);
  } finally {
    server.kill('SIGINT');
    assert.equal(await exited, 0, `dev-server stops cleanly on Ctrl-C: ${out}`);
  }
});
