import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openRunbooks, RunbooksInvalidError, type RunEvent } from '../../interpreter/index.ts';

let dataDir: string;
before(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'runbook-library-'));
  process.env.RUNBOOK_DATA_DIR = dataDir;
});
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('openRunbooks validates runbooks/ and runs a journal proposal in-process through the library API', async () => {
  const runtime = await openRunbooks({ runbooks: 'runbooks', handlers: 'handlers' });
  const events: RunEvent[] = [];
  runtime.onEvent((event) => events.push(event));
  const input = JSON.parse(readFileSync('runbooks/journal-proposal.input.json', 'utf8')) as unknown;
  const run = runtime.start('journal-proposal', input, { runId: 'library-journal' });

  const pending = await run.waitForPendingAction();
  assert.equal(pending?.step, 'review_journal');
  assert.equal(pending?.kind, 'review');
  assert.equal((await run.currentUiState()).status, 'waiting');

  await run.userAction({ action: 'approved' });
  const output = (await run.result()) as Record<string, unknown>;
  assert.equal(typeof output.journal_id, 'string');
  assert.equal((await run.currentUiState()).status, 'completed');
  const trace = events.filter((event) => event.type === 'step.completed').map((event) => ('stepId' in event ? event.stepId : ''));
  assert.deepEqual(trace, ['ensure_period_open', 'propose_journal', 'review_journal', 'post_journal']);
});

test('openRunbooks refuses a directory with an invalid runbook, reporting every located problem', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-library-bad-'));
  try {
    writeFileSync(join(dir, 'bad.yaml'), 'slug: bad\ntitle: Bad\nstepz: []\n');
    await assert.rejects(openRunbooks({ runbooks: dir, handlers: 'handlers' }), (error: unknown) => {
      assert.ok(error instanceof RunbooksInvalidError);
      assert.deepEqual(error.diagnostics.map((d) => d.code).sort(), ['RB_SCHEMA_REQUIRED', 'RB_UNKNOWN_KEY']);
      assert.ok(error.diagnostics.every((d) => d.line > 0 && d.column > 0));
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('openRunbooks() without options takes the runbooks and handlers of the project configuration; handlers: false means none', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-library-config-'));
  const cwd = process.cwd();
  try {
    mkdirSync(join(dir, 'flows'));
    writeFileSync(join(dir, 'runbook.config.yaml'), 'runbooks: flows\nhandlers: false\n');
    writeFileSync(join(dir, 'flows', 'ask.yaml'), 'slug: ask\ntitle: Ask\nsteps:\n  - id: ok\n    title: OK?\n    review: { action: ok, outcomes: { approved: continue, rejected: { fail: no } } }\noutput: { answer: "{% $steps.ok.action %}" }\n');
    process.chdir(join(dir, 'flows'));
    const runtime = await openRunbooks();
    const run = runtime.start('ask', {});
    assert.equal((await run.waitForPendingAction())?.step, 'ok');
    await run.userAction({ action: 'approved' });
    assert.deepEqual(await run.result(), { answer: 'approved' });
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});
