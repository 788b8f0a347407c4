/** `runbook dev` as a user runs it: one command for a dev server kept in the state directory, a worker and the console; a restart keeps the runs and the address. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MeResponse, RunsResponse, StartResponse } from '../../interpreter/server/console-api.ts';
import { ROOT } from '../support/run-cli.ts';
import { serve } from './console-process-helper.ts';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('runbook dev: prints export TEMPORAL_ADDRESS and the console line; a run started in it survives a restart on the same address', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-dev-cli-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'runbook.config.yaml'), `runbooks: ${join(ROOT, 'runbooks')}\nhandlers: ${join(ROOT, 'handlers')}\n`);
  const env = { ...process.env, TEMPORAL_ADDRESS: '', TEMPORAL_NAMESPACE: '', TEMPORAL_LOG_LEVEL: 'ERROR', RUNBOOK_DATA_DIR: join(dir, 'data') };

  const first = await serve(['dev', '--port', '0'], { cwd: dir, env });
  let address: string;
  let runId: string;
  try {
    address = /^export TEMPORAL_ADDRESS=(127\.0\.0\.1:\d+)$/m.exec(first.output())?.[1] ?? '';
    assert.ok(address, first.output());
    assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.ok(existsSync(join(dir, '.runbook', 'temporal', 'dev-server.sqlite')), 'the state is in the project state directory');
    const me = (await (await fetch(`${first.url}api/me`)).json()) as MeResponse;
    assert.equal(me.runtime.kind, 'temporal');
    const started = await fetch(`${first.url}api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token },
      body: JSON.stringify({ runbook: 'month-end-close', input: { entity: 'dev-test', period: '2025-04', expected_documents: [] } }),
    });
    assert.equal(started.status, 201, await started.clone().text());
    runId = ((await started.json()) as StartResponse).run_id;
  } finally {
    assert.equal(await first.stop('SIGINT'), 0, first.output());
  }

  const second = await serve(['dev', '--port', '0'], { cwd: dir, env });
  try {
    assert.match(second.output(), new RegExp(`^export TEMPORAL_ADDRESS=${address.replace(/\./g, '\\.')}$`, 'm'), 'the same address after a restart');
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { runs } = (await (await fetch(`${second.url}api/runs`)).json()) as RunsResponse;
      const run = runs.find((candidate) => candidate.run_id === runId);
      if (run?.status === 'waiting') break;
      assert.ok(Date.now() < deadline, `the run is not there after the restart: ${JSON.stringify(runs)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const page = await fetch(`${second.url}api/runs/${encodeURIComponent(runId)}`);
    assert.equal(page.status, 200);
    // The console reads the store dev's worker commits into: a run waiting at its upload has committed nothing yet.
    const documents = await fetch(`${second.url}api/runs/${encodeURIComponent(runId)}/documents`);
    assert.equal(documents.status, 200, await documents.clone().text());
    assert.deepEqual(((await documents.json()) as { documents: unknown[] }).documents, []);
  } finally {
    assert.equal(await second.stop('SIGTERM'), 0, second.output());
  }
});
